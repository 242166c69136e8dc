"""A listing batch beyond the single moves test_lifecycle_batches compares with the door: what it
loads, what a move answers and names, the door's own refusals, and a batch used again."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, BlockedIdentity, ListingEvent, Mentor, Report
from services.audit.audit_log import MENTOR
from services.core.refusals import NotAllowedNow
from services.core.vocabulary import ActorKind, ListingStatus
from services.listings import listing_lifecycle
from services.listings.listing_batch import ListingBatch
from services.listings.listing_lifecycle import ListingAction, ListingMove
from services.reports.intake import ReportInput, file_report
from tests.conftest import NOW
from tests.factories import factory_moderator, make_mentor

A = ListingAction
LATER, EVEN_LATER = NOW.replace(hour=15), NOW.replace(hour=16)
# Moves only the door makes (they rewrite the profile), from states that refuse them.
REFUSED_REWRITES = [
    (action, state, actor)
    for action in (A.DELETE, A.ERASE_ON_REQUEST)
    for state in ListingStatus
    for actor in (ActorKind.MENTOR, ActorKind.MODERATOR)
    if not listing_lifecycle.TRANSITIONS[action].allows(state, actor)
]


def test_a_batch_loads_listings_in_id_order_whatever_the_criteria_sort_by(session: Session) -> None:
    # The email index would hand them back a before z; the batch's moves follow id order.
    first = make_mentor(session, email="zoe@example.org")
    second = make_mentor(session, email="adam@example.org")
    batch = ListingBatch(session)
    loaded = batch.load(Mentor.email_key.in_(["zoe@example.org", "adam@example.org"]))
    assert [m.id for m in loaded] == [first, second]


def test_a_batch_keeps_what_it_loaded_earlier_and_writes_every_move(session: Session) -> None:
    one, two = make_mentor(session), make_mentor(session)
    batch = ListingBatch(session)
    batch.load(Mentor.id == one)
    batch.load(Mentor.id == two)  # a second load adds to the first
    batch.move(one, A.PAUSE, actor=MENTOR, now=LATER)
    batch.move(two, A.PAUSE, actor=MENTOR, now=LATER)
    assert batch.write() == 2
    session.expire_all()
    statuses = session.scalars(select(Mentor.status).where(Mentor.id.in_([one, two])))
    assert list(statuses) == [ListingStatus.PAUSED.value] * 2


def test_a_batch_move_answers_with_its_event_and_the_states_on_either_side(
    session: Session,
) -> None:
    mentor_id = make_mentor(session)
    batch = ListingBatch(session)
    batch.load(Mentor.id == mentor_id)
    move = batch.move(mentor_id, A.PAUSE, actor=MENTOR, now=LATER)
    batch.write()
    event = session.scalars(select(ListingEvent).where(ListingEvent.mentor_id == mentor_id)
                            .order_by(ListingEvent.id.desc())).first()  # fmt: skip
    assert event is not None and event.kind == A.PAUSE.value
    assert move == ListingMove(
        event.id, mentor_id, A.PAUSE, ListingStatus.LISTED, ListingStatus.PAUSED
    )


def test_a_take_down_from_a_report_names_the_report_in_its_event_and_audit_row(
    session: Session,
) -> None:
    mentor_id = make_mentor(session)
    receipt = file_report(session, client_key="batch", now=NOW, report=ReportInput(
        mentor_id=mentor_id, category="harassment", description="What happened.",
        reporter_role="mentee"))  # fmt: skip
    report_id = session.scalar(select(Report.id).where(Report.reference == receipt.reference))
    batch = ListingBatch(session)
    batch.load(Mentor.id == mentor_id)
    batch.move(mentor_id, A.REMOVE, actor=factory_moderator(session).actor, now=LATER,
               reason="Harassment", report_id=report_id)  # fmt: skip
    batch.write()
    event = session.scalars(select(ListingEvent).where(ListingEvent.kind == A.REMOVE.value,
                                                       ListingEvent.mentor_id == mentor_id)).one()  # fmt: skip
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "listing.removed",
                                                     AuditEvent.mentor_id == mentor_id)).one()  # fmt: skip
    assert (event.report_id, audit.report_id) == (report_id, report_id)


@pytest.mark.parametrize(("action", "state", "actor"), REFUSED_REWRITES,
                         ids=lambda v: getattr(v, "value", str(v)))  # fmt: skip
def test_a_batch_refuses_a_move_only_the_door_makes_in_the_doors_words(
    session: Session, action: ListingAction, state: ListingStatus, actor: ActorKind
) -> None:
    by_door, by_batch = make_mentor(session, status=state), make_mentor(session, status=state)
    who = factory_moderator(session).actor if actor is ActorKind.MODERATOR else MENTOR
    with pytest.raises(NotAllowedNow) as door:
        listing_lifecycle.move_listing(session, listing_lifecycle.lock_listing(session, by_door),
                                       action, actor=who, now=LATER)  # fmt: skip
    batch = ListingBatch(session)
    batch.load(Mentor.id == by_batch)
    with pytest.raises(NotAllowedNow) as refused:
        batch.move(by_batch, action, actor=who, now=LATER)
    assert refused.value.message == door.value.message
    assert refused.value.message.startswith("This listing")


def test_a_batch_written_once_can_make_and_write_more_moves(session: Session) -> None:
    mentor_id = make_mentor(session)
    moderator = factory_moderator(session).actor
    batch = ListingBatch(session)
    batch.load(Mentor.id == mentor_id)
    batch.move(mentor_id, A.BAN, actor=moderator, now=LATER, reason="Harassment")
    assert batch.write() == 1
    batch.load(Mentor.id == mentor_id)
    batch.move(mentor_id, A.RESTORE, actor=moderator, now=EVEN_LATER, reason="Appeal upheld")
    assert batch.write() == 1
    lifted = session.scalars(select(BlockedIdentity.lifted_at)
                             .where(BlockedIdentity.mentor_id == mentor_id)).all()  # fmt: skip
    assert lifted == [EVEN_LATER, EVEN_LATER]
