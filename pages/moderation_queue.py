"""Report queue: reports and removal requests, their workflow, notes and the mentor's file."""

from __future__ import annotations

from datetime import date

import streamlit as st

from models.base import utcnow
from services import auth, case_files, moderation
from services.case_files import QueueFilter
from services.listings import InvalidSubmission
from services.moderation import ReportChanged, ReportStatus
from services.reports import REPORTABLE, ReportCategory
from ui.case_views import mentor_file
from ui.db import reading, writing
from ui.gate import require_moderator
from ui.mentor_actions import mentor_actions
from ui.plain import md_escape
from ui.times import local, localise

moderator = require_moderator()  # first thing: nothing below runs for anyone else
st.set_page_config(layout="wide")  # the console's tables need the room

NEXT_STEPS = {
    ReportStatus.NEW: [
        ReportStatus.IN_REVIEW,
        ReportStatus.RESOLVED_ACTION,
        ReportStatus.RESOLVED_NO_ACTION,
        ReportStatus.DISMISSED,
    ],
    ReportStatus.IN_REVIEW: [
        ReportStatus.RESOLVED_ACTION,
        ReportStatus.RESOLVED_NO_ACTION,
        ReportStatus.DISMISSED,
    ],
}
STEP_LABELS = {ReportStatus.IN_REVIEW: "Start review", ReportStatus.RESOLVED_ACTION: "Resolve: action taken",
               ReportStatus.RESOLVED_NO_ACTION: "Resolve: no action", ReportStatus.DISMISSED: "Dismiss"}  # fmt: skip


def _report_change(change: str, report_id: int, version: int, **kwargs: object) -> None:
    """Apply one change to a report; if someone else got there first, say so."""
    try:
        with writing() as session:
            if change == "status":
                moderation.set_report_status(session, report_id=report_id, expected_version=version,
                                             moderator=moderator, now=utcnow(), **kwargs)  # type: ignore[arg-type]  # fmt: skip
            elif change == "assign":
                moderation.assign_report(session, report_id=report_id, expected_version=version,
                                         assignee_id=st.session_state.get("assignee"), moderator=moderator, now=utcnow())  # fmt: skip
    except ReportChanged:
        st.session_state["queue_notice"] = (
            "warning",
            "Another moderator changed this report just now. Here is its latest state; please check it and decide again.",
        )
    else:
        st.session_state["queue_notice"] = ("success", "Saved.")


def _add_note(report_id: int) -> None:
    try:
        with writing() as session:
            moderation.add_note(session, report_id=report_id, body=st.session_state.get("note_body") or "",
                                moderator=moderator, now=utcnow())  # fmt: skip
    except InvalidSubmission as problem:
        st.session_state["queue_notice"] = ("error", problem.errors["note"])
        return
    st.session_state["note_body"] = ""


def _filters() -> QueueFilter:
    left, right = st.columns(2)
    statuses = left.multiselect("Status", [s.value for s in ReportStatus], default=["new", "in_review"],
                                format_func=lambda c: ReportStatus(c).label, key="queue_status")  # fmt: skip
    categories = right.multiselect("Category", [c.value for c in (*REPORTABLE, ReportCategory.REMOVAL_REQUEST)],
                                   format_func=lambda c: ReportCategory(c).label, placeholder="Any category", key="queue_category")  # fmt: skip
    left, middle, right = st.columns(3)
    mentor = left.text_input("Mentor name", key="queue_mentor", max_chars=100)
    created_from = middle.date_input(
        "Received from", value=None, key="queue_from", max_value=date.today()
    )
    created_to = right.date_input(
        "Received until", value=None, key="queue_to", max_value=date.today()
    )
    include_spam = st.checkbox("Include reports flagged as suspected spam", key="queue_spam")
    return QueueFilter(statuses=tuple(statuses), categories=tuple(categories), mentor=mentor or "",
                       created_from=created_from, created_to=created_to, include_spam=include_spam)  # fmt: skip


def _report(report_id: int) -> None:
    with reading() as session:
        view = case_files.report_view(session, report_id=report_id)
        team = auth.moderator_list(session)
    if view is None:
        st.warning("This report no longer exists.")
        return
    status = ReportStatus(view.status)
    st.subheader(f"{view.reference}: {view.category}", anchor=False)
    st.markdown(
        f"**{status.label}** · received {local(view.created_at)} · first action {local(view.first_action_at)}"
        f" · resolved {local(view.resolved_at)}"
        + (" · **flagged as suspected spam**" if view.suspected_spam else "")
    )
    st.markdown("**What happened** (as written by the reporter)")
    st.text(view.description)
    contact = md_escape(view.reporter_email) if view.reporter_email else "none given"
    st.markdown(f"When: {view.occurred_on or 'not given'} · Reporter: {view.reporter_role or 'the mentor'}"
                f" · Contact (confidential): {contact}")  # fmt: skip
    columns = st.columns(4)
    for column, step in zip(
        columns, NEXT_STEPS.get(status, [ReportStatus.IN_REVIEW]), strict=False
    ):
        label = STEP_LABELS.get(step, "Reopen") if status in NEXT_STEPS else "Reopen"
        column.button(label, key=f"step_{step.value}", on_click=_report_change,
                      args=("status", view.id, view.version), kwargs={"status": step})  # fmt: skip
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    names = {m.id: m.username for m in team}
    left.selectbox("Assigned to", [None, *names], index=[None, *names].index(view.assigned_moderator_id)
                   if view.assigned_moderator_id in names else 0, key="assignee",
                   format_func=lambda i: "Nobody" if i is None else names[i])  # fmt: skip
    right.button("Assign", on_click=_report_change, args=("assign", view.id, view.version))
    st.markdown("**The mentor**")
    if view.mentor:
        mentor_file(view.mentor)
        mentor_actions(
            mentor_id=view.mentor.id,
            status=view.mentor.status,
            moderator=moderator,
            report_id=view.id,
        )
        st.markdown("**Other reports about this mentor**")
        if view.other_reports.empty:
            st.markdown("None.")
        else:
            st.dataframe(localise(view.other_reports, "created_at"), hide_index=True)
    else:
        st.markdown("Not matched to a listing. Named as:")
        st.text(
            f"{view.named_person or ''} {view.named_linkedin_url or ''}".strip()
            or "(nothing given)"
        )
    st.markdown("**Internal notes**")
    for note in view.notes:
        st.markdown(f"{note.author}, {local(note.created_at)}:")
        st.text(note.body)
    with st.form("note", clear_on_submit=False):
        st.text_area(
            "Add a note (only moderators see it)", key="note_body", max_chars=moderation.MAX_NOTE
        )
        st.form_submit_button("Add note", on_click=_add_note, args=(view.id,))
    st.markdown("**History**")
    st.dataframe(localise(view.history, "when"), hide_index=True)


st.title("Report queue", anchor=False)
with reading() as session:
    counts = case_files.queue_counts(session)
cols = st.columns(3)
cols[0].metric("New", counts.get("new", 0))
cols[1].metric("In review", counts.get("in_review", 0))
cols[2].metric("Closed", sum(counts.get(s.value, 0) for s in moderation.CLOSED_STATUSES))
queue_filter = _filters()
with reading() as session:
    queue = case_files.report_queue(session, queue_filter=queue_filter)
if queue.empty:
    st.info("No reports match these filters.", icon=":material/inbox:")
    st.stop()
st.dataframe(
    localise(queue, "created_at"),
    hide_index=True,
    column_order=["reference", "created_at", "category", "mentor", "status", "assigned_to"],
    column_config={"reference": "Reference", "created_at": "Received", "category": "Category",
                   "mentor": "Mentor", "status": "Status", "assigned_to": "Assigned to"},
)  # fmt: skip
choices = dict(
    zip(
        queue["id"],
        queue["reference"] + " · " + queue["category"] + " · " + queue["mentor"].fillna(""),
        strict=True,
    )
)
chosen = st.selectbox(
    "Open a report", list(choices), format_func=lambda i: choices[i], key="open_report"
)
if notice := st.session_state.pop("queue_notice", None):
    getattr(st, notice[0])(notice[1])
if chosen is not None:
    _report(int(chosen))
