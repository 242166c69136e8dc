"""Audit log: every moderation action and sign-in, filterable, exportable to CSV."""

from __future__ import annotations

import streamlit as st

from services.accounts import auth
from services.audit import history
from services.core.csv_export import csv_export
from ui.chain_panel import chain_panel
from ui.columns import fitted, free_text, time_column
from ui.db import reading
from ui.gate import require_moderator
from ui.times import DATE_FORMAT, localise, today

moderator = require_moderator()  # first thing: nothing below runs for anyone else

st.title("Audit log", anchor=False)
chain_panel()
with reading() as session:
    team = {m.id: m.username for m in auth.moderator_list(session)}
actions = history.audit_actions()
left, right = st.columns(2)
chosen = left.multiselect("What", list(actions), key="audit_actions", placeholder="Every action",
                          format_func=actions.__getitem__)  # fmt: skip
who = right.selectbox(
    "Who", [None, *team], format_func=lambda i: "Anyone" if i is None else team[i], key="audit_who"
)
left, right = st.columns(2)
start = left.date_input("From", value=None, key="audit_from", max_value=today(), format=DATE_FORMAT)
end = right.date_input("Until", value=None, key="audit_to", max_value=today(), format=DATE_FORMAT)
with reading() as session:
    log = history.audit_log(session, actions=tuple(chosen), moderator_id=who, start=start, end=end,
                            viewer=moderator.id)  # fmt: skip
st.markdown(f"{len(log):,} entries" + (", the newest 1,000." if len(log) == 1000 else "."))
# The same column names on the page and in the CSV.
shown = localise(log, "when").rename(columns={
    "when": "When", "who": "Who", "what": "What", "mentor": "Mentor", "report": "Report",
    "why": "Why", "detail": "Detail"})  # fmt: skip
st.dataframe(shown, hide_index=True, column_config={
    "When": time_column("When"), "Mentor": free_text("Mentor"), "Why": free_text("Why"),
    "Detail": free_text("Detail"), **fitted(shown, {"Who": "Who", "What": "What", "Report": "Report"})})  # fmt: skip
st.download_button("Download as CSV", lambda: csv_export(shown), file_name="audit-log.csv", mime="text/csv",
                   icon=":material/download:", on_click="ignore")  # fmt: skip
