"""Mentors: every listing with its status, sign-up date and report count, and the same actions."""

from __future__ import annotations

import streamlit as st

from models.vocabulary import ListingStatus
from services import case_files
from ui.case_views import mentor_file
from ui.db import reading
from ui.gate import require_moderator
from ui.mentor_actions import mentor_actions
from ui.times import localise

moderator = require_moderator()  # first thing: nothing below runs for anyone else
st.set_page_config(layout="wide")  # the console's tables need the room

st.title("Mentors", anchor=False)
left, right = st.columns(2)
name = left.text_input("Search by name, job title or company", key="roster_name", max_chars=100)
shown = [s.value for s in ListingStatus if s is not ListingStatus.DELETED]
statuses = right.multiselect("Listing status", shown, key="roster_status", placeholder="Any status",
                             format_func=str.capitalize)  # fmt: skip
with reading() as session:
    roster = case_files.mentor_roster(session, name=name or "", statuses=tuple(statuses))
if roster.empty:
    st.info("No mentors match.", icon=":material/person_search:")
    st.stop()
st.markdown(
    f"Showing {len(roster):,} mentors, the most reported first."
    + (" (The first 200.)" if len(roster) == 200 else "")
)
st.dataframe(localise(roster, "created_at"), hide_index=True, column_order=["full_name", "headline", "status", "created_at", "reports"],
             column_config={"full_name": "Name", "created_at": "Signed up", "reports": "Reports"})  # fmt: skip
labels = dict(zip(roster["id"], roster["full_name"] + " · " + roster["status"], strict=True))
chosen = st.selectbox(
    "Open a mentor", list(labels), format_func=lambda i: labels[i], key="roster_open"
)
if chosen is not None:
    with reading() as session:
        view = case_files.mentor_view(session, mentor_id=int(chosen))
    if view is not None:
        mentor_file(view)
        mentor_actions(mentor_id=view.id, status=view.status, moderator=moderator)
        with reading() as session:
            history = case_files.audit_log(session, mentor_id=view.id, limit=100)
        st.markdown("**History**")
        st.dataframe(localise(history, "when"), hide_index=True)
