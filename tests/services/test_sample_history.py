"""The sample data's history: moves the lifecycles' tables allow, by the actors they name, made
through the doors' bulk paths, and the story the trends page tells with it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from models import AuditEvent, ListingEvent, Mentor, Report, ReportEvent, ReportNote, Signature
from services.accounts.auth import ModeratorIdentity
from services.core.vocabulary import ActorKind
from services.listings import freshness
from services.listings.blocks import blocked_kinds, identity_taken
from services.listings.code_of_conduct import current_code
from services.listings.listing_lifecycle import TRANSITIONS, ListingAction
from services.reports.intake import ReportCategory
from services.samples.appeals import PLAN
from services.samples.freshness import UNANSWERED
from services.samples.mentors import insert_sample_mentors
from services.samples.year import TAKE_DOWNS, UNCONFIRMED, insert_sample_year
from services.trends.single_measures import bans, removals
from tests.conftest import NOW, migrated_database
from tests.factories import factory_moderator
from tests.history_checks import listing_history_problems, report_history_problems
from tests.services.trend_data import UTC_ZONE

A = ListingAction
MODERATORS_ALONE = {a for a, move in TRANSITIONS.items() if move.actors == {ActorKind.MODERATOR}}


def make_sample_year(session: Session) -> ModeratorIdentity:
    insert_sample_mentors(session, count=120, code=current_code(), now=NOW)
    moderator = factory_moderator(session)
    insert_sample_year(session, now=NOW, moderator_id=moderator.id)
    session.flush()
    return moderator


@pytest.fixture(scope="module")
def year(engine: Engine) -> Iterator[tuple[Session, ModeratorIdentity]]:
    """One sample year per database for the whole module, rolled back at the end (read only)."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session, make_sample_year(session)
    finally:
        session.close()
        transaction.rollback()
        connection.close()


def test_every_sample_listing_event_is_a_move_the_listing_table_allows(
    year: tuple[Session, object],
) -> None:
    session, _ = year
    assert session.scalar(select(ListingEvent.id).limit(1)) is not None
    assert listing_history_problems(session) == []


def test_every_sample_report_event_is_a_move_the_report_table_allows(
    year: tuple[Session, object],
) -> None:
    session, _ = year
    assert session.scalar(select(ReportEvent.id).limit(1)) is not None
    assert report_history_problems(session) == []


def test_the_moderators_moves_are_the_sample_moderators_and_the_system_deletes_and_pauses(
    year: tuple[Session, ModeratorIdentity],
) -> None:
    session, moderator = year
    events = session.execute(
        select(ListingEvent.kind, ListingEvent.actor_kind, ListingEvent.moderator_id)
    ).all()
    by_kind = Counter(
        (kind, actor, who) for kind, actor, who in events if A.of(kind) in MODERATORS_ALONE
    )
    assert by_kind == {
        ("warned", "moderator", moderator.id): TAKE_DOWNS[A.WARN][0],
        ("removed_for_days", "moderator", moderator.id): TAKE_DOWNS[A.REMOVE_FOR_DAYS][0],
        ("decision_withdrawn", "moderator", None): 1,  # the upheld appeal, by a second moderator
        ("removed", "moderator", moderator.id): TAKE_DOWNS[A.REMOVE][0],
        ("banned", "moderator", moderator.id): TAKE_DOWNS[A.BAN][0],
        ("taken_off_on_request", "moderator", moderator.id): TAKE_DOWNS[A.TAKE_OFF_ON_REQUEST][0],
        ("restored", "moderator", moderator.id): 1,
    }
    by_system = Counter(kind for kind, actor, _ in events if actor == "system")
    # a week after each sign-up; and the clock's pauses for no answer
    assert set(by_system) == {"unconfirmed_deleted", "paused_unanswered", "returned_on_date"}
    assert by_system["returned_on_date"] <= TAKE_DOWNS[A.REMOVE_FOR_DAYS][0]
    assert by_system["unconfirmed_deleted"] == UNCONFIRMED
    assert 0 < by_system["paused_unanswered"] <= UNANSWERED
    report_actors = {
        tuple(r) for r in session.execute(select(ReportEvent.actor_kind, ReportEvent.moderator_id))
    }
    # The appeals: filed by their mentor, decided by a moderator who did not take the decision.
    assert report_actors == {("public", None), ("moderator", moderator.id), ("mentor", None),
                             ("moderator", None)}  # fmt: skip


def test_each_take_down_resolves_the_report_it_was_made_from(year: tuple[Session, object]) -> None:
    session, _ = year
    take_downs = session.scalars(select(ListingEvent).where(
        ListingEvent.kind.in_([a.value for a in TAKE_DOWNS]))).all()  # fmt: skip
    assert len(take_downs) == sum(n for n, _ in TAKE_DOWNS.values())
    for event in take_downs:
        report = session.get(Report, event.report_id)
        assert report is not None and report.mentor_id == event.mentor_id
        assert report.reference.startswith("WAN-S") and "Sample" in report.description
        assert ReportCategory.of(report.category) in TAKE_DOWNS[A.of(event.kind)][1]
        assert event.code_clause == ReportCategory.of(report.category).clause
        resolved = session.scalars(
            select(ReportEvent).where(ReportEvent.listing_event_id == event.id)
        ).one()
        assert (resolved.report_id, resolved.kind, resolved.occurred_at, resolved.moderator_id) == (
            report.id,
            "resolved_with_action",
            event.occurred_at,
            event.moderator_id,
        )
        assert report.status == "resolved_action"


def test_banned_sample_listings_are_blocked_and_the_restored_one_is_listed_again(
    year: tuple[Session, object],
) -> None:
    session, _ = year
    banned = session.scalars(select(Mentor).where(Mentor.status == "banned")).all()
    assert len(banned) == TAKE_DOWNS[A.BAN][0]
    for mentor in banned:
        keys = {"email_key": mentor.email_key or "", "linkedin_key": mentor.linkedin_key or ""}
        assert blocked_kinds(session, **keys) == {"email", "linkedin"}
        assert identity_taken(session, **keys, other_than=mentor.id)
    restore = session.scalars(select(ListingEvent).where(ListingEvent.kind == "restored")).one()
    mentor = session.get(Mentor, restore.mentor_id)
    assert mentor is not None and (mentor.status, mentor.status_before_takedown) == ("listed", None)
    # As the console does: the restore is noted on the report its removal resolved.
    noted = session.scalars(select(ReportEvent).where(ReportEvent.listing_event_id == restore.id)).one()
    removal = session.scalars(select(ListingEvent).where(
        ListingEvent.mentor_id == mentor.id, ListingEvent.kind == "removed")).one()  # fmt: skip
    assert (noted.kind, noted.report_id, noted.occurred_at) == (
        "listing_restored", removal.report_id, restore.occurred_at)


def test_a_taken_down_mentor_has_no_report_but_the_one_the_take_down_resolved(
    year: tuple[Session, object],
) -> None:
    session, _ = year  # so no other open report was left for the take-down to resolve
    take_downs = session.scalars(select(ListingEvent).where(ListingEvent.kind.in_(["removed", "banned"])))
    for event in take_downs:
        about = session.scalars(select(Report.id).where(Report.mentor_id == event.mentor_id,
                                                        Report.kind != "appeal")).all()  # fmt: skip
        assert about == [event.report_id]


def test_every_sample_move_has_the_audit_row_its_door_writes(year: tuple[Session, object]) -> None:
    session, _ = year
    audit = Counter(tuple(row) for row in session.execute(select(
        AuditEvent.action, AuditEvent.mentor_id, AuditEvent.report_id, AuditEvent.occurred_at,
        AuditEvent.actor_kind, AuditEvent.moderator_id).where(AuditEvent.action.like("%.%"))))  # fmt: skip
    listing = [(f"listing.{e.kind}", e.mentor_id, e.report_id, e.occurred_at, e.actor_kind, e.moderator_id)
               for e in session.scalars(select(ListingEvent))]  # fmt: skip
    mentor_of = {
        row.id: row.mentor_id for row in session.execute(select(Report.id, Report.mentor_id))
    }
    report = [(f"report.{e.kind}", mentor_of[e.report_id], e.report_id, e.occurred_at, e.actor_kind,
               e.moderator_id) for e in session.scalars(select(ReportEvent))]  # fmt: skip
    assert audit == Counter(listing + report)


def test_each_sample_note_event_has_the_note_a_moderator_wrote(
    year: tuple[Session, object],
) -> None:
    session, _ = year
    events = session.execute(
        select(ReportEvent.report_id, ReportEvent.moderator_id, ReportEvent.occurred_at).where(
            ReportEvent.kind == "note_added"
        )
    ).all()
    notes = session.execute(
        select(ReportNote.report_id, ReportNote.moderator_id, ReportNote.created_at)
    ).all()
    assert events and sorted(map(tuple, notes)) == sorted(map(tuple, events))
    assert all(body.startswith("Sample note") for body in session.scalars(select(ReportNote.body)))


def test_the_trends_count_the_sample_removals_and_bans_the_moderator_made(
    year: tuple[Session, object],
) -> None:
    session, _ = year
    everything = {"start": NOW.date() - timedelta(days=800), "end": NOW.date(), "tz": UTC_ZONE}
    assert removals(session, **everything).total == TAKE_DOWNS[A.REMOVE][0]
    assert bans(session, **everything).total == TAKE_DOWNS[A.BAN][0]


def test_the_sample_year_tells_its_story(year: tuple[Session, object]) -> None:
    session, _ = year
    kinds = Counter(session.scalars(select(ListingEvent.kind)))
    assert kinds["signed_up"] == 120 + UNCONFIRMED
    assert kinds["confirmed"] == 120 and kinds["unconfirmed_deleted"] == UNCONFIRMED
    assert kinds["paused"] > 15 and kinds["resumed"] > 10  # breaks of a few weeks
    assert kinds["availability_confirmed"] > 10 and kinds["paused_unanswered"] > 0
    resumes = session.scalars(
        select(Signature.signed_at).where(Signature.occasion == "resume")
    ).all()
    came_back = session.scalar(select(func.count()).select_from(ListingEvent)
                               .where(ListingEvent.reason == freshness.CAME_BACK))  # fmt: skip
    assert came_back and len(resumes) == kinds["resumed"] - came_back  # resuming signs the Code again
    weekly = session.scalars(
        select(Report.created_at).where(Report.created_at > NOW - timedelta(days=365))
    )
    assert 52 * 3 <= len(weekly.all()) <= 52 * 3 + sum(n for n, _ in TAKE_DOWNS.values()) + len(PLAN)
    assert all(r.startswith("WAN-S") for r in session.scalars(select(Report.reference)))
    assert not session.scalars(select(Mentor.id).where(Mentor.is_sample.is_(False))).all()


def _fingerprint(session: Session) -> list[tuple[object, ...]]:
    queries = (
        select(ListingEvent.mentor_id, ListingEvent.kind, ListingEvent.occurred_at,
               ListingEvent.report_id).order_by(ListingEvent.id),
        select(ReportEvent.report_id, ReportEvent.kind, ReportEvent.occurred_at).order_by(ReportEvent.id),
        select(Mentor.full_name, Mentor.status, Mentor.version).order_by(Mentor.id),
    )  # fmt: skip
    return [tuple(row) for query in queries for row in session.execute(query)]


def test_the_same_seed_makes_the_same_history(
    year: tuple[Session, object], engine: Engine, tmp_path: Path
) -> None:
    session, _ = year
    with migrated_database(engine.dialect.name, tmp_path) as other, Session(other) as again:
        make_sample_year(again)
        assert _fingerprint(again) == _fingerprint(session)
