"""A report batch beyond the single moves test_lifecycle_batches compares with the door: the
report's reference and mentor in what it writes and says, and a batch that leaves the audit out;
and which of a moderator's moves the report's table offers in each state."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, ListingEvent, ReportEvent
from services.audit.audit_log import PUBLIC
from services.core.refusals import NotAllowedNow
from services.core.vocabulary import CodeClause, ReportStatus
from services.reports import report_lifecycle
from services.reports.report_lifecycle import ReportAction, ReportBatch, ReportMove
from tests.conftest import NOW
from tests.factories import factory_moderator, make_mentor

R = ReportAction
LATER = NOW.replace(hour=15)


def _file(
    batch: ReportBatch, mentor_id: int | None, reference: str, clause: CodeClause | None = None
) -> int:
    report_id = batch.ids.take()
    batch.file({"id": report_id, "reference": reference, "kind": "violation", "mentor_id": mentor_id,
                "category": "other", "description": "x", "created_at": NOW}, actor=PUBLIC, now=NOW,
               clause=clause)  # fmt: skip
    return report_id


def test_a_batch_filed_report_keeps_the_clause_it_was_filed_under(session: Session) -> None:
    batch = ReportBatch(session)
    report_id = _file(batch, None, "WAN-BATCH-776", clause=CodeClause.HARASSMENT)
    batch.write()
    filed = select(ReportEvent.code_clause).where(ReportEvent.report_id == report_id)
    assert session.scalar(filed) == CodeClause.HARASSMENT.value


def test_a_batch_step_a_report_cannot_take_is_refused_naming_the_report(session: Session) -> None:
    batch = ReportBatch(session)
    report_id = _file(batch, None, "WAN-BATCH-777")
    with pytest.raises(NotAllowedNow) as refused:
        batch.move(report_id, R.REOPEN, actor=factory_moderator(session).actor, now=LATER)
    assert refused.value.message == "Report WAN-BATCH-777 can't be reopened: it is new."


def test_a_batch_filed_report_is_audited_against_its_mentor(session: Session) -> None:
    mentor_id = make_mentor(session)
    batch = ReportBatch(session)
    report_id = _file(batch, mentor_id, "WAN-BATCH-778")
    batch.move(report_id, R.START_REVIEW, actor=factory_moderator(session).actor, now=LATER)
    batch.write()
    audited = session.scalars(select(AuditEvent.mentor_id).where(AuditEvent.report_id == report_id))
    assert list(audited) == [mentor_id, mentor_id]


def test_a_batch_step_answers_with_its_event_and_names_the_listing_event_it_answers(
    session: Session,
) -> None:
    mentor_id = make_mentor(session)
    listed = session.scalar(select(ListingEvent.id).where(ListingEvent.mentor_id == mentor_id))
    batch = ReportBatch(session)
    report_id = _file(batch, mentor_id, "WAN-BATCH-780")
    move = batch.move(report_id, R.RESOLVE_WITH_ACTION, actor=factory_moderator(session).actor,
                      now=LATER, listing_event_id=listed)  # fmt: skip
    batch.write()
    event = session.scalars(select(ReportEvent).where(ReportEvent.id == move.event_id)).one()
    assert (event.kind, event.listing_event_id) == (R.RESOLVE_WITH_ACTION.value, listed)
    assert move == ReportMove(
        event.id, report_id, R.RESOLVE_WITH_ACTION, ReportStatus.NEW, ReportStatus.RESOLVED_ACTION
    )


def test_a_batch_that_leaves_the_audit_out_writes_the_events_alone(session: Session) -> None:
    batch = ReportBatch(session, audit=False)
    report_id = _file(batch, None, "WAN-BATCH-779")
    batch.move(report_id, R.DISMISS, actor=factory_moderator(session).actor, now=LATER)
    assert batch.write() == 2
    events = select(func.count()).select_from(ReportEvent).where(ReportEvent.report_id == report_id)
    audited = select(func.count()).select_from(AuditEvent).where(AuditEvent.report_id == report_id)
    assert (session.scalar(events), session.scalar(audited)) == (2, 0)


def test_a_report_is_offered_for_assigning_while_open_and_for_notes_always() -> None:
    for status in ReportStatus:
        offered = report_lifecycle.moderator_actions(status)
        assert (R.ASSIGN in offered) is (status in report_lifecycle.OPEN)
        assert R.ADD_NOTE in offered and R.FILE not in offered
    assert report_lifecycle.moderator_actions(ReportStatus.NEW) == [
        R.ACKNOWLEDGE, R.START_REVIEW, R.RESOLVE_WITH_ACTION, R.RESOLVE_WITHOUT_ACTION, R.DISMISS,
        R.UPHOLD_APPEAL, R.REJECT_APPEAL, R.ASSIGN, R.ADD_NOTE, R.LISTING_RESTORED]  # fmt: skip
    # A report's buttons never decide an appeal; an appeal's never resolve, dismiss or reopen.
    assert not set(report_lifecycle.status_steps(ReportStatus.NEW)) & set(report_lifecycle.APPEAL_DECISIONS)
    assert report_lifecycle.status_steps(ReportStatus.NEW, appeal=True) == [
        R.ACKNOWLEDGE, R.START_REVIEW, R.UPHOLD_APPEAL, R.REJECT_APPEAL]
    assert report_lifecycle.status_steps(ReportStatus.RESOLVED_NO_ACTION, appeal=True) == []
    assert R.ACKNOWLEDGE in report_lifecycle.status_steps(ReportStatus.NEW)
    assert R.ACKNOWLEDGE not in report_lifecycle.status_steps(ReportStatus.NEW, acknowledged=True)
    assert R.ACKNOWLEDGE not in report_lifecycle.moderator_actions(ReportStatus.IN_REVIEW)
