"""The enforcement ladder (note, warn, remove for days, remove, ban) and Restore (and, for a removal
request, take off the page or erase): one click each, then a confirmation that names the mentor,
asks for the reason, the part of the Code it enforces and, for a removal for days, how many.

Which buttons show is the listing lifecycle's answer (services.listings.listing_lifecycle.moderator_actions),
in the ladder's order for the report's part of the Code (services.listings.enforcement.offered).
The pending action carries the mentor's id and the version it was offered for (and the report's),
so if either changed meanwhile the moderator is told and nothing happens. It lives in
session_state rather than a dialog, so it survives reruns and AppTest can drive it.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from services.accounts.auth import ModeratorIdentity
from services.core.vocabulary import CodeClause
from services.listings import enforcement
from services.listings.enforcement import ENFORCES_CODE, MAX_DAYS
from services.listings.listing_lifecycle import (
    RESOLVES_OPEN_REPORTS,
    ListingAction,
    moderator_actions,
)
from services.reports.case_files import MentorView, ReportView
from services.reports.intake import ReportKind
from services.reports.moderation import MAX_REASON, act_on_mentor, other_open_reports
from ui.actions import perform, show
from ui.buttons import LISTING_BUTTONS as BUTTONS
from ui.db import reading
from ui.forms import field_error, hint
from ui.plain import md_escape

PENDING = "pending_mentor_action"
OUTCOME = "mentor_action_outcome"
A = ListingAction


@dataclass(frozen=True)
class Pending:
    """One action waiting for its confirmation, pinned to what it was offered for."""

    action: ListingAction
    mentor_id: int
    mentor_name: str
    version: int
    report_id: int | None = None
    report_reference: str | None = None
    report_version: int | None = None
    clause: CodeClause | None = None


def _ask(pending: Pending) -> None:
    st.session_state[PENDING] = pending
    st.session_state.pop(OUTCOME, None)


def _confirm(moderator: ModeratorIdentity) -> None:
    pending: Pending | None = st.session_state.get(PENDING)
    if pending is None:
        return
    label = BUTTONS[pending.action][0]
    outcome = perform(
        OUTCOME, act_on_mentor, done=f"{label}: done for {pending.mentor_name}.",
        mentor_id=pending.mentor_id, expected_version=pending.version, action=pending.action,
        moderator=moderator, reason=st.session_state.get(_reason_key(pending)) or "",
        clause=st.session_state.get(_clause_key(pending), pending.clause), report_id=pending.report_id,
        expected_report_version=pending.report_version, days=st.session_state.get(_days_key(pending)),
    )  # fmt: skip
    if outcome.errors:  # the reason is missing or too long: keep the confirmation open
        return
    st.session_state.pop(PENDING, None)
    if outcome.kind != "unavailable":
        st.session_state[_reason_key(pending)] = ""


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def mentor_actions(
    view: MentorView, *, moderator: ModeratorIdentity, report: ReportView | None = None
) -> None:
    """The buttons the listing's state allows now, and the confirmation when one was clicked."""
    outcome = st.session_state.pop(OUTCOME, None)
    show(outcome, key="mentor_action_message")
    pending: Pending | None = st.session_state.get(PENDING)
    report_id = report.id if report is not None else None
    if pending is not None and (pending.mentor_id, pending.report_id) == (view.id, report_id):
        _confirmation(pending, moderator, outcome.errors if outcome else {})
        return
    removal_request = report is not None and report.kind is ReportKind.REMOVAL_REQUEST
    clause = report.clause if report is not None else None
    order = {a: i for i, a in enumerate((*enforcement.offered(clause), A.RESTORE))}
    available = sorted(moderator_actions(view.status, removal_request=removal_request),
                       key=lambda a: order.get(a, len(order)))  # fmt: skip
    if not available:
        return
    for column, action in zip(st.columns(len(available)), available, strict=True):
        label, icon, _ = BUTTONS[action]
        pending = Pending(action, view.id, view.full_name, view.version,
                          report.id if report else None, report.reference if report else None,
                          report.version if report else None, clause)  # fmt: skip
        column.button(label, key=f"{action.value}_{view.id}_{report_id or 0}", icon=icon,
                      on_click=_ask, args=(pending,))  # fmt: skip


def _confirmation(pending: Pending, moderator: ModeratorIdentity, errors: dict[str, str]) -> None:
    label, _, explanation = BUTTONS[pending.action]
    about = f" (report {pending.report_reference})" if pending.report_reference else ""
    with st.container(border=True):
        st.markdown(f"**{label}: {md_escape(pending.mentor_name)}{about}?** {explanation}")
        if pending.action in RESOLVES_OPEN_REPORTS:
            _reports_closed_too(pending)
        reason_key = _reason_key(pending)
        st.text_area("Reason (goes into the audit log)", key=reason_key)
        hint(reason_key, f"Required. Up to {MAX_REASON:,} characters.")
        field_error(errors, "reason", widget_key=reason_key)
        if pending.action in ENFORCES_CODE:
            _clause_and_days(pending, errors)
        left, right = st.columns(2)
        left.button(f"Confirm: {label.lower()}", type="primary", on_click=_confirm,
                    args=(moderator,), key=f"confirm_{_case(pending)}")  # fmt: skip
        right.button("Cancel", on_click=_cancel, key=f"cancel_{_case(pending)}")



def _clause_and_days(pending: Pending, errors: dict[str, str]) -> None:
    """What a step of the ladder needs besides the reason: its part of the Code, and for a
    removal for days, how many."""
    clauses = [c for c in CodeClause if c.section > 1]
    clause_key = _clause_key(pending)
    st.selectbox("The part of the Code of Conduct this enforces", clauses,
                 index=clauses.index(pending.clause) if pending.clause in clauses else None,
                 key=clause_key, format_func=lambda c: c.label,
                 placeholder="Choose the part of the Code")  # fmt: skip
    field_error(errors, "clause", widget_key=clause_key)
    if pending.action is A.REMOVE_FOR_DAYS:
        days_key = _days_key(pending)
        st.number_input("Days off the directory", min_value=1, max_value=MAX_DAYS, value=None,
                        step=1, key=days_key, placeholder="For example 14")  # fmt: skip
        hint(days_key, f"From 1 to {MAX_DAYS}. The listing comes back by itself on the last day.")
        field_error(errors, "days", widget_key=days_key)


def _reports_closed_too(pending: Pending) -> None:
    """Say, before the click, which other reports the take-down will resolve with it."""
    with reading() as session:
        n = other_open_reports(session, mentor_id=pending.mentor_id, action=pending.action,
                               report_id=pending.report_id)  # fmt: skip
    if n:
        other = "other " if pending.report_id is not None else ""
        reports = f"{n} {other}open report{'s' if n > 1 else ''} about this mentor"
        st.markdown(f"{reports} will be closed as well (resolved: action taken).")


def _case(pending: Pending) -> str:
    """What a confirmation's widgets are keyed by: the action, the listing and the report."""
    return f"{pending.action.value}_{pending.mentor_id}_{pending.report_id or 0}"


def _reason_key(pending: Pending) -> str:
    return f"mentor_action_reason_{_case(pending)}"


def _clause_key(pending: Pending) -> str:
    return f"mentor_action_clause_{_case(pending)}"


def _days_key(pending: Pending) -> str:
    return f"mentor_action_days_{_case(pending)}"
