"""Audit log: every moderation action and sign-in, filterable, exportable to CSV."""

from __future__ import annotations

from datetime import date

import streamlit as st

from services import auth, case_files
from services.audit import Action
from ui.db import reading
from ui.gate import require_moderator
from ui.times import localise

moderator = require_moderator()  # first thing: nothing below runs for anyone else
st.set_page_config(layout="wide")  # the console's tables need the room

st.title("Audit log", anchor=False)
with reading() as session:
    team = {m.id: m.username for m in auth.moderator_list(session)}
left, right = st.columns(2)
actions = left.multiselect(
    "What", [a.value for a in Action], key="audit_actions", placeholder="Every action"
)
who = right.selectbox(
    "Who", [None, *team], format_func=lambda i: "Anyone" if i is None else team[i], key="audit_who"
)
left, right = st.columns(2)
start = left.date_input("From", value=None, key="audit_from", max_value=date.today())
end = right.date_input("Until", value=None, key="audit_to", max_value=date.today())
with reading() as session:
    log = case_files.audit_log(
        session, actions=tuple(actions), moderator_id=who, start=start, end=end
    )
st.markdown(f"{len(log):,} entries" + (", the newest 1,000." if len(log) == 1000 else "."))
shown = localise(log, "when")
st.dataframe(shown, hide_index=True)
st.download_button("Download as CSV", case_files.csv_export(shown), file_name="audit-log.csv", mime="text/csv",
                   icon=":material/download:")  # fmt: skip
