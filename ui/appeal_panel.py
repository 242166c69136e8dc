"""An appeal in the report queue: the decision it appeals, and whether this moderator may decide it
(never the one who took the decision: services/reports/appeals.py refuses, and this says why)."""

from __future__ import annotations

import streamlit as st

from services.accounts.auth import ModeratorIdentity
from services.reports import appeals
from services.reports.case_files import ReportView
from ui.db import reading
from ui.plain import md_escape
from ui.times import local


def appeal_header(view: ReportView, *, moderator: ModeratorIdentity, team_size: int) -> bool:
    """Show what the appeal is about; True when this moderator may decide it."""
    with reading() as session:
        decision = appeals.decision_of(session, event_id=view.appeal_of_event_id)
    if decision is None:
        st.warning("The decision this appeal is about can't be found.")
        return False
    by = md_escape(decision.moderator_name or "a moderator")
    st.markdown(f"**The decision appealed:** {md_escape(decision.label)}, by {by}, "
                f"{local(decision.taken_at)}.")  # fmt: skip
    if decision.moderator_id != moderator.id:
        return True
    if team_size < 2:
        st.info("You took this decision, so another moderator must decide its appeal, and you are "
                "the only moderator. Add a second one (python -m commands.moderators add NAME) to decide it.",
                icon=":material/group_add:")  # fmt: skip
    else:
        st.info("You took this decision, so another moderator must decide its appeal.",
                icon=":material/gavel:")  # fmt: skip
    return False
