"""Report queue: reports and removal requests, their workflow, notes and the mentor's file."""

from __future__ import annotations

import streamlit as st

from services.accounts import auth
from services.core.vocabulary import ReportStatus
from services.reports import appeals, case_files, conflicts, moderation
from services.reports.case_files import QueueFilter
from services.reports.follow_up import MAX_MESSAGE
from services.reports.intake import REPORTABLE, ReportCategory, ReportKind
from services.reports.report_lifecycle import (
    APPEAL_DECISIONS,
    CLOSED,
    DECISIONS,
    OPEN,
    ReportAction,
    moderator_actions,
    status_steps,
)
from ui.actions import perform, show
from ui.appeal_panel import appeal_header
from ui.buttons import REPORT_BUTTONS
from ui.case_views import history_table, mentor_file, opened_choice, other_reports_table
from ui.columns import fitted
from ui.conflict_button import conflict_button, conflict_outcome
from ui.db import reading
from ui.forms import field_error, hint
from ui.gate import require_moderator
from ui.mentor_actions import mentor_actions
from ui.plain import md_escape
from ui.times import DATE_FORMAT, local, localise, today

moderator = require_moderator()  # first thing: nothing below runs for anyone else
OUTCOME = "queue_outcome"
APPEAL_MESSAGE_HINT = (f"It goes to the mentor with the outcome, by mail and on Manage my listing. Up to "
                       f"{MAX_MESSAGE:,} characters.")  # fmt: skip


def _step(action: ReportAction, report_id: int, version: int) -> None:
    message = st.session_state.get(f"reporter_message_{report_id}") or ""
    use_case = appeals.decide_appeal if action in APPEAL_DECISIONS else moderation.act_on_report
    outcome = perform(OUTCOME, use_case, done=f"{REPORT_BUTTONS[action]}: saved.",
                      report_id=report_id, expected_version=version, action=action, moderator=moderator,
                      reporter_message=message if action in DECISIONS else "")  # fmt: skip
    if outcome.ok and action in DECISIONS:
        st.session_state[f"reporter_message_{report_id}"] = ""


def _assign(report_id: int, version: int, team: dict[int, auth.ModeratorIdentity]) -> None:
    assignee = team.get(st.session_state.get(f"assignee_{report_id}") or -1)
    perform(OUTCOME, moderation.assign_report, done="Assigned.", report_id=report_id,
            expected_version=version, assignee=assignee, moderator=moderator)  # fmt: skip


def _add_note(report_id: int) -> None:
    key = f"note_body_{report_id}"
    outcome = perform(OUTCOME, moderation.add_note, done="Note added.", report_id=report_id,
                      body=st.session_state.get(key) or "", moderator=moderator)  # fmt: skip
    if outcome.ok:
        st.session_state[key] = ""


def _filters() -> QueueFilter:
    left, right = st.columns(2)
    statuses = left.multiselect("Status", list(ReportStatus), default=list(OPEN),
                                format_func=lambda s: s.label, key="queue_status")  # fmt: skip
    categories = right.multiselect("Category", [c.value for c in (*REPORTABLE, ReportCategory.REMOVAL_REQUEST, ReportCategory.APPEAL)],
                                   format_func=lambda c: ReportCategory(c).label, placeholder="Any category", key="queue_category")  # fmt: skip
    left, middle, right = st.columns(3)
    mentor = left.text_input("Mentor name", key="queue_mentor")
    created_from = middle.date_input("Received from", value=None, key="queue_from",
                                     max_value=today(), format=DATE_FORMAT)  # fmt: skip
    created_to = right.date_input("Received until", value=None, key="queue_to",
                                  max_value=today(), format=DATE_FORMAT)  # fmt: skip
    include_spam = st.checkbox("Include reports flagged as suspected spam", key="queue_spam")
    return QueueFilter(statuses=tuple(s.value for s in statuses), categories=tuple(categories), mentor=mentor or "",
                       created_from=created_from, created_to=created_to, include_spam=include_spam)  # fmt: skip


def _report(report_id: int) -> None:
    with reading() as session:
        view = case_files.report_view(session, report_id=report_id, viewer=moderator.id)
        able = conflicts.may_handle(session, report_id=report_id)
        team = {m.id: m for m in auth.moderator_list(session) if m.id in able}
    if view is None:
        st.warning("This report no longer exists, or isn't open to you.")
        return
    st.subheader(f"{view.reference}: {view.category}", anchor=False)
    st.markdown(
        f"**{view.outcome}** · received {local(view.created_at)} · first action {local(view.first_action_at)}"
        f" · resolved {local(view.resolved_at)}"
        + (" · **flagged as suspected spam**" if view.suspected_spam else "")
    )
    outcome = st.session_state.pop(OUTCOME, None)
    show(outcome, key="queue_message")
    appeal = view.kind is ReportKind.APPEAL
    st.markdown("**The appeal** (as written by the mentor)" if appeal
                else "**What happened** (as written by the reporter)")  # fmt: skip
    st.text(view.description)
    if not appeal:  # an appeal comes from the listing's owner: the mentor file below
        contact = md_escape(view.reporter_email) if view.reporter_email else "none given"
        st.markdown(f"When: {view.occurred_on or 'not given'} · Reporter: {view.reporter_role or 'the mentor'}"
                    f" · Contact (confidential): {contact}")  # fmt: skip
    steps = status_steps(view.status, acknowledged=view.first_action_at is not None, appeal=appeal)
    if appeal and not appeal_header(view, moderator=moderator, team_size=len(team)):
        steps = [s for s in steps if s not in APPEAL_DECISIONS]
    if any(step in DECISIONS for step in steps):
        message_key = f"reporter_message_{view.id}"
        st.text_area(f"Message to the {'mentor' if appeal else 'reporter'} with your decision (optional)",
                     key=message_key)  # fmt: skip
        hint(message_key, APPEAL_MESSAGE_HINT if appeal else "They read it on Follow my report, and in "
             f"the decision mail if they left an address. Never the mentor's sanction. Up to {MAX_MESSAGE:,} characters.")  # fmt: skip
        field_error(outcome.errors if outcome else {}, "reporter_message", widget_key=message_key)
    for column, step in zip(st.columns(max(1, len(steps))), steps, strict=False):
        column.button(REPORT_BUTTONS[step], key=f"step_{step.value}_{view.id}", on_click=_step,
                      args=(step, view.id, view.version))  # fmt: skip
    allowed = moderator_actions(view.status)  # the report's transition table decides
    if ReportAction.ASSIGN in allowed:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        options = [None, *team]
        current = view.assigned_moderator_id if view.assigned_moderator_id in team else None
        left.selectbox("Assigned to", options, index=options.index(current), key=f"assignee_{view.id}",
                       format_func=lambda i: "Nobody" if i is None else team[i].username)  # fmt: skip
        right.button("Assign", key=f"assign_{view.id}", on_click=_assign,
                     args=(view.id, view.version, team))  # fmt: skip
    st.markdown("**The mentor**")
    if view.mentor:
        mentor_file(view.mentor)
        if not appeal:  # an appeal's decision is Uphold (which reverses it) or Reject
            mentor_actions(view.mentor, moderator=moderator, report=view)
        conflict_button(view.mentor, moderator=moderator, opened_key="open_report")
        st.markdown("**Other reports about this mentor**")
        if view.other_reports.empty:
            st.markdown("None.")
        else:
            other_reports_table(view.other_reports)
    else:
        st.markdown("Not matched to a listing. Named as:")
        st.text(
            f"{view.named_person or ''} {view.named_linkedin_url or ''}".strip()
            or "(nothing given)"
        )
    st.markdown("**Internal notes**")
    for note in view.notes:
        st.markdown(f"{md_escape(note.author)}, {local(note.created_at)}:")
        st.text(note.body)
    if ReportAction.ADD_NOTE in allowed:
        note_key = f"note_body_{view.id}"  # every widget of a case carries its id: nothing carries over
        with st.form(f"note_{view.id}", clear_on_submit=False):
            st.text_area("Add a note (only moderators see it)", key=note_key)
            hint(note_key, f"Up to {moderation.MAX_NOTE:,} characters.")
            field_error(outcome.errors if outcome else {}, "note", widget_key=note_key)
            st.form_submit_button("Add note", on_click=_add_note, args=(view.id,))
    st.markdown("**History**")
    history_table(view.history)


st.title("Report queue", anchor=False)
with reading() as session:
    counts = case_files.queue_counts(session, viewer=moderator.id)
cols = st.columns(3)
cols[0].metric("New", counts.get(ReportStatus.NEW.value, 0))
cols[1].metric("In review", counts.get(ReportStatus.IN_REVIEW.value, 0))
cols[2].metric("Closed", sum(counts.get(s.value, 0) for s in CLOSED))
queue_filter = _filters()
with reading() as session:
    queue = case_files.report_queue(session, queue_filter=queue_filter, viewer=moderator.id)
if queue.empty:
    st.info("No reports match these filters.", icon=":material/inbox:")
else:
    shown = localise(queue, "created_at")
    st.dataframe(
        shown,
        hide_index=True,
        column_order=["reference", "created_at", "acknowledge", "category", "mentor", "status",
                      "assigned_to"],
        column_config={"reference": "Reference", "created_at": "Received", "mentor": "Mentor",
                       "assigned_to": "Assigned to", "acknowledge": "Acknowledge within 7 days",
                       **fitted(shown, {"category": "Category", "status": "Status"})},
    )  # fmt: skip
# The opened report stays open after an action, even once it leaves the filtered list.
labels = queue["reference"] + " · " + queue["category"] + " · " + queue["mentor"].fillna("")
chosen = opened_choice("Open a report", dict(zip(queue["id"], labels, strict=True)), key="open_report")
conflict_outcome()
if chosen is not None:
    _report(chosen)
