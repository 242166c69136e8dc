"""Appeals: one per decision, within 20 days, up to 2,000 characters, from the mentor's own code;
decided by a moderator other than the one who took the decision; upheld reverses it through the
listing's door; either outcome mailed and logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    BlockedIdentity,
    ListingEvent,
    Mentor,
    OutboxMail,
    Report,
    ReportEvent,
)
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.core.refusals import ChangedMeanwhile, InvalidSubmission, NotAllowedNow
from services.core.vocabulary import CodeClause, ReportStatus
from services.listings.listing_lifecycle import ListingAction
from services.reports import appeals
from services.reports.case_files import QueueFilter, report_queue
from services.reports.moderation import act_on_mentor, act_on_report
from services.reports.report_lifecycle import ReportAction
from tests.conftest import NOW
from tests.factories import SignedUp, sign_up

A, R = ListingAction, ReportAction
DAY = timedelta(days=1)


@pytest.fixture
def alice(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="alice", password="correct horse battery", now=NOW)


@pytest.fixture
def bob(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="bob", password="correct horse battery", now=NOW)


def decided(session: Session, alice: ModeratorIdentity, action: ListingAction = A.REMOVE,
            mentor: SignedUp | None = None) -> tuple[SignedUp, int]:  # fmt: skip
    """A mentor and alice's decision about them (its listing event id)."""
    mentor = mentor or sign_up(session, email=f"m{id(object())}@example.org")
    move = act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None, action=action,
                         moderator=alice, reason="Did not reply for weeks", now=NOW,
                         clause=CodeClause.RESPONSIVE, days=7)  # fmt: skip
    return mentor, move.event_id


def appeal(session: Session, mentor: SignedUp, event_id: int, *, when=NOW + DAY,  # noqa: ANN001
           text: str = "I was in hospital and told my mentees.") -> str:  # fmt: skip
    return appeals.file_appeal(session, credential=mentor.credential, event_id=event_id, text=text, now=when)


def appeal_id(session: Session, reference: str) -> int:
    return session.scalars(select(Report.id).where(Report.reference == reference)).one()


def decide(session: Session, reference: str, who: ModeratorIdentity, action: ReportAction, **extra: object):  # noqa: ANN201
    return appeals.decide_appeal(session, report_id=appeal_id(session, reference), expected_version=None,
                                 action=action, moderator=who, now=NOW + 2 * DAY, **extra)  # type: ignore[arg-type]  # fmt: skip


def status(session: Session, mentor_id: int) -> str:
    session.expire_all()
    return session.get_one(Mentor, mentor_id).status


def last_mail(session: Session, mentor_id: int) -> OutboxMail:
    email = session.get_one(Mentor, mentor_id).email
    return session.scalars(select(OutboxMail).where(OutboxMail.recipient == email)
                           .order_by(OutboxMail.id.desc()).limit(1)).one()  # fmt: skip


def test_an_appeal_lands_in_the_queue_as_received_and_the_mentor_sees_it(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor, event_id = decided(session, alice)
    assert [d.event_id for d in appeals.open_to_appeal(session, mentor_id=mentor.mentor_id, now=NOW + DAY)] == [event_id]
    reference = appeal(session, mentor, event_id)
    report = session.get_one(Report, appeal_id(session, reference))
    assert (report.kind, report.status, report.mentor_id, report.appeal_of_event_id) == (
        "appeal", "new", mentor.mentor_id, event_id)
    assert report.description == "I was in hospital and told my mentees."
    queue = report_queue(session, queue_filter=QueueFilter())
    assert reference in set(queue["reference"])
    [state] = appeals.appeals_of(session, mentor_id=mentor.mentor_id)
    assert (state.reference, state.words, state.decision.action) == (reference, "received", A.REMOVE)
    assert appeals.open_to_appeal(session, mentor_id=mentor.mentor_id, now=NOW + DAY) == []
    event = session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)).one()
    assert (event.kind, event.actor_kind, event.code_clause) == ("appeal_filed", "mentor", "2.1")


def test_a_decision_has_one_appeal(session: Session, alice: ModeratorIdentity) -> None:
    mentor, event_id = decided(session, alice)
    appeal(session, mentor, event_id)
    with pytest.raises(NotAllowedNow, match="already appealed"):
        appeal(session, mentor, event_id, text="And another thing.")
    assert session.scalar(select(func.count()).select_from(Report)) == 1


def test_after_20_days_the_decision_can_no_longer_be_appealed(session: Session, alice: ModeratorIdentity) -> None:
    mentor, event_id = decided(session, alice)
    assert appeals.open_to_appeal(session, mentor_id=mentor.mentor_id, now=NOW + 20 * DAY - timedelta(minutes=1))
    assert appeals.open_to_appeal(session, mentor_id=mentor.mentor_id, now=NOW + 20 * DAY + timedelta(minutes=1)) == []
    with pytest.raises(NotAllowedNow, match="20 days"):
        appeal(session, mentor, event_id, when=NOW + 21 * DAY)
    appeal(session, mentor, event_id, when=NOW + 20 * DAY)  # the last moment still counts


@pytest.mark.parametrize(("text", "message"), [("   \n ", "Please say why"), ("x" * 2001, "2,000 characters")])
def test_an_empty_or_too_long_appeal_is_named_next_to_its_field(
    session: Session, alice: ModeratorIdentity, text: str, message: str
) -> None:
    mentor, event_id = decided(session, alice)
    with pytest.raises(InvalidSubmission) as refused:
        appeal(session, mentor, event_id, text=text)
    assert list(refused.value.errors) == ["appeal"] and message in refused.value.errors["appeal"]
    assert session.scalar(select(func.count()).select_from(Report)) == 0


def test_only_the_listings_own_decisions_can_be_appealed_with_its_code(
    session: Session, alice: ModeratorIdentity
) -> None:
    _, someone_elses = decided(session, alice)
    mentor = sign_up(session)
    with pytest.raises(NotAllowedNow, match="can't be appealed"):
        appeal(session, mentor, someone_elses)
    note = act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None, now=NOW,
                         action=A.NOTE_BREACH, moderator=alice, reason="x", clause=CodeClause.SUPPORTIVE)  # fmt: skip
    with pytest.raises(NotAllowedNow, match="can't be appealed"):  # a note is no decision against them
        appeal(session, mentor, note.event_id)


def test_the_moderator_who_took_the_decision_cannot_decide_its_appeal_and_the_attempt_is_refused(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity
) -> None:
    mentor, event_id = decided(session, alice)
    reference = appeal(session, mentor, event_id)
    with pytest.raises(NotAllowedNow, match="another moderator"):
        decide(session, reference, alice, R.UPHOLD_APPEAL)
    assert status(session, mentor.mentor_id) == "removed"
    assert session.get_one(Report, appeal_id(session, reference)).status == "new"
    act_on_report(session, report_id=appeal_id(session, reference), expected_version=None,
                  action=R.ACKNOWLEDGE, moderator=alice, now=NOW + DAY)  # anyone may pick it up  # fmt: skip


def test_an_upheld_appeal_of_a_removal_restores_the_listing_and_mails_the_mentor(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity
) -> None:
    mentor, event_id = decided(session, alice)
    reference = appeal(session, mentor, event_id)
    decide(session, reference, bob, R.UPHOLD_APPEAL, reporter_message="Sorry: you had told them.")
    assert status(session, mentor.mentor_id) == "listed"
    restore = session.scalars(select(ListingEvent).where(ListingEvent.mentor_id == mentor.mentor_id)
                              .order_by(ListingEvent.id.desc()).limit(1)).one()  # fmt: skip
    assert (restore.kind, restore.reason) == ("restored", f"Appeal {reference} upheld")
    report = session.get_one(Report, appeal_id(session, reference))
    assert report.status == ReportStatus.RESOLVED_ACTION.value
    mail = last_mail(session, mentor.mentor_id)
    assert mail.kind == "appeal_decided"
    assert mail.values["outcome"] == "upheld: the decision is reversed"
    assert mail.values["message"] == "Sorry: you had told them."
    assert appeals.appeals_of(session, mentor_id=mentor.mentor_id)[0].words == "upheld: the decision is reversed"


def test_an_upheld_appeal_of_a_ban_lifts_its_blocks(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity
) -> None:
    mentor, event_id = decided(session, alice, A.BAN)
    decide(session, appeal(session, mentor, event_id), bob, R.UPHOLD_APPEAL)
    assert status(session, mentor.mentor_id) == "listed"
    assert session.scalar(select(func.count()).select_from(BlockedIdentity)
                          .where(BlockedIdentity.lifted_at.is_(None))) == 0  # fmt: skip


def test_a_rejected_appeal_leaves_the_decision_and_mails_the_mentor(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity
) -> None:
    mentor, event_id = decided(session, alice, A.REMOVE_FOR_DAYS)
    decide(session, appeal(session, mentor, event_id), bob, R.REJECT_APPEAL)
    assert status(session, mentor.mentor_id) == "removed"
    assert session.get_one(Mentor, mentor.mentor_id).removed_until == (NOW + 7 * DAY).date()
    assert last_mail(session, mentor.mentor_id).values["outcome"] == "rejected: the decision stands"


@pytest.mark.parametrize("what", ["a warning", "a removal overtaken by a ban"])
def test_an_upheld_appeal_with_nothing_to_restore_withdraws_the_decision_in_the_history(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity, what: str
) -> None:
    mentor, event_id = decided(session, alice, A.WARN if what == "a warning" else A.REMOVE_FOR_DAYS)
    if what != "a warning":
        act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None, action=A.BAN,
                      moderator=bob, reason="Then asked for money", now=NOW + DAY,
                      clause=CodeClause.PAYMENT)  # fmt: skip
    before = status(session, mentor.mentor_id)
    decide(session, appeal(session, mentor, event_id), bob if what == "a warning" else ModeratorIdentity(
        add_moderator(session, username="cleo", password="correct horse battery", now=NOW).id, "cleo"),
        R.UPHOLD_APPEAL)  # fmt: skip
    assert status(session, mentor.mentor_id) == before  # a later ban stays
    kinds = session.scalars(select(ListingEvent.kind).where(ListingEvent.mentor_id == mentor.mentor_id)
                            .order_by(ListingEvent.id)).all()  # fmt: skip
    assert kinds[-1] == "decision_withdrawn"


def test_an_appeal_is_decided_by_uphold_or_reject_only(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity
) -> None:
    mentor, event_id = decided(session, alice)
    report_id = appeal_id(session, appeal(session, mentor, event_id))
    for action in (R.RESOLVE_WITH_ACTION, R.DISMISS):
        with pytest.raises(NotAllowedNow, match="Uphold or Reject"):
            act_on_report(session, report_id=report_id, expected_version=None, action=action,
                          moderator=bob, now=NOW + DAY)  # fmt: skip
    with pytest.raises(NotAllowedNow, match="Uphold or Reject"):
        act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None, action=A.BAN,
                      moderator=bob, reason="x", now=NOW + DAY, report_id=report_id)  # fmt: skip
    decide(session, appeal_id_ref(session, report_id), bob, R.REJECT_APPEAL)
    with pytest.raises(NotAllowedNow):  # decided once: no second decision, no reopening
        decide(session, appeal_id_ref(session, report_id), bob, R.UPHOLD_APPEAL)
    with pytest.raises(NotAllowedNow):
        act_on_report(session, report_id=report_id, expected_version=None, action=R.REOPEN,
                      moderator=bob, now=NOW + 3 * DAY)  # fmt: skip


def appeal_id_ref(session: Session, report_id: int) -> str:
    return session.get_one(Report, report_id).reference


def test_a_decision_on_a_changed_appeal_is_refused_and_audited(
    session: Session, alice: ModeratorIdentity, bob: ModeratorIdentity
) -> None:
    mentor, event_id = decided(session, alice)
    report_id = appeal_id(session, appeal(session, mentor, event_id))
    version = session.get_one(Report, report_id).version
    act_on_report(session, report_id=report_id, expected_version=version, action=R.START_REVIEW,
                  moderator=bob, now=NOW + DAY)  # fmt: skip
    with pytest.raises(ChangedMeanwhile) as told:
        appeals.decide_appeal(session, report_id=report_id, expected_version=version,
                              action=R.UPHOLD_APPEAL, moderator=bob, now=NOW + DAY)  # fmt: skip
    assert told.value.attempt and told.value.attempt["report_id"] == report_id
    assert status(session, mentor.mentor_id) == "removed"
    assert session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "report.appeal_upheld")) == 0  # fmt: skip
