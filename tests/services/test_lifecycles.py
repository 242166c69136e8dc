"""The transition tables: every move each lifecycle allows or refuses, and what each one records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, ListingEvent, Mentor, Report, ReportEvent
from models.db import PROJECT_ROOT
from services.audit.audit_log import MENTOR, SYSTEM, Actor
from services.core.refusals import NotAllowedNow
from services.core.transitions import Target
from services.core.vocabulary import ActorKind, CodeClause, ListingStatus, ReportStatus
from services.listings import listing_lifecycle
from services.listings.listing_lifecycle import TRANSITIONS as LISTING
from services.listings.listing_lifecycle import ListingAction
from services.reports import report_lifecycle
from services.reports.intake import ReportInput, file_report
from services.reports.report_lifecycle import TRANSITIONS as REPORT
from services.reports.report_lifecycle import ReportAction
from tests.conftest import NOW
from tests.factories import factory_moderator, make_mentor

MODERATOR_KIND, MENTOR_KIND, SYSTEM_KIND = ActorKind.MODERATOR, ActorKind.MENTOR, ActorKind.SYSTEM
LISTING_MOVES = [
    (action, state, actor)
    for action in ListingAction if action is not ListingAction.SIGN_UP
    for state in ListingStatus
    for actor in (MENTOR_KIND, MODERATOR_KIND, SYSTEM_KIND)
]  # fmt: skip
REPORT_MOVES = [
    (action, state) for action in ReportAction if action is not ReportAction.FILE for state in ReportStatus
]  # fmt: skip


def test_the_listing_table_reads_as_the_product_says() -> None:
    allowed = {a: sorted(s.value for s in t.sources if s) for a, t in LISTING.items()}
    assert allowed[ListingAction.PAUSE] == ["listed"]
    assert allowed[ListingAction.RESUME] == ["paused"]
    assert allowed[ListingAction.REMOVE] == ["listed", "paused"]
    assert allowed[ListingAction.BAN] == ["listed", "paused", "removed"]
    assert allowed[ListingAction.RESTORE] == ["banned", "removed"]
    assert allowed[ListingAction.DELETE] == ["listed", "paused", "removed"]  # a ban stays
    assert LISTING[ListingAction.RESTORE].target is Target.PREVIOUS
    assert LISTING[ListingAction.SIGN_UP].sources == frozenset({None})


def _actor(session: Session, kind: ActorKind) -> Actor:
    return {MODERATOR_KIND: factory_moderator(session).actor, SYSTEM_KIND: SYSTEM}.get(kind, MENTOR)


@pytest.mark.parametrize(("action", "state", "actor"), LISTING_MOVES,
                         ids=lambda v: getattr(v, "value", str(v)))  # fmt: skip
def test_every_listing_move_is_made_or_refused_as_its_table_says(
    session: Session, action: ListingAction, state: ListingStatus, actor: ActorKind
) -> None:
    mentor_id = make_mentor(session, status=state)
    mentor = listing_lifecycle.lock_listing(session, mentor_id)
    before_events = session.scalars(select(ListingEvent.id).where(ListingEvent.mentor_id == mentor_id)).all()
    version = mentor.version
    move = LISTING[action]
    if not move.allows(state, actor):
        with pytest.raises(NotAllowedNow):
            listing_lifecycle.move_listing(session, mentor, action, actor=_actor(session, actor), now=NOW)
        session.expire_all()
        assert session.get(Mentor, mentor_id).version == version  # type: ignore[union-attr]
        return
    until = NOW.date() + timedelta(days=14) if action is ListingAction.REMOVE_FOR_DAYS else None
    listing_lifecycle.move_listing(session, mentor, action, actor=_actor(session, actor), now=NOW,
                                   reason="why", clause=CodeClause.HARASSMENT, removed_until=until)  # fmt: skip
    session.expire_all()
    after = session.get(Mentor, mentor_id)
    assert after is not None and after.version == version + 1
    # make_mentor takes a listing down from "listed", so that is what a restore goes back to.
    expected = {Target.STAY: state, Target.PREVIOUS: ListingStatus.LISTED}.get(move.target, move.target)  # type: ignore[call-overload]
    assert after.status == expected
    [event] = session.scalars(
        select(ListingEvent).where(ListingEvent.mentor_id == mentor_id, ListingEvent.id.not_in(before_events))
    ).all()  # fmt: skip
    assert (event.kind, event.from_status, event.to_status, event.actor_kind) == (
        action.value, state.value, after.status, actor.value)
    assert (event.occurred_at, event.reason, event.code_clause) == (NOW, "why", "3.1")
    audit = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert audit == f"listing.{action.value}"


def _report_in(session: Session, state: ReportStatus) -> Report:
    file_report(session, report=ReportInput(named_person="Someone", category="other", description="x",
                                            reporter_role="witness"), client_key="k", now=NOW)  # fmt: skip
    report = session.scalars(select(Report).order_by(Report.id.desc()).limit(1)).one()
    path = {
        ReportStatus.IN_REVIEW: [ReportAction.START_REVIEW],
        ReportStatus.RESOLVED_ACTION: [ReportAction.RESOLVE_WITH_ACTION],
        ReportStatus.RESOLVED_NO_ACTION: [ReportAction.RESOLVE_WITHOUT_ACTION],
        ReportStatus.DISMISSED: [ReportAction.DISMISS],
    }.get(state, [])
    for step in path:
        report_lifecycle.move_report(session, report, step, actor=factory_moderator(session).actor, now=NOW)
    return report


@pytest.mark.parametrize(("action", "state"), REPORT_MOVES, ids=lambda v: v.value)
def test_every_report_move_is_made_or_refused_as_its_table_says(
    session: Session, action: ReportAction, state: ReportStatus
) -> None:
    report = _report_in(session, state)
    version = report.version
    moderator = factory_moderator(session).actor
    if not REPORT[action].allows(state, MODERATOR_KIND):
        with pytest.raises(NotAllowedNow):
            report_lifecycle.move_report(session, report, action, actor=moderator, now=NOW)
        return
    report_lifecycle.move_report(session, report, action, actor=moderator, now=NOW, reason="why")
    target = REPORT[action].target
    assert report.status == (state if target is Target.STAY else target)
    assert report.version == version + (0 if action is ReportAction.ADD_NOTE else 1)
    event = session.scalars(select(ReportEvent).order_by(ReportEvent.id.desc()).limit(1)).one()
    assert (event.kind, event.from_status, event.to_status, event.actor_kind, event.reason) == (
        action.value, state.value, report.status, "moderator", "why")
    assert report.first_action_at == NOW
    assert (report.resolved_at is not None) == (report.status in report_lifecycle.CLOSED)


def test_a_mentor_cannot_take_a_moderators_action_nor_a_moderator_a_mentors(session: Session) -> None:
    mentor = listing_lifecycle.lock_listing(session, make_mentor(session))
    with pytest.raises(NotAllowedNow):
        listing_lifecycle.move_listing(session, mentor, ListingAction.BAN, actor=MENTOR, now=NOW)
    with pytest.raises(NotAllowedNow):
        listing_lifecycle.move_listing(session, mentor, ListingAction.PAUSE,
                                       actor=factory_moderator(session).actor, now=NOW)  # fmt: skip


def test_pages_get_their_buttons_from_the_tables() -> None:
    A = ListingAction
    assert listing_lifecycle.moderator_actions(ListingStatus.LISTED) == [
        A.NOTE_BREACH, A.WARN, A.REMOVE_FOR_DAYS, A.REMOVE, A.BAN]
    assert listing_lifecycle.moderator_actions(ListingStatus.REMOVED) == [ListingAction.BAN, ListingAction.RESTORE]
    assert listing_lifecycle.moderator_actions(ListingStatus.DELETED) == []
    assert listing_lifecycle.moderator_actions(ListingStatus.LISTED, removal_request=True) == [
        ListingAction.TAKE_OFF_ON_REQUEST, ListingAction.ERASE_ON_REQUEST]
    assert report_lifecycle.status_steps(ReportStatus.DISMISSED) == [ReportAction.REOPEN]
    assert ReportAction.START_REVIEW not in report_lifecycle.status_steps(ReportStatus.IN_REVIEW)


def _documented(heading: str) -> dict[str, tuple[set[str], str, str]]:
    """The transition table under `heading` in docs/ARCHITECTURE.md: action -> (from, to, by)."""
    text = (PROJECT_ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    lines = text.split(f"### {heading}\n", 1)[1].strip().splitlines()
    rows = lines[2 : next(i for i, line in enumerate(lines) if not line.startswith("|"))]
    table: dict[str, tuple[set[str], str, str]] = {}
    for row in rows:
        action, sources, target, actors = (cell.strip() for cell in row.strip("|").split("|"))
        table[action] = ({s.strip() for s in sources.split(",")}, target, actors)
    return table


def _as_written(table: dict) -> dict[str, tuple[set[str], str, str]]:  # type: ignore[type-arg]
    names = {Target.STAY: "(same)", Target.PREVIOUS: "(previous)"}
    return {
        action.value: ({s.value if s else "(new)" for s in move.sources},
                       names.get(move.target, getattr(move.target, "value", "")),
                       ", ".join(sorted(a.value for a in move.actors)))
        for action, move in table.items()
    }  # fmt: skip


@pytest.mark.parametrize(("heading", "table"), [("A listing", LISTING), ("A report", REPORT)])
def test_the_architecture_document_shows_the_tables_the_code_uses(heading: str, table: dict) -> None:  # type: ignore[type-arg]
    assert _documented(heading) == _as_written(table)



NOT_SIGN_UP = [a for a in ListingAction if a is not ListingAction.SIGN_UP]
NOT_FILING = [a for a in ReportAction if a not in (ReportAction.FILE, ReportAction.FILE_APPEAL)]


@pytest.mark.parametrize("action", NOT_SIGN_UP, ids=lambda a: a.value)
def test_only_a_sign_up_makes_a_new_listing(session: Session, action: ListingAction) -> None:
    actor = _actor(session, next(iter(LISTING[action].actors)))
    with pytest.raises(NotAllowedNow) as refused:
        listing_lifecycle.move_listing(session, Mentor(), action, actor=actor, now=NOW)
    said = f"This listing can't be {action.label.lower()}: it is not created yet."
    assert refused.value.message == said


@pytest.mark.parametrize("action", NOT_FILING, ids=lambda a: a.value)
def test_only_filing_makes_a_new_report(session: Session, action: ReportAction) -> None:
    actor = factory_moderator(session).actor
    with pytest.raises(NotAllowedNow) as refused:
        report_lifecycle.move_report(
            session, Report(reference="R-NEW"), action, actor=actor, now=NOW
        )
    said = f"Report R-NEW can't be {action.label.lower()}: it is not created yet."
    assert refused.value.message == said


def test_someone_taking_a_move_that_is_not_theirs_is_told_so(session: Session) -> None:
    mentor = listing_lifecycle.lock_listing(session, make_mentor(session))
    with pytest.raises(NotAllowedNow) as refused:
        listing_lifecycle.move_listing(session, mentor, ListingAction.BAN, actor=MENTOR, now=NOW)
    assert refused.value.message == "This listing: banned is not something you can do here."
