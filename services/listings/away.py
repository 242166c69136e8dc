"""Away until a date: a mentor pauses until a date, or says "slower replies until <date>"; on that
date the clock lists the listing again (or takes the note off) and mails them. Dates are calendar
days in UTC: the listing comes back during that day. Each run acts on what is due then, so a run
twice, or late after an outage, does it once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Mentor
from services.audit.audit_log import SYSTEM
from services.core.refusals import InvalidSubmission
from services.core.vocabulary import ListingStatus
from services.listings.listing_lifecycle import ListingAction, lock_listing, move_listing
from services.mail import outbox
from services.mail.templates import Kind

A = ListingAction
LISTED, PAUSED = ListingStatus.LISTED.value, ListingStatus.PAUSED.value
LONGEST = timedelta(days=365)
BATCH = 500


def check_until(until: date | None, *, field: str, today: date) -> None:
    """A date to come back on must be after today and within a year."""
    if until is None:
        return
    if until <= today:
        raise InvalidSubmission({field: "Please choose a date after today, or leave it empty."})
    if until > today + LONGEST:
        raise InvalidSubmission({field: "Please choose a date within a year, or leave it empty."})


def end_due(session: Session, *, now: datetime) -> tuple[int, int]:
    """List again the pauses whose date has come, and end the notes whose date has come; how many
    of each."""
    today = now.date()
    back = session.scalars(select(Mentor.id).where(Mentor.status == PAUSED, Mentor.paused_until <= today)
                           .order_by(Mentor.id).limit(BATCH)).all()  # fmt: skip
    for mentor_id in back:
        mentor = lock_listing(session, mentor_id)
        if mentor.status == PAUSED and mentor.paused_until and mentor.paused_until <= today:
            move_listing(session, mentor, A.RESUME_ON_DATE, actor=SYSTEM, now=now,
                         reason="The date the mentor set")  # fmt: skip
            _tell(session, mentor, Kind.BACK_ON_DATE, now=now, values={"name": mentor.full_name})
    ended = session.scalars(select(Mentor.id).where(Mentor.status.in_((LISTED, PAUSED)),
                                                    Mentor.note_until <= today)
                            .order_by(Mentor.id).limit(BATCH)).all()  # fmt: skip
    for mentor_id in ended:
        mentor = lock_listing(session, mentor_id)
        note = mentor.availability_note
        if mentor.note_until and mentor.note_until <= today and mentor.status in (LISTED, PAUSED):
            move_listing(session, mentor, A.END_NOTE, actor=SYSTEM, now=now, reason="The date the mentor set")
            _tell(session, mentor, Kind.NOTE_ENDED, now=now, values={"name": mentor.full_name, "note": note or ""})
    return len(back), len(ended)


def _tell(session: Session, mentor: Mentor, kind: Kind, *, now: datetime, values: dict[str, str]) -> None:
    if mentor.email and not mentor.is_sample:
        outbox.queue(session, kind=kind, recipient=mentor.email, values=values, now=now,
                     mentor_id=mentor.id)  # fmt: skip
