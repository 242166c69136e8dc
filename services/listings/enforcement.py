"""The enforcement ladder: what moderators do about a breach of the Code, mildest first.

For section 2 (the expectations): a recorded note (no effect), a warning (a mail naming the
expectation), a removal for a number of days that ends by itself (the clock lists the listing
again on its day), a removal, a ban. Section 3's violations mean "immediate removal/ban": the
console offers those first and nothing has to come before them. Every step names the part of
the Code it enforces and is a row of the listing's transition table (listing_lifecycle.LADDER);
the mentor is told by mail (all but the note), with the Code's own words for that part.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Mentor
from services.audit.audit_log import SYSTEM
from services.core.refusals import InvalidSubmission
from services.core.vocabulary import CodeClause, ListingStatus
from services.listings.code_of_conduct import clause_text, current_code
from services.listings.listing_lifecycle import LADDER, ListingAction, lock_listing, move_listing
from services.mail import outbox
from services.mail.templates import Kind

A = ListingAction
ENFORCES_CODE = frozenset(LADDER)
REMOVED = ListingStatus.REMOVED.value
MAX_DAYS = 365
BATCH = 500
# The mail each step sends the mentor (a recorded note sends none).
TELLS = {A.WARN: Kind.WARNED, A.REMOVE_FOR_DAYS: Kind.REMOVED_FOR_DAYS, A.REMOVE: Kind.REMOVED,
         A.BAN: Kind.BANNED}  # fmt: skip


def offered(clause: CodeClause | None) -> tuple[ListingAction, ...]:
    """The ladder in the order the console offers it: for a violation of section 3, removal and
    ban first; otherwise mildest first."""
    if clause is not None and clause.section == 3:
        return (A.REMOVE, A.BAN, A.REMOVE_FOR_DAYS, A.WARN, A.NOTE_BREACH)
    return LADDER


def check_clause(action: ListingAction, clause: CodeClause | None) -> None:
    """A step of the ladder names the part of sections 2 or 3 it enforces."""
    if action in ENFORCES_CODE and (clause is None or clause.section < 2):
        raise InvalidSubmission({"clause": "Please choose the part of the Code of Conduct this enforces."})


def removal_ends(days: int | None, *, today: date) -> date:
    """The day a removal for `days` days ends: the listing comes back during it."""
    if days is None or not 1 <= days <= MAX_DAYS:
        raise InvalidSubmission({"days": f"Please give a whole number of days from 1 to {MAX_DAYS}."})
    return today + timedelta(days=days)


def tell_mentor(
    session: Session, mentor: Mentor, action: ListingAction, clause: CodeClause, *, now: datetime
) -> None:
    """Mail the mentor the step taken and the Code's words for the part it enforces."""
    kind = TELLS.get(action)
    if kind is None or not mentor.email or mentor.is_sample:
        return
    values = {"name": mentor.full_name, "clause": clause.label,
              "words": clause_text(current_code(), clause)}  # fmt: skip
    if kind is Kind.REMOVED_FOR_DAYS and mentor.removed_until is not None:
        until = mentor.removed_until
        values["until"] = f"{until:%A} {until.day} {until:%B %Y}"
    outbox.queue(session, kind=kind, recipient=mentor.email, values=values, now=now,
                 mentor_id=mentor.id)  # fmt: skip


def end_due(session: Session, *, now: datetime) -> int:
    """List again, as they were, the listings whose removal for a number of days ends by today;
    how many. A listing banned or removed for good meanwhile has no end date, and stays down."""
    today = now.date()
    due = session.scalars(select(Mentor.id).where(Mentor.status == REMOVED, Mentor.removed_until <= today)
                          .order_by(Mentor.id).limit(BATCH)).all()  # fmt: skip
    for mentor_id in due:
        mentor = lock_listing(session, mentor_id)
        if mentor.status == REMOVED and mentor.removed_until and mentor.removed_until <= today:
            move_listing(session, mentor, A.RETURN_ON_DATE, actor=SYSTEM, now=now,
                         reason="The end of the removal the moderators set")  # fmt: skip
            if mentor.email and not mentor.is_sample:
                outbox.queue(session, kind=Kind.BACK_AFTER_REMOVAL, recipient=mentor.email, now=now,
                             values={"name": mentor.full_name}, mentor_id=mentor.id)  # fmt: skip
    return len(due)


# "How we enforce the Code" (a public page): the ladder in plain words, mildest first.
PLAIN_STEPS = (
    ("A note", "The moderators keep a note of what happened in the listing's history. Nothing "
     "changes for the mentor."),
    ("A warning", "We write to the mentor, quoting the part of the Code they fell short of. Their "
     "listing stays as it is."),
    ("Time off the directory", "The listing comes off the directory for a number of days the "
     "moderators choose. On the last day it comes back by itself, as it was. We write to the "
     "mentor both times."),
    ("Removal", "The listing comes off the directory until the moderators put it back."),
    ("A ban", "The listing comes off the directory, and the same email address and LinkedIn "
     "profile can't be listed again."),
)  # fmt: skip
