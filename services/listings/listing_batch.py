"""The bulk path beside the listing's door (services/listings/listing_lifecycle.py), to fill a
database nobody else writes to (samples, benchmarks): each move is the door's own (the table's
check, `_step`, `_records`, the effects), written many at a time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor
from services.audit.audit_log import Actor
from services.core import bulk_rows, transitions
from services.core.vocabulary import CodeClause, ListingStatus
from services.listings.listing_lifecycle import (
    EFFECTS,
    TRANSITIONS,
    ListingAction,
    ListingMove,
    _records,
    _refuse_unrecorded_changes,
    _step,
    write_removal_end,
)

A = ListingAction


class ListingBatch(bulk_rows.MoveBatch[Mentor]):
    """The bulk path beside `move_listing`, to fill a database nobody else writes to (samples,
    benchmarks): each move is the door's own (check, `_step`, `_records`, effects), its rows wait
    for `write()`. Deleting and erasing rewrite the profile: only move_listing makes those."""

    BULK_EFFECTS = (A.BAN, A.RESTORE)  # blocks: rows of their own, written after the listings

    def __init__(self, session: Session) -> None:
        super().__init__(session, Mentor, ListingEvent, STATE)
        self._effects: list[tuple[ListingAction, Mentor, datetime]] = []

    def load(self, *criteria: ColumnElement[bool]) -> list[Mentor]:
        """The listings that match, as their moves here start from (detached copies, by id)."""
        columns = [getattr(Mentor, name) for name in ("id", "created_at", *STATE, *IDENTITY)]
        rows = self.session.execute(select(*columns).where(*criteria).order_by(Mentor.id)).all()
        self.rows |= {row.id: Mentor(**row._asdict()) for row in rows}
        return [self.rows[row.id] for row in rows]

    def sign_up(self, profile: dict[str, Any], *, actor: Actor, now: datetime) -> ListingMove:
        """A new listing with these columns (a profile as profile_fields.write_profile writes it)."""
        mentor = Mentor(id=self.ids.take(), **{k: profile.get(k) for k in IDENTITY})
        self.add(mentor, mentor.id, profile)
        return self.move(mentor.id, A.SIGN_UP, actor=actor, now=now)

    def move(self, mentor_id: int, action: ListingAction, *, actor: Actor, now: datetime,
             reason: str | None = None, clause: CodeClause | None = None,
             report_id: int | None = None, removed_until: date | None = None) -> ListingMove:  # fmt: skip
        """What move_listing would do to this listing (signed up or loaded here)."""
        mentor = self.rows[mentor_id]
        before = ListingStatus.of(mentor.status) if mentor.status is not None else None  # new
        if action in EFFECTS and action not in self.BULK_EFFECTS:  # the table's refusal first
            transitions.check(TRANSITIONS, action, state=before, actor=actor.kind, what="This listing")
            raise ValueError(f"{action.label} rewrites the profile: make it with move_listing")
        after = _step(mentor, action, before, actor=actor, now=now)
        write_removal_end(mentor, action, removed_until)
        if action in EFFECTS:
            self._effects.append((action, mentor, now))
        records = _records(mentor_id, action, before, after, actor, now, reason, clause, report_id)
        return ListingMove(self.keep(mentor_id, *records), mentor_id, action, before, after)

    def write(self) -> int:
        """Insert the new listings, update the moved ones, then the events, the audit rows and
        the effects, in this transaction; how many moves. The batch is then empty."""
        _refuse_unrecorded_changes(self.session, None)
        moved = self.moved_rows()
        bulk_rows.insert_rows(self.session, Mentor, self.take_new_rows())
        bulk_rows.continue_sequence(self.session, Mentor)
        if moved:
            self.session.execute(update(Mentor), moved)  # by primary key
        count = self.write_history()
        for action, mentor, when in self._effects:
            EFFECTS[action](self.session, mentor, when)
            self.session.flush()
        self._effects = []
        self.forget()
        return count


STATE = ("status", "status_before_takedown", "status_changed_at", "listed_at", "updated_at", "version",
         "available_confirmed_at", "paused_until", "removed_until")  # fmt: skip
IDENTITY = ("email_key", "linkedin_key")  # what a ban blocks
