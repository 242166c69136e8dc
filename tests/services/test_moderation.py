"""Moderators at work: the report workflow, removal, ban, restore, and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, ListingEvent, Mentor, ReportEvent
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.audit.history import audit_log
from services.core.refusals import ChangedMeanwhile, InvalidSubmission, NotAllowedNow
from services.core.vocabulary import CodeClause, ListingStatus, ReportStatus
from services.directory.mentor_search import MentorFilter, search_mentors
from services.listings.code_of_conduct import current_code
from services.listings.enforcement import ENFORCES_CODE
from services.listings.listing_lifecycle import ListingAction
from services.reports.case_files import QueueFilter, mentor_roster, report_queue, report_view
from services.reports.intake import ReportInput, file_report, request_removal
from services.reports.moderation import act_on_mentor, act_on_report, add_note, assign_report
from services.reports.report_lifecycle import ReportAction
from tests.conftest import NOW
from tests.factories import make_mentor, sign_up, sign_up_makes_nothing

R = ReportAction
L = ListingAction


@pytest.fixture
def alice(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="alice", password="correct horse battery", now=NOW)


def report_on(session: Session, mentor_id: int | None, **overrides: object) -> int:
    values: dict[str, object] = {"mentor_id": mentor_id, "category": "asking_for_payment",
                                 "description": "Asked me for 50 euros per session.", "reporter_role": "mentee"}  # fmt: skip
    values.update(overrides)
    file_report(session, report=ReportInput(**values), client_key="c", now=NOW)  # type: ignore[arg-type]
    return session.scalar(select(ReportEvent.report_id).order_by(ReportEvent.id.desc()).limit(1)) or 0


def listed(session: Session) -> list[int]:
    return [c.id for c in search_mentors(session, mentor_filter=MentorFilter()).mentors]


def act(session: Session, mentor_id: int, action: ListingAction, moderator: ModeratorIdentity,
        reason: str = "A reason", **extra: object) -> None:  # fmt: skip
    if action in ENFORCES_CODE and "report_id" not in extra:  # from the roster: the clause chosen
        extra.setdefault("clause", CodeClause.HARASSMENT)
    act_on_mentor(session, mentor_id=mentor_id, expected_version=None, action=action,
                  moderator=moderator, reason=reason, now=NOW, **extra)  # type: ignore[arg-type]  # fmt: skip


def test_a_report_moves_through_the_workflow_with_timestamps(
    session: Session, alice: ModeratorIdentity
) -> None:
    report_id = report_on(session, sign_up(session).mentor_id)
    view = report_view(session, report_id=report_id)
    assert view and view.status is ReportStatus.NEW and view.first_action_at is None
    act_on_report(session, report_id=report_id, expected_version=view.version, action=R.START_REVIEW,
                  moderator=alice, now=NOW + timedelta(hours=1))  # fmt: skip
    act_on_report(session, report_id=report_id, expected_version=view.version + 1,
                  action=R.RESOLVE_WITH_ACTION, moderator=alice, now=NOW + timedelta(hours=3))  # fmt: skip
    view = report_view(session, report_id=report_id)
    assert view and view.status is ReportStatus.RESOLVED_ACTION
    assert (view.first_action_at, view.resolved_at) == (NOW + timedelta(hours=1), NOW + timedelta(hours=3))
    assert list(view.history["what"]) == ["Resolved: action taken", "Review started", "Received"]
    assert list(view.history["who"]) == ["alice", "alice", "A member of the public"]


def test_reopening_keeps_when_the_report_was_resolved_in_its_history(
    session: Session, alice: ModeratorIdentity
) -> None:
    report_id = report_on(session, sign_up(session).mentor_id)
    act_on_report(session, report_id=report_id, expected_version=1, action=R.DISMISS,
                  moderator=alice, now=NOW + timedelta(hours=1))  # fmt: skip
    act_on_report(session, report_id=report_id, expected_version=2, action=R.REOPEN,
                  moderator=alice, now=NOW + timedelta(hours=2))  # fmt: skip
    view = report_view(session, report_id=report_id)
    assert view and view.status is ReportStatus.IN_REVIEW and view.resolved_at is None
    events = session.execute(
        select(ReportEvent.kind, ReportEvent.occurred_at).where(ReportEvent.report_id == report_id)
        .order_by(ReportEvent.id)
    ).all()  # fmt: skip
    assert [tuple(e) for e in events] == [("filed", NOW), ("dismissed", NOW + timedelta(hours=1)),
                                          ("reopened", NOW + timedelta(hours=2))]  # fmt: skip


def test_a_moderator_acting_on_a_stale_report_is_told_and_nothing_changes(
    session: Session, alice: ModeratorIdentity
) -> None:
    bob = add_moderator(session, username="bob", password="another long password", now=NOW)
    report_id = report_on(session, sign_up(session).mentor_id)
    loaded = report_view(session, report_id=report_id)
    assert loaded
    act_on_report(session, report_id=report_id, expected_version=loaded.version, action=R.DISMISS,
                  moderator=alice, now=NOW)  # fmt: skip
    with pytest.raises(ChangedMeanwhile) as told:
        act_on_report(session, report_id=report_id, expected_version=loaded.version,
                      action=R.RESOLVE_WITHOUT_ACTION, moderator=bob, now=NOW)  # fmt: skip
    assert loaded.reference in told.value.message and "dismissed" in told.value.message
    assert told.value.attempt and told.value.attempt["actor"] == bob.actor
    with pytest.raises(ChangedMeanwhile):
        assign_report(session, report_id=report_id, expected_version=loaded.version, assignee=bob,
                      moderator=bob, now=NOW)  # fmt: skip
    add_note(session, report_id=report_id, body="Alice's note", moderator=alice, now=NOW)
    add_note(session, report_id=report_id, body="Bob's note", moderator=bob, now=NOW)
    view = report_view(session, report_id=report_id)
    assert view and view.status is ReportStatus.DISMISSED
    assert [(n.author, n.body) for n in view.notes] == [("alice", "Alice's note"), ("bob", "Bob's note")]


def test_remove_takes_the_mentor_off_the_directory_and_restore_brings_them_back(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = sign_up(session).mentor_id
    with pytest.raises(InvalidSubmission):
        act(session, mentor, L.REMOVE, alice, reason="  ")
    act(session, mentor, L.REMOVE, alice, reason="Asked for payment", clause=CodeClause.PAYMENT)
    assert listed(session) == []
    with pytest.raises(NotAllowedNow):
        act(session, mentor, L.REMOVE, alice, reason="again")
    act(session, mentor, L.RESTORE, alice, reason="Appeal upheld")
    assert listed(session) == [mentor]
    log = audit_log(session, mentor_id=mentor)
    assert list(log["what"])[:2] == ["Listing: restored", "Listing: removed"]
    assert list(log["who"])[:2] == ["alice", "alice"]
    assert list(log["why"])[:2] == ["Appeal upheld", "Asked for payment"]
    removal = session.scalars(select(ListingEvent).where(ListingEvent.kind == "removed")).one()
    assert (removal.from_status, removal.to_status, removal.code_clause, removal.moderator_id) == (
        "listed", "removed", "3.3", alice.id)


def test_restore_puts_a_paused_listing_back_to_paused(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = make_mentor(session, status=ListingStatus.PAUSED)
    act(session, mentor, L.BAN, alice, reason="Harassment")
    act(session, mentor, L.RESTORE, alice, reason="Mistaken identity")
    assert session.get(Mentor, mentor).status == ListingStatus.PAUSED.value  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "again",
    [{"email": "  JANE@example.org"}, {"linkedin_url": "https://fr.linkedin.com/in/Jane-Doe/"}],
    ids=["same email", "same LinkedIn profile"],
)
def test_a_ban_blocks_signing_up_again_until_restored(
    session: Session, alice: ModeratorIdentity, again: dict[str, str]
) -> None:
    mentor = sign_up(session, email="jane@example.org",
                     linkedin_url="https://www.linkedin.com/in/jane-doe").mentor_id  # fmt: skip
    act(session, mentor, L.BAN, alice, reason="Demeaning speech")
    assert listed(session) == []
    assert sign_up_makes_nothing(session, **again)
    act(session, mentor, L.RESTORE, alice, reason="Overturned")
    assert listed(session) == [mentor]


@pytest.mark.parametrize("action", [L.REMOVE, L.BAN])
def test_acting_on_a_mentor_from_a_report_resolves_it_linked_to_the_action(
    session: Session, alice: ModeratorIdentity, action: ListingAction
) -> None:
    mentor = sign_up(session).mentor_id
    report_id = report_on(session, mentor, category="harassment")
    act(session, mentor, action, alice, report_id=report_id, expected_report_version=1,
        reason="Harassed a mentee")  # fmt: skip
    view = report_view(session, report_id=report_id)
    assert view and view.status is ReportStatus.RESOLVED_ACTION and view.resolved_at == NOW
    listing_event = session.scalars(select(ListingEvent).where(ListingEvent.kind == action.value)).one()
    resolution = session.scalars(
        select(ReportEvent).where(ReportEvent.kind == R.RESOLVE_WITH_ACTION.value)
    ).one()
    assert resolution.listing_event_id == listing_event.id and listing_event.report_id == report_id
    assert listing_event.code_clause == resolution.code_clause == CodeClause.HARASSMENT.value


def test_a_removal_request_is_worked_gently_and_the_owner_can_come_back(
    session: Session, alice: ModeratorIdentity
) -> None:
    mine = sign_up(session, full_name="Jane Doe", email="jane@example.org")
    request_removal(session, contact="jane@example.org", message="Too busy", client_key="c", now=NOW)
    report_id = session.scalar(select(ReportEvent.report_id).order_by(ReportEvent.id.desc()).limit(1))
    assert report_id is not None
    act(session, mine.mentor_id, L.TAKE_OFF_ON_REQUEST, alice, report_id=report_id,
        expected_report_version=1, reason="Asked by email")  # fmt: skip
    assert listed(session) == []
    view = report_view(session, report_id=report_id)
    assert view and view.status is ReportStatus.RESOLVED_ACTION
    event = session.scalars(select(ListingEvent).where(ListingEvent.kind == "taken_off_on_request")).one()
    assert (event.to_status, event.code_clause) == ("paused", CodeClause.REMOVAL_ON_REQUEST.value)


def test_every_moderation_action_leaves_an_audit_row(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = sign_up(session).mentor_id
    report_id = report_on(session, mentor)
    assign_report(session, report_id=report_id, expected_version=1, assignee=alice,
                  moderator=alice, now=NOW)  # fmt: skip
    add_note(session, report_id=report_id, body="Called the mentee.", moderator=alice, now=NOW)
    act(session, mentor, L.BAN, alice, reason="Payment", report_id=report_id, expected_report_version=2)
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-5:] == ["report.filed", "report.assigned", "report.note_added",
                            "listing.banned", "report.resolved_with_action"]  # fmt: skip


def test_the_queue_filters_by_status_category_mentor_and_date(session: Session) -> None:
    ada = sign_up(session, full_name="Ada Lovelace").mentor_id
    bo = sign_up(session, full_name="Bo Diddley").mentor_id
    report_on(session, ada, category="not_responsive")
    report_on(session, bo, category="harassment")
    report_on(session, None, named_person="Someone Unlisted", category="other")
    report_on(session, bo, honeypot="http://spam.example", category="other")
    everything = report_queue(session, queue_filter=QueueFilter())
    assert sorted(everything["mentor"]) == ["Ada Lovelace", "Bo Diddley", "Someone Unlisted"]
    assert list(
        report_queue(session, queue_filter=QueueFilter(categories=("harassment",)))["mentor"]
    ) == ["Bo Diddley"]
    assert list(report_queue(session, queue_filter=QueueFilter(mentor="lovelace"))["mentor"]) == [
        "Ada Lovelace"
    ]
    assert len(report_queue(session, queue_filter=QueueFilter(include_spam=True))) == 4
    assert report_queue(session, queue_filter=QueueFilter(statuses=("dismissed",))).empty
    tomorrow = NOW.date() + timedelta(days=1)
    assert report_queue(session, queue_filter=QueueFilter(created_from=tomorrow)).empty
    assert len(report_queue(session, queue_filter=QueueFilter(created_to=NOW.date()))) == 3


def test_report_view_shows_signatures_and_other_reports_of_the_mentor(session: Session) -> None:
    mentor = sign_up(session, full_name="Jane Doe")
    first = report_on(session, mentor.mentor_id, category="not_responsive")
    second = report_on(session, mentor.mentor_id, occurred_on=date(2026, 11, 1))
    view = report_view(session, report_id=second)
    assert view and view.mentor and view.mentor.signatures[0].typed_name == "Jane Doe"
    assert view.mentor.code_texts == {current_code().sha256: current_code().text}
    assert list(view.other_reports["category"]) == ["Not responsive, or ghosting"]
    assert view.reporter_role == "I was the mentee" and view.occurred_on == date(2026, 11, 1)
    assert view.clause is CodeClause.PAYMENT and first != second


def test_the_roster_counts_reports_per_mentor_and_shows_the_most_reported_first(
    session: Session,
) -> None:
    quiet = sign_up(session, full_name="Quiet Mentor").mentor_id
    loud = sign_up(session, full_name="Reported Mentor").mentor_id
    report_on(session, loud)
    report_on(session, loud, category="harassment")
    newest_first = mentor_roster(session)
    assert list(zip(newest_first["id"], newest_first["reports"], strict=True))[:2] == [(loud, 2), (quiet, 0)]
    assert list(mentor_roster(session, reported_only=True)["id"]) == [loud]
    assert list(mentor_roster(session, name="quiet")["id"]) == [quiet]
    assert list(mentor_roster(session, name="quiet")["status"]) == ["Listed"]


def test_the_queue_mentor_search_takes_percent_and_underscore_literally(session: Session) -> None:
    report_on(session, sign_up(session, full_name="Ada Lovelace").mentor_id)
    report_on(session, None, named_person="100% Real_Name")
    assert report_queue(session, queue_filter=QueueFilter(mentor="%")).mentor.tolist() == ["100% Real_Name"]
    assert report_queue(session, queue_filter=QueueFilter(mentor="_")).mentor.tolist() == ["100% Real_Name"]
