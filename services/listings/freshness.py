"""Listings that stay true by themselves: the clock asks a listed mentor who has said nothing for
90 days whether they are still available, and pauses the listing (a system move, "not
confirmed") if 14 days pass without an answer. Never a penalty: the pause mail carries a link
that brings the listing back in one click, and an answer after the pause does the same.

Each step acts on what is due when it runs (a run twice, or late, does the right thing once):
a listing is asked once per stretch of silence (a still-available link issued since it last
confirmed), and paused once (only while listed). Made-up sample listings are never asked (their
addresses are nobody's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Exists, and_, exists, select, tuple_
from sqlalchemy.orm import Session

from models import ListingEvent, ListingLink, Mentor
from services.audit.audit_log import MENTOR, SYSTEM
from services.core.vocabulary import ListingStatus
from services.listings import links
from services.listings.batch_mail import mail_listed
from services.listings.links import Purpose
from services.listings.listing_lifecycle import ListingAction, lock_listing, move_listing
from services.mail import outbox
from services.mail.templates import Kind

A = ListingAction
LISTED, PAUSED = ListingStatus.LISTED.value, ListingStatus.PAUSED.value
BATCH = 500  # listings paused per step (each a move of its own)
ASK_BATCH = 100  # listings asked per step (a few statements each): the pages get a turn between
NOT_CONFIRMED = "Not confirmed: no answer to the still-available mail"
CAME_BACK = "Came back from the still-available mail"


@dataclass(frozen=True)
class Spans:
    """How long a listing stays quiet before it is asked, and how long an answer may take."""

    ask_after: timedelta = timedelta(days=90)
    pause_after: timedelta = timedelta(days=14)


def _asked_since_confirmed(*, before: datetime | None = None) -> Exists:
    """A still-available link issued to this listing since it last confirmed (and before `before`)."""
    link = ListingLink
    conditions = [link.mentor_id == Mentor.id, link.purpose == Purpose.STILL_AVAILABLE.value,
                  link.created_at >= Mentor.available_confirmed_at]  # fmt: skip
    if before is not None:
        conditions.append(link.created_at <= before)
    return exists().where(and_(*conditions))


Cursor = tuple[datetime, int]  # where a run's batches got to: (available_confirmed_at, id)


def ask_due(session: Session, *, now: datetime, spans: Spans) -> int:
    """Mail "are you still available?" to listed mentors quiet for `ask_after` (one batch); how many."""
    return ask_batch(session, now=now, spans=spans)[0]


def ask_batch(
    session: Session, *, now: datetime, spans: Spans, after: Cursor | None = None,
    size: int | None = None,
) -> tuple[int, Cursor | None]:  # fmt: skip
    """Ask the next `size` due listings (after `after`, in the order they went quiet), in a few
    statements: locked together, each address's mail limit counted, then every link and mail
    written at once. How many were asked, and where the next batch starts (None: no more due)."""
    size = size or ASK_BATCH
    due = (
        select(Mentor.id, Mentor.available_confirmed_at)
        .where(Mentor.status == LISTED, Mentor.is_sample.is_(False),
               Mentor.available_confirmed_at < now - spans.ask_after, ~_asked_since_confirmed())
        .order_by(Mentor.available_confirmed_at, Mentor.id).limit(size)
    )  # fmt: skip
    if after is not None:
        due = due.where(tuple_(Mentor.available_confirmed_at, Mentor.id) > tuple_(*after))
    found = session.execute(due).all()
    if not found:
        return 0, None
    asked = mail_listed(session, ids=[row.id for row in found], kind=Kind.STILL_AVAILABLE,
                        purpose=Purpose.STILL_AVAILABLE, now=now)  # fmt: skip
    last = found[-1]
    return asked, ((last.available_confirmed_at, last.id) if len(found) == size else None)


def ask_now(session: Session, *, mentor_id: int, now: datetime) -> bool:
    """Bring this listing's still-available mail forward (mentees heard nothing: no_reply.py);
    False when it is not listed, made up, or already asked since it last confirmed."""
    mentor = lock_listing(session, mentor_id)
    if mentor.status != LISTED or mentor.is_sample or not mentor.email:
        return False
    if session.scalar(select(Mentor.id).where(Mentor.id == mentor_id, _asked_since_confirmed())):
        return False
    _mail(session, mentor, Kind.STILL_AVAILABLE, now=now)
    return True


def pause_unanswered(session: Session, *, now: datetime, spans: Spans) -> int:
    """Pause the listings asked `pause_after` ago or earlier that didn't answer; how many."""
    due = session.scalars(
        select(Mentor.id).where(Mentor.status == LISTED, Mentor.is_sample.is_(False),
                                _asked_since_confirmed(before=now - spans.pause_after))
        .order_by(Mentor.id).limit(BATCH)
    ).all()  # fmt: skip
    for mentor_id in due:
        mentor = lock_listing(session, mentor_id)
        move_listing(session, mentor, A.PAUSE_UNANSWERED, actor=SYSTEM, now=now, reason=NOT_CONFIRMED)
        if mentor.email:  # how to come back, in one click (never held back by the mail limit)
            _mail(session, mentor, Kind.PAUSED_UNANSWERED, now=now)
    return len(due)


def _mail(session: Session, mentor: Mentor, kind: Kind, *, now: datetime) -> None:
    token = links.issue(session, mentor_id=mentor.id, purpose=Purpose.STILL_AVAILABLE, now=now,
                        email=mentor.email)  # fmt: skip
    outbox.queue(session, kind=kind, recipient=mentor.email or "", now=now, mentor_id=mentor.id,
                 values={"name": mentor.full_name, "token": token})  # fmt: skip


def answer(session: Session, *, token: str, keep: bool, now: datetime) -> ListingStatus:
    """The mentor's answer from the mail's page: keep me listed (confirms availability; after a
    pause for no answer, lists them again), or pause; the listing's state afterwards."""
    link = links.use(session, token=token, purpose=Purpose.STILL_AVAILABLE, now=now)
    mentor = lock_listing(session, link.mentor_id)
    if mentor.status not in (LISTED, PAUSED):
        return ListingStatus.of(mentor.status)  # taken down or deleted meanwhile: nothing to do
    if not keep:
        if mentor.status == LISTED:
            move_listing(session, mentor, A.PAUSE, actor=MENTOR, now=now)
        return ListingStatus.of(mentor.status)
    if mentor.status == PAUSED and _paused_for_no_answer(session, mentor.id):
        move_listing(session, mentor, A.RESUME, actor=MENTOR, now=now,
                     reason=CAME_BACK)  # fmt: skip
    else:
        move_listing(session, mentor, A.CONFIRM_AVAILABLE, actor=MENTOR, now=now)
    return ListingStatus.of(mentor.status)


def _paused_for_no_answer(session: Session, mentor_id: int) -> bool:
    """The listing's latest pause was the system's, for no answer (not the mentor's own). Only the
    move into the pause counts: a note ending or an edit while paused leaves it what it was."""
    kind = session.scalar(
        select(ListingEvent.kind).where(ListingEvent.mentor_id == mentor_id,
                                        ListingEvent.to_status == PAUSED,
                                        ListingEvent.from_status != PAUSED)
        .order_by(ListingEvent.id.desc()).limit(1)
    )  # fmt: skip
    return kind == A.PAUSE_UNANSWERED.value
