"""Moderators at work: the report workflow, removal, ban, restore, and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEvent, Mentor, Report
from models.vocabulary import ListingStatus
from services.auth import ModeratorIdentity, add_moderator
from services.case_files import QueueFilter, audit_log, mentor_roster, report_queue, report_view
from services.code_of_conduct import current_code
from services.directory import MentorFilter, search_mentors
from services.listings import InvalidSubmission, NotAllowedNow
from services.moderation import (
    ReportChanged,
    ReportStatus,
    add_note,
    assign_report,
    ban_mentor,
    remove_mentor,
    restore_mentor,
    set_report_status,
)
from services.reports import ReportInput, file_report
from services.signing import SignUpRefused
from tests.conftest import NOW
from tests.factories import sign_up


@pytest.fixture
def alice(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="alice", password="correct horse battery", now=NOW)


def report_on(session: Session, mentor_id: int | None, **overrides: object) -> int:
    values: dict[str, object] = {"mentor_id": mentor_id, "category": "asking_for_payment",
                                 "description": "Asked me for 50 euros per session.", "reporter_role": "mentee"}  # fmt: skip
    values.update(overrides)
    receipt = file_report(session, report=ReportInput(**values), client_key="c", now=NOW)  # type: ignore[arg-type]
    return session.scalar(select(Report.id).where(Report.reference == receipt.reference)) or 0


def listed(session: Session) -> list[int]:
    return [c.id for c in search_mentors(session, mentor_filter=MentorFilter()).mentors]


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_report_moves_through_the_workflow_with_timestamps(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = sign_up(session)
    report_id = report_on(session, mentor.mentor_id)
    view = report_view(session, report_id=report_id)
    assert view and view.status == "new" and view.first_action_at is None
    set_report_status(session, report_id=report_id, expected_version=view.version, status=ReportStatus.IN_REVIEW,
                      moderator=alice, now=NOW + timedelta(hours=1))  # fmt: skip
    set_report_status(session, report_id=report_id, expected_version=view.version + 1,
                      status=ReportStatus.RESOLVED_ACTION, moderator=alice, now=NOW + timedelta(hours=3))  # fmt: skip
    view = report_view(session, report_id=report_id)
    assert view and view.status == "resolved_action"
    assert view.first_action_at == NOW + timedelta(hours=1) and view.resolved_at == NOW + timedelta(
        hours=3
    )
    assert list(view.history["what"]) == [
        "report_status_changed",
        "report_status_changed",
        "report_filed",
    ]


def test_two_moderators_acting_at_once_never_overwrite_each_other(
    session: Session, alice: ModeratorIdentity
) -> None:
    bob = add_moderator(session, username="bob", password="another long password", now=NOW)
    report_id = report_on(session, sign_up(session).mentor_id)
    loaded = report_view(session, report_id=report_id)
    assert loaded
    set_report_status(session, report_id=report_id, expected_version=loaded.version, status=ReportStatus.DISMISSED,
                      moderator=alice, now=NOW)  # fmt: skip
    with pytest.raises(ReportChanged):
        set_report_status(session, report_id=report_id, expected_version=loaded.version,
                          status=ReportStatus.RESOLVED_NO_ACTION, moderator=bob, now=NOW)  # fmt: skip
    with pytest.raises(ReportChanged):
        assign_report(
            session,
            report_id=report_id,
            expected_version=loaded.version,
            assignee_id=bob.id,
            moderator=bob,
            now=NOW,
        )
    add_note(session, report_id=report_id, body="Alice's note", moderator=alice, now=NOW)
    add_note(session, report_id=report_id, body="Bob's note", moderator=bob, now=NOW)
    view = report_view(session, report_id=report_id)
    assert view and view.status == "dismissed"
    assert [(n.author, n.body) for n in view.notes] == [
        ("alice", "Alice's note"),
        ("bob", "Bob's note"),
    ]


def test_concurrent_status_changes_from_two_connections(writer: sessionmaker[Session]) -> None:
    with writer.begin() as session:
        moderator = add_moderator(
            session, username="alice", password="correct horse battery", now=NOW
        )
        report_id = report_on(session, sign_up(session).mentor_id)
    outcomes = []
    for status in (ReportStatus.DISMISSED, ReportStatus.RESOLVED_ACTION):
        try:
            with writer.begin() as session:
                set_report_status(
                    session,
                    report_id=report_id,
                    expected_version=1,
                    status=status,
                    moderator=moderator,
                    now=NOW,
                )
            outcomes.append("saved")
        except ReportChanged:
            outcomes.append("told to reload")
    assert outcomes == ["saved", "told to reload"]
    with writer() as session:
        assert session.scalar(select(Report.status)) == "dismissed"


def test_remove_takes_the_mentor_off_the_directory_and_restore_brings_them_back(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = sign_up(session)
    with pytest.raises(InvalidSubmission):
        remove_mentor(session, mentor_id=mentor.mentor_id, reason="  ", moderator=alice, now=NOW)
    remove_mentor(
        session, mentor_id=mentor.mentor_id, reason="Asked for payment", moderator=alice, now=NOW
    )
    assert listed(session) == []
    with pytest.raises(NotAllowedNow):
        remove_mentor(session, mentor_id=mentor.mentor_id, reason="again", moderator=alice, now=NOW)
    restore_mentor(
        session, mentor_id=mentor.mentor_id, reason="Appeal upheld", moderator=alice, now=NOW
    )
    assert listed(session) == [mentor.mentor_id]
    log = audit_log(session, mentor_id=mentor.mentor_id)
    assert list(log["what"])[:2] == ["mentor_restored", "mentor_removed"]
    assert list(log["who"])[:2] == ["alice", "alice"] and list(log["why"])[:2] == [
        "Appeal upheld",
        "Asked for payment",
    ]


def test_restore_puts_a_paused_listing_back_to_paused(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = sign_up(session)
    session.get(Mentor, mentor.mentor_id).status = ListingStatus.PAUSED.value  # type: ignore[union-attr]
    ban_mentor(session, mentor_id=mentor.mentor_id, reason="Harassment", moderator=alice, now=NOW)
    restore_mentor(
        session, mentor_id=mentor.mentor_id, reason="Mistaken identity", moderator=alice, now=NOW
    )
    assert session.get(Mentor, mentor.mentor_id).status == ListingStatus.PAUSED.value  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "again",
    [{"email": "  JANE@example.org"}, {"linkedin_url": "https://fr.linkedin.com/in/Jane-Doe/"}],
    ids=["same email", "same LinkedIn profile"],
)
def test_a_ban_blocks_signing_up_again_until_restored(
    session: Session, alice: ModeratorIdentity, again: dict[str, str]
) -> None:
    mentor = sign_up(
        session, email="jane@example.org", linkedin_url="https://www.linkedin.com/in/jane-doe"
    )
    ban_mentor(
        session, mentor_id=mentor.mentor_id, reason="Demeaning speech", moderator=alice, now=NOW
    )
    assert listed(session) == []
    with pytest.raises(SignUpRefused):
        sign_up(session, **again)
    restore_mentor(
        session, mentor_id=mentor.mentor_id, reason="Overturned", moderator=alice, now=NOW
    )
    assert listed(session) == [mentor.mentor_id]


def test_every_moderation_action_leaves_an_audit_row(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = sign_up(session)
    report_id = report_on(session, mentor.mentor_id)
    assign_report(
        session,
        report_id=report_id,
        expected_version=1,
        assignee_id=alice.id,
        moderator=alice,
        now=NOW,
    )
    add_note(session, report_id=report_id, body="Called the mentee.", moderator=alice, now=NOW)
    ban_mentor(
        session,
        mentor_id=mentor.mentor_id,
        reason="Payment",
        moderator=alice,
        now=NOW,
        report_id=report_id,
    )
    set_report_status(
        session,
        report_id=report_id,
        expected_version=2,
        status=ReportStatus.RESOLVED_ACTION,
        moderator=alice,
        now=NOW,
    )
    assert actions(session)[-5:] == [
        "report_filed",
        "report_assigned",
        "report_note_added",
        "mentor_banned",
        "report_status_changed",
    ]


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
    assert first != second


def test_the_roster_counts_reports_per_mentor(session: Session) -> None:
    quiet = sign_up(session, full_name="Quiet Mentor").mentor_id
    loud = sign_up(session, full_name="Reported Mentor").mentor_id
    report_on(session, loud)
    report_on(session, loud, category="harassment")
    roster = mentor_roster(session)
    assert list(zip(roster["id"], roster["reports"], strict=True))[:2] == [(loud, 2), (quiet, 0)]
    assert list(mentor_roster(session, name="quiet")["id"]) == [quiet]
