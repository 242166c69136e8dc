"""Mentors: listings with their status, sign-up date and report count, and the actions on one of them."""

from __future__ import annotations

import streamlit as st

from services.core.vocabulary import ListingStatus
from services.reports import case_files
from ui.case_views import history_table, mentor_file, opened_choice
from ui.code_signatures import code_signatures
from ui.columns import fitted, free_text, time_column
from ui.conflict_button import conflict_button, conflict_outcome
from ui.db import reading
from ui.gate import require_moderator
from ui.mentor_actions import mentor_actions
from ui.times import localise

moderator = require_moderator()  # first thing: nothing below runs for anyone else

st.title("Mentors", anchor=False)
left, right = st.columns(2)
name = left.text_input("Search by name, job title or company", key="roster_name")
shown = [s for s in ListingStatus if s is not ListingStatus.DELETED]
statuses = right.multiselect("Listing status", shown, key="roster_status", placeholder="Any status",
                             format_func=lambda s: s.label)  # fmt: skip
reported_only = st.checkbox("Only mentors who have been reported, the most reported first",
                            key="roster_reported")  # fmt: skip
with reading() as session:
    roster = case_files.mentor_roster(session, name=name or "", reported_only=reported_only,
                                      statuses=tuple(s.value for s in statuses), viewer=moderator.id)  # fmt: skip
if roster.empty:
    st.info("No mentors match.", icon=":material/person_search:")
else:
    order = "the most reported first" if reported_only else "the newest first"
    st.markdown(f"Showing {len(roster):,} mentors, {order}."
                + (" (The first 200.)" if len(roster) == 200 else ""))  # fmt: skip
    st.dataframe(localise(roster, "created_at"), hide_index=True,
                 column_order=["full_name", "headline", "status", "created_at", "reports"],
                 column_config={"full_name": free_text("Name"), "headline": free_text("Headline"),
                                "created_at": time_column("Signed up"), "reports": "Reports",
                                **fitted(roster, {"status": "Status"})})  # fmt: skip
# The opened mentor stays open after an action, even when it no longer matches the filters.
chosen = opened_choice("Open a mentor", dict(zip(roster["id"], roster["full_name"], strict=True)),
                       key="roster_open")  # fmt: skip
conflict_outcome()
if chosen is not None:
    with reading() as session:
        view = case_files.mentor_view(session, mentor_id=chosen, viewer=moderator.id)
    if view is not None:
        mentor_file(view)
        mentor_actions(view, moderator=moderator)
        conflict_button(view, moderator=moderator, opened_key="roster_open")
        st.markdown("**History**")
        history_table(view.history)
code_signatures()
