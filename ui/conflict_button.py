"""Declare a conflict of interest with a mentor: one click, then a confirmation. From then on the
mentor and every case about them are absent from this moderator's console
(services/reports/conflicts.py), so the button says so before the click."""

from __future__ import annotations

import streamlit as st

from services.accounts.auth import ModeratorIdentity
from services.reports import conflicts
from services.reports.case_files import MentorView
from ui.actions import perform, show
from ui.plain import md_escape

ASKED = "conflict_asked"
OUTCOME = "conflict_outcome"


def conflict_outcome() -> None:
    """What became of a declaration, once: above the mentor it was about (who is then gone)."""
    show(st.session_state.pop(OUTCOME, None), key="conflict_message")


def conflict_button(view: MentorView, *, moderator: ModeratorIdentity, opened_key: str) -> None:
    """The button under a mentor's file, and its confirmation once clicked; once declared, the
    picker `opened_key` (ui/case_views.opened_choice) lets go of what it had open."""
    if st.session_state.get(ASKED) != view.id:
        st.button("I have a conflict of interest with this mentor", key=f"conflict_{view.id}",
                  icon=":material/front_hand:", on_click=_ask, args=(view.id,))  # fmt: skip
        return
    with st.container(border=True):
        st.markdown(f"**A conflict of interest with {md_escape(view.full_name)}?** This mentor and "
                    "every case about them disappear from your console: the queue, the mentors, "
                    "the audit log and the exports. The other moderators handle them. You can't "
                    "undo it yourself.")  # fmt: skip
        left, right = st.columns(2)
        left.button("Confirm: I have a conflict", type="primary", key=f"conflict_yes_{view.id}",
                    on_click=_declare, args=(view, moderator, opened_key))  # fmt: skip
        right.button("Cancel", key=f"conflict_no_{view.id}", on_click=_ask, args=(None,))


def _ask(mentor_id: int | None) -> None:
    st.session_state[ASKED] = mentor_id


def _declare(view: MentorView, moderator: ModeratorIdentity, opened_key: str) -> None:
    st.session_state.pop(ASKED, None)
    for key in (opened_key, f"{opened_key}_pinned"):
        st.session_state.pop(key, None)
    perform(OUTCOME, conflicts.declare_conflict, mentor_id=view.id, moderator=moderator,
            done=f"Declared. {view.full_name} and the cases about them are no longer shown to you.")  # fmt: skip
