"""The bulk paths beside the doors make the same moves as the doors: the same refusals, the same
row state, the same event and audit rows, the same blocks (only the ids differ)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, BlockedIdentity, ListingEvent, Mentor, Report, ReportEvent
from services.audit.audit_log import MENTOR, PUBLIC, Actor
from services.core.refusals import NotAllowedNow
from services.core.vocabulary import ActorKind, CodeClause, ListingStatus, ReportStatus
from services.listings import listing_batch, listing_lifecycle
from services.listings.listing_batch import ListingBatch
from services.listings.listing_lifecycle import TRANSITIONS as LISTING
from services.listings.listing_lifecycle import ListingAction
from services.listings.profile import validate_profile
from services.reports import report_lifecycle
from services.reports.report_lifecycle import TRANSITIONS as REPORT
from services.reports.report_lifecycle import ReportAction, ReportBatch
from tests.conftest import NOW
from tests.factories import factory_moderator, make_mentor, make_profile, sign_up

A, R = ListingAction, ReportAction
LATER, EVEN_LATER = NOW.replace(hour=15), NOW.replace(hour=16)
MOVES = [(action, state, actor) for action, move in LISTING.items() for state in ListingStatus
         for actor in (ActorKind.MENTOR, ActorKind.MODERATOR) if move.allows(state, actor)]  # fmt: skip
REFUSED = [(action, state, actor) for action, move in LISTING.items() if action is not A.SIGN_UP
           for state in ListingStatus for actor in (ActorKind.MENTOR, ActorKind.MODERATOR)
           if not move.allows(state, actor)]  # fmt: skip
EVENT = ("kind", "from_status", "to_status", "actor_kind", "moderator_id", "reason", "code_clause",
         "report_id", "occurred_at")  # fmt: skip
AUDIT = ("actor_kind", "moderator_id", "actor_label", "action", "report_id", "reason", "detail",
         "occurred_at")  # fmt: skip


def _actor(session: Session, kind: ActorKind) -> Actor:
    return factory_moderator(session).actor if kind is ActorKind.MODERATOR else MENTOR


def _rows(
    session: Session, model: Any, names: tuple[str, ...], **where: object
) -> list[tuple[Any, ...]]:
    query = select(model).filter_by(**where).order_by(model.id)
    return [tuple(getattr(row, name) for name in names) for row in session.scalars(query)]


def _listing(session: Session, mentor_id: int) -> dict[str, Any]:
    """What a listing's moves wrote: its state, its events, its audit rows, its blocks."""
    session.expire_all()
    mentor = session.get(Mentor, mentor_id)
    assert mentor is not None
    blocks = _rows(
        session, BlockedIdentity, ("kind", "value_key", "lifted_at"), mentor_id=mentor_id
    )
    return {
        "state": [getattr(mentor, k) for k in listing_batch.STATE],
        "events": _rows(session, ListingEvent, EVENT, mentor_id=mentor_id),
        "audit": _rows(session, AuditEvent, AUDIT, mentor_id=mentor_id),
        "blocks": [
            (kind, value == getattr(mentor, f"{kind}_key"), lifted)
            for kind, value, lifted in blocks
        ],
    }


@pytest.mark.parametrize(
    ("action", "state", "actor"), MOVES, ids=lambda v: getattr(v, "value", str(v))
)
def test_a_batch_move_writes_what_the_door_writes(
    session: Session, action: ListingAction, state: ListingStatus, actor: ActorKind
) -> None:
    if action is A.SIGN_UP:
        return  # test_a_batch_sign_up_writes_what_the_door_writes
    by_door, by_batch = make_mentor(session, status=state), make_mentor(session, status=state)
    why = {
        "actor": _actor(session, actor),
        "now": LATER,
        "reason": "why",
        "clause": CodeClause.HARASSMENT,
    }
    if action is A.REMOVE_FOR_DAYS:  # the one move that carries its end
        why["removed_until"] = LATER.date() + timedelta(days=14)
    if action in listing_lifecycle.EFFECTS and action not in ListingBatch.BULK_EFFECTS:
        with pytest.raises(ValueError, match="move_listing"):  # deleting, erasing: one by one
            batch = ListingBatch(session)
            batch.load(Mentor.id == by_batch)
            batch.move(by_batch, action, **why)
        return
    listing_lifecycle.move_listing(
        session, listing_lifecycle.lock_listing(session, by_door), action, **why
    )
    batch = ListingBatch(session)
    batch.load(Mentor.id == by_batch)
    batch.move(by_batch, action, **why)
    assert batch.write() == 1
    assert _listing(session, by_batch) == _listing(session, by_door)


def test_a_batch_refuses_every_move_the_door_refuses(session: Session) -> None:
    mentors = {state: make_mentor(session, status=state) for state in ListingStatus}
    batch = ListingBatch(session)
    batch.load(Mentor.id.in_(mentors.values()))
    for action, state, actor in REFUSED:
        with pytest.raises(NotAllowedNow):
            batch.move(mentors[state], action, actor=_actor(session, actor), now=LATER)
    assert batch.write() == 0
    assert [_listing(session, m)["state"][0] for m in mentors.values()] == list(ListingStatus)


def test_a_batch_sign_up_writes_what_the_door_writes(session: Session) -> None:
    by_door = sign_up(session, now=NOW).mentor_id
    clean, _ = validate_profile(make_profile())
    assert clean is not None
    profile = {name: getattr(clean, name) for name in (
        "full_name", "pronouns", "headline", "company", "seniority", "country", "city", "bio",
        "linkedin_url", "email", "open_to_new_mentees", "availability_note", "email_key",
        "linkedin_key")} | {"created_at": NOW}  # fmt: skip
    batch = ListingBatch(session)
    by_batch = batch.sign_up(profile, actor=MENTOR, now=NOW).mentor_id
    batch.move(by_batch, A.CONFIRM, actor=MENTOR, now=NOW)  # the factory confirms at once too
    moves = ((A.BAN, LATER, "why"), (A.RESTORE, EVEN_LATER, "ok"))
    for action, when, reason in moves:
        batch.move(
            by_batch, action, actor=factory_moderator(session).actor, now=when, reason=reason
        )
    assert batch.write() == 4
    for action, when, reason in moves:
        listing_lifecycle.move_listing(session, listing_lifecycle.lock_listing(session, by_door), action,
                                       actor=factory_moderator(session).actor, now=when, reason=reason)  # fmt: skip
    assert _listing(session, by_batch) == _listing(session, by_door)
    assert _listing(session, by_batch)["blocks"] == [
        ("email", True, EVEN_LATER),
        ("linkedin", True, EVEN_LATER),
    ]


# A report's moves: from each state the door can reach, every move the table allows.
PATHS = {ReportStatus.NEW: [], ReportStatus.IN_REVIEW: [R.START_REVIEW],
         ReportStatus.RESOLVED_ACTION: [R.RESOLVE_WITH_ACTION],
         ReportStatus.RESOLVED_NO_ACTION: [R.RESOLVE_WITHOUT_ACTION], ReportStatus.DISMISSED: [R.DISMISS]}  # fmt: skip
REPORT_MOVES = [
    (a, s)
    for a, move in REPORT.items()
    for s in ReportStatus
    if move.allows(s, ActorKind.MODERATOR)
]


def _report(session: Session, report_id: int) -> dict[str, Any]:
    """What a report's moves wrote: its state, its events, its audit rows."""
    session.expire_all()
    report = session.get(Report, report_id)
    assert report is not None
    return {
        "state": [getattr(report, k) for k in report_lifecycle.STATE],
        "events": _rows(session, ReportEvent, (*EVENT[:-2], "listing_event_id", "occurred_at"),
                        report_id=report_id),
        "audit": _rows(session, AuditEvent, tuple(n for n in AUDIT if n != "report_id"), report_id=report_id),
    }  # fmt: skip


@pytest.mark.parametrize(("action", "state"), REPORT_MOVES, ids=lambda v: v.value)
def test_a_batch_report_move_writes_what_the_door_writes(
    session: Session, action: ReportAction, state: ReportStatus
) -> None:
    moderator = factory_moderator(session)
    said = {"kind": "violation", "mentor_id": None, "named_person": "Someone", "category": "other",
            "description": "x", "reporter_role": "witness", "created_at": NOW}  # fmt: skip
    steps = [*PATHS[state], action]
    door = Report(reference="WAN-DOOR-0001", **said)
    session.add(door)
    report_lifecycle.move_report(session, door, R.FILE, actor=PUBLIC, now=NOW)
    for step in steps:
        report_lifecycle.move_report(session, door, step, actor=moderator.actor, now=LATER, reason="why",
                                     assignee_id=moderator.id, assignee_name=moderator.username)  # fmt: skip
    batch = ReportBatch(session)
    batch_id = batch.ids.take()
    batch.file({**said, "id": batch_id, "reference": "WAN-BATCH-001"}, actor=PUBLIC, now=NOW)
    for step in steps:
        batch.move(batch_id, step, actor=moderator.actor, now=LATER, reason="why",
                   assignee_id=moderator.id, assignee_name=moderator.username)  # fmt: skip
    assert batch.write() == 1 + len(steps)
    assert _report(session, batch_id) == _report(session, door.id)


@pytest.mark.parametrize("state", list(PATHS), ids=lambda v: v.value)
def test_a_batch_refuses_every_report_move_the_door_refuses(
    session: Session, state: ReportStatus
) -> None:
    moderator = factory_moderator(session).actor
    batch = ReportBatch(session)
    report_id = batch.ids.take()
    batch.file({"id": report_id, "reference": "WAN-BATCH-002", "kind": "violation", "mentor_id": None,
                "category": "other", "description": "x", "created_at": NOW}, actor=PUBLIC, now=NOW)  # fmt: skip
    for step in PATHS[state]:
        batch.move(report_id, step, actor=moderator, now=LATER)
    refused = [a for a, move in REPORT.items() if not move.allows(state, ActorKind.MODERATOR)]
    for action in refused:
        with pytest.raises(NotAllowedNow):
            batch.move(report_id, action, actor=moderator, now=LATER)
    with pytest.raises(NotAllowedNow):  # the public files; a moderator's moves are a moderator's
        batch.move(
            report_id,
            R.START_REVIEW if state is ReportStatus.NEW else R.REOPEN,
            actor=PUBLIC,
            now=LATER,
        )
    assert batch.write() == 1 + len(PATHS[state])
    assert _report(session, report_id)["state"][0] == state
