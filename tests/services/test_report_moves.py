"""A report moving through its workflow, as moderators see it: who it is assigned to, what the
audit log says of each step, and what a moderator is told when a step can't be taken."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Report, ReportEvent
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.audit.audit_log import record_attempt
from services.audit.history import audit_log
from services.core.refusals import ChangedMeanwhile, NotAllowedNow
from services.core.vocabulary import ReportStatus
from services.reports.case_files import report_view
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_report, assign_report
from services.reports.report_lifecycle import ReportAction
from tests.conftest import NOW
from tests.factories import sign_up

LATER = NOW + timedelta(hours=1)

R = ReportAction


@pytest.fixture
def alice(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="alice", password="correct horse battery", now=NOW)


@pytest.fixture
def bob(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="bob", password="another long password", now=NOW)


def new_report(session: Session, mentor_name: str = "Jane Doe") -> Report:
    receipt = file_report(session, now=NOW, client_key="c", report=ReportInput(
        mentor_id=sign_up(session, full_name=mentor_name).mentor_id, category="asking_for_payment",
        description="Asked me for 50 euros per session.", reporter_role="mentee"))  # fmt: skip
    return session.scalars(select(Report).where(Report.reference == receipt.reference)).one()


def step(
    session: Session,
    report: Report,
    action: ReportAction,
    moderator: ModeratorIdentity,
    reason: str = "",
    at: datetime = NOW,
) -> None:
    act_on_report(session, report_id=report.id, expected_version=None, action=action,
                  moderator=moderator, reason=reason, now=at)  # fmt: skip


def assign(
    session: Session, report: Report, to: ModeratorIdentity | None, by: ModeratorIdentity
) -> None:
    assign_report(session, report_id=report.id, expected_version=None, assignee=to, moderator=by,
                  now=NOW)  # fmt: skip


def assignee(session: Session, report: Report) -> int | None:
    view = report_view(session, report_id=report.id)
    assert view is not None
    return view.assigned_moderator_id


def test_a_report_stays_with_its_moderator_while_it_moves_until_given_to_nobody(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity
) -> None:
    report = new_report(session)
    assign(session, report, to=bob, by=alice)
    assert assignee(session, report) == bob.id
    step(session, report, R.START_REVIEW, alice)
    step(session, report, R.DISMISS, alice)
    assert assignee(session, report) == bob.id
    step(session, report, R.REOPEN, alice)
    assign(session, report, to=None, by=alice)
    assert assignee(session, report) is None


def test_the_audit_log_tells_each_step_of_a_report(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity
) -> None:
    report = new_report(session, mentor_name="Jane Doe")
    assign(session, report, to=bob, by=alice)
    step(session, report, R.START_REVIEW, bob)
    assign(session, report, to=None, by=bob)
    step(session, report, R.DISMISS, alice, reason="Not about a mentor")
    step(session, report, R.REOPEN, alice, reason="New evidence", at=LATER)
    log = audit_log(session, report_id=report.id)
    assert set(log["mentor"]) == {"Jane Doe"} and set(log["report"]) == {report.reference}
    assert list(
        log[["when", "who", "what", "why", "detail"]].itertuples(index=False, name=None)
    ) == [
        (LATER, "alice", "Report: reopened", "New evidence", "Dismissed → In review"),
        (NOW, "alice", "Report: dismissed", "Not about a mentor", "In review → Dismissed"),
        (NOW, "bob", "Report: assigned", "", "Assigned to nobody"),
        (NOW, "bob", "Report: review started", "", "New → In review"),
        (NOW, "alice", "Report: assigned", "", "Assigned to bob"),
        (NOW, "A member of the public", "Report: received", "", "New → New"),  # filed as new
    ]


def test_each_step_answers_with_the_event_it_wrote_and_the_states_on_either_side(
    session: Session, alice: ModeratorIdentity
) -> None:
    report = new_report(session)
    move = act_on_report(session, report_id=report.id, expected_version=None,
                         action=R.START_REVIEW, moderator=alice, now=NOW)  # fmt: skip
    event = session.get(ReportEvent, move.event_id)
    assert event is not None and (event.report_id, event.kind) == (report.id, "review_started")
    assert (move.report_id, move.action, move.from_status, move.to_status) == (
        report.id, R.START_REVIEW, ReportStatus.NEW, ReportStatus.IN_REVIEW)  # fmt: skip


def test_a_step_the_report_cannot_take_is_refused_naming_the_report_and_its_state(
    session: Session, alice: ModeratorIdentity
) -> None:
    report = new_report(session)
    with pytest.raises(NotAllowedNow) as refused:
        step(session, report, R.REOPEN, alice)
    assert refused.value.message == f"Report {report.reference} can't be reopened: it is new."


def test_a_report_that_does_not_exist_is_said_not_to(
    session: Session, alice: ModeratorIdentity
) -> None:
    missing = Report(id=10_000_000, reference="R-MISSING")
    with pytest.raises(NotAllowedNow) as refused:
        step(session, missing, R.START_REVIEW, alice)
    assert refused.value.message == "This report doesn't exist."


def test_a_stale_step_goes_into_the_audit_log_with_the_state_the_report_had_reached(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity
) -> None:
    report = new_report(session)
    offered = report.version
    step(session, report, R.DISMISS, alice)
    with pytest.raises(ChangedMeanwhile) as told:
        act_on_report(session, report_id=report.id, expected_version=offered,
                      action=R.START_REVIEW, moderator=bob, now=NOW)  # fmt: skip
    assert told.value.attempt is not None
    record_attempt(session, attempt=told.value.attempt, now=NOW)  # as the edge does
    latest = audit_log(session, report_id=report.id).iloc[0]
    assert (latest["who"], latest["what"], latest["why"], latest["detail"]) == (
        "bob", "Attempt refused (changed meanwhile)", "Review started",
        "Report had changed (now dismissed)")  # fmt: skip
