"""A listing's lifecycle: its transition table and the one door every change of its state goes through.

`move_listing` is that door. It checks the move against `TRANSITIONS`, applies what the move means
(erasing, blocking, lifting a block), writes the new state and bumps the version, and appends the
typed event and the audit row, all in the caller's transaction. Locks are taken by `lock_listing`
before it, and always before any report (services/reports/moderation.py), so two people acting at
once queue up. Its bulk path for sample data and benchmarks, `listing_batch.ListingBatch`, makes the same moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor
from services.audit import audit_log
from services.audit.audit_log import Actor
from services.core import transitions
from services.core.refusals import ChangedMeanwhile
from services.core.transitions import Target, transition
from services.core.vocabulary import ActorKind, CodeClause, LabelledEnum, ListingStatus
from services.listings import blocks, profile_fields
from services.listings.profile import CleanProfile
from services.listings.profile_fields import Availability

MENTOR, MODERATOR, SYSTEM = ActorKind.MENTOR, ActorKind.MODERATOR, ActorKind.SYSTEM
UNCONFIRMED, LISTED, PAUSED, REMOVED, BANNED, DELETED = (
    ListingStatus.UNCONFIRMED, ListingStatus.LISTED, ListingStatus.PAUSED, ListingStatus.REMOVED,
    ListingStatus.BANNED, ListingStatus.DELETED,
)  # fmt: skip


class ListingAction(LabelledEnum):
    """What can happen to a listing. The value is the event's kind in `listing_events`."""

    SIGN_UP = ("signed_up", "Signed up")
    CONFIRM = ("confirmed", "Confirmed the address")
    DROP_UNCONFIRMED = ("unconfirmed_deleted", "Deleted: the address was never confirmed")
    PAUSE = ("paused", "Paused")
    RESUME = ("resumed", "Resumed")
    EDIT = ("edited", "Edited")
    CHANGE_AVAILABILITY = ("availability_changed", "Availability changed")
    CONFIRM_AVAILABLE = ("availability_confirmed", "Confirmed still available")
    PAUSE_UNANSWERED = ("paused_unanswered", "Paused: availability not confirmed")
    CODE_NOT_SIGNED = ("code_not_signed", "Paused: the new Code was not signed")
    RESUME_ON_DATE = ("resumed_on_date", "Listed again on the date set")
    END_NOTE = ("note_ended", "Availability note ended on its date")
    DELETE = ("deleted", "Deleted")
    TAKE_OFF_ON_REQUEST = ("taken_off_on_request", "Taken off the page at the mentor's request")
    ERASE_ON_REQUEST = ("erased_on_request", "Erased at the mentor's request")
    NOTE_BREACH = ("breach_noted", "Breach noted (no effect)")
    WARN = ("warned", "Warned")
    REMOVE_FOR_DAYS = ("removed_for_days", "Removed for a number of days")
    REMOVE = ("removed", "Removed")
    BAN = ("banned", "Banned")
    RESTORE = ("restored", "Restored")
    RETURN_ON_DATE = ("returned_on_date", "Listed again: the removal for a number of days ended")
    WITHDRAW = ("decision_withdrawn", "Decision withdrawn on appeal")  # nothing left to undo


A = ListingAction
# (from these states, to this one, by whom)
TRANSITIONS: dict[ListingAction, transitions.Transition[ListingStatus]] = {
    A.SIGN_UP: transition([None], UNCONFIRMED, MENTOR),
    A.CONFIRM: transition([UNCONFIRMED], LISTED, MENTOR),
    A.DROP_UNCONFIRMED: transition([UNCONFIRMED], DELETED, SYSTEM),
    A.PAUSE: transition([LISTED], PAUSED, MENTOR),
    A.RESUME: transition([PAUSED], LISTED, MENTOR),
    A.EDIT: transition([LISTED, PAUSED], Target.STAY, MENTOR),
    A.CHANGE_AVAILABILITY: transition([LISTED, PAUSED], Target.STAY, MENTOR),
    A.CONFIRM_AVAILABLE: transition([LISTED, PAUSED], Target.STAY, MENTOR),
    A.PAUSE_UNANSWERED: transition([LISTED], PAUSED, SYSTEM),
    A.CODE_NOT_SIGNED: transition([LISTED], PAUSED, SYSTEM),  # services/evidence/code_versions.py
    A.RESUME_ON_DATE: transition([PAUSED], LISTED, SYSTEM),
    A.END_NOTE: transition([LISTED, PAUSED], Target.STAY, SYSTEM),
    A.DELETE: transition([LISTED, PAUSED, REMOVED], DELETED, MENTOR),
    A.TAKE_OFF_ON_REQUEST: transition([LISTED], PAUSED, MODERATOR),
    A.ERASE_ON_REQUEST: transition([LISTED, PAUSED, REMOVED], DELETED, MODERATOR),
    # The enforcement ladder (services/listings/enforcement.py), each step naming its clause.
    A.NOTE_BREACH: transition([LISTED, PAUSED], Target.STAY, MODERATOR),
    A.WARN: transition([LISTED, PAUSED], Target.STAY, MODERATOR),
    A.REMOVE_FOR_DAYS: transition([LISTED, PAUSED], REMOVED, MODERATOR),
    A.RETURN_ON_DATE: transition([REMOVED], Target.PREVIOUS, SYSTEM),
    A.WITHDRAW: transition([LISTED, PAUSED, REMOVED, BANNED], Target.STAY, MODERATOR),
    A.REMOVE: transition([LISTED, PAUSED], REMOVED, MODERATOR),
    A.BAN: transition([LISTED, PAUSED, REMOVED], BANNED, MODERATOR),
    A.RESTORE: transition([REMOVED, BANNED], Target.PREVIOUS, MODERATOR),
}
# The mentor saying they are available (the clock asks again 90 days later: services/jobs/).
CONFIRMS_AVAILABILITY = frozenset({A.CONFIRM, A.RESUME, A.EDIT, A.CONFIRM_AVAILABLE})
# Taken from a report, these resolve it ("action taken") in the same transaction.
RESOLVES_REPORT = frozenset({A.NOTE_BREACH, A.WARN, A.REMOVE_FOR_DAYS, A.REMOVE, A.BAN,
                             A.TAKE_OFF_ON_REQUEST, A.ERASE_ON_REQUEST})  # fmt: skip
# Taken against a mentor (from a report or from the roster), these also resolve every other open
# report of a violation by them: the take-down answers them all. Working a removal request
# (taking off, erasing) answers that request only.
RESOLVES_OPEN_REPORTS = frozenset({A.REMOVE, A.BAN})
NEEDS_REASON = frozenset({A.NOTE_BREACH, A.WARN, A.REMOVE_FOR_DAYS, A.REMOVE, A.BAN, A.RESTORE,
                          A.TAKE_OFF_ON_REQUEST, A.ERASE_ON_REQUEST})  # fmt: skip
# The ladder, mildest first (the console's order for section 2; section 3 starts at removal).
LADDER = (A.NOTE_BREACH, A.WARN, A.REMOVE_FOR_DAYS, A.REMOVE, A.BAN)
FOR_VIOLATIONS = (*LADDER, A.RESTORE)
FOR_REMOVAL_REQUESTS = (A.TAKE_OFF_ON_REQUEST, A.ERASE_ON_REQUEST, A.RESTORE)


@dataclass(frozen=True)
class ListingMove:
    """A transition that happened: the event row's id and the states on either side."""

    event_id: int
    mentor_id: int
    action: ListingAction
    from_status: ListingStatus | None
    to_status: ListingStatus


def allowed_actions(status: ListingStatus | None, *, actor: ActorKind) -> list[ListingAction]:
    """What `actor` may do to a listing in `status` now."""
    return transitions.allowed(TRANSITIONS, state=status, actor=actor)


def moderator_actions(status: ListingStatus, *, removal_request: bool = False) -> list[ListingAction]:
    """The buttons a moderator gets for a listing: for a removal request, the gentle ones."""
    offered = FOR_REMOVAL_REQUESTS if removal_request else FOR_VIOLATIONS
    return [a for a in allowed_actions(status, actor=MODERATOR) if a in offered]


def require(mentor: Mentor, action: ListingAction, *, actor: ActorKind) -> None:
    """Refuse now, before anything is validated, when the listing's state doesn't allow `action`."""
    transitions.check(TRANSITIONS, action, state=ListingStatus.of(mentor.status), actor=actor,
                    what="This listing")  # fmt: skip


def lock_listing(session: Session, mentor_id: int) -> Mentor:
    """The listing, locked for this transaction and read fresh."""
    return transitions.lock(session, Mentor, mentor_id, missing="This listing doesn't exist any more.")


def expect_version(mentor: Mentor, expected: int | None, *, attempt: dict[str, object]) -> None:
    """Refuse, naming the listing and its state now, when it changed since `expected` was read."""
    if expected is None or mentor.version == expected:
        return
    status = ListingStatus.of(mentor.status)
    raise ChangedMeanwhile(
        f"{mentor.full_name}'s listing was changed by someone else just now: it is now "
        f"{status.label.lower()}. Nothing was done; please check it and decide again.",
        attempt={**attempt, "mentor_id": mentor.id,
                 "detail": f"Listing had changed (now {status.label.lower()})"},
    )  # fmt: skip


def move_listing(
    session: Session,
    mentor: Mentor,
    action: ListingAction,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
    clause: CodeClause | None = None,
    report_id: int | None = None,
    profile: CleanProfile | None = None,
    availability: Availability | None = None,
    credential_hash: str | None = None,
    paused_until: date | None = None,
    removed_until: date | None = None,
) -> ListingMove:
    """The one door: check the move, apply it, and record it (event + audit) in this transaction.

    What the owner controls comes in as values the door writes itself: a corrected `profile`
    for an edit, an `availability` for a change of availability, the hash of the private code
    handed out when a sign-up is confirmed, the date a pause ends (`paused_until`) or a removal for a
    number of days (`removed_until`). Nothing else about a listing
    changes but what the move means; a listing that arrives with changes of its own, or any other
    listing changed in this session and not yet saved, is refused (UnrecordedChange)."""
    _refuse_unrecorded_changes(session, mentor)
    before = ListingStatus.of(mentor.status) if mentor.id is not None else None
    after = _step(mentor, action, before, actor=actor, now=now, profile=profile,
                  availability=availability, credential_hash=credential_hash)  # fmt: skip
    if paused_until is not None:
        if action is not A.PAUSE:
            raise ValueError(f"{action.value} carries no end date")
        mentor.paused_until = paused_until
    write_removal_end(mentor, action, removed_until)
    EFFECTS.get(action, _no_effect)(session, mentor, now)
    session.flush()
    row, audit = _records(mentor.id, action, before, after, actor, now, reason, clause, report_id)
    event = ListingEvent(**row)
    session.add(event)
    session.flush()
    audit_log.record_entry(session, audit)
    return ListingMove(event.id, mentor.id, action, before, after)


def _step(
    mentor: Mentor, action: ListingAction, before: ListingStatus | None, *, actor: Actor,
    now: datetime, profile: CleanProfile | None = None, availability: Availability | None = None,
    credential_hash: str | None = None,
) -> ListingStatus:  # fmt: skip
    """Check the move against the table and write the state it leads to on the row; that state."""
    move = transitions.check(TRANSITIONS, action, state=before, actor=actor.kind, what="This listing")
    _write_owned(mentor, action, profile, availability, credential_hash)
    after = _target(mentor, move.target, before)
    if after is not before:
        _set_status(mentor, before, after, now)
    if action in CONFIRMS_AVAILABILITY or (after is LISTED and not mentor.available_confirmed_at):
        mentor.available_confirmed_at = now  # the directory's order needs it on every listed row
    mentor.updated_at = now
    mentor.version = (mentor.version or 0) + 1
    return after


def write_removal_end(mentor: Mentor, action: ListingAction, removed_until: date | None) -> None:
    """A removal for a number of days, and only it, carries the day it ends."""
    if (removed_until is not None) != (action is A.REMOVE_FOR_DAYS):
        raise ValueError(f"{action.value}: a removal for a number of days, and only it, has an end date")
    if removed_until is not None:
        mentor.removed_until = removed_until


def _records(
    mentor_id: int, action: ListingAction, before: ListingStatus | None, after: ListingStatus,
    actor: Actor, now: datetime, reason: str | None, clause: CodeClause | None, report_id: int | None,
) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    """The columns of the move's event row and of its audit row."""
    event = {"mentor_id": mentor_id, "occurred_at": now, "kind": action.value,
             "from_status": before.value if before else None, "to_status": after.value,
             "actor_kind": actor.kind.value, "moderator_id": actor.moderator_id, "reason": reason,
             "code_clause": clause.value if clause else None, "report_id": report_id}  # fmt: skip
    moved = f"{before.label if before else 'New'} → {after.label}"
    audit = audit_log.entry(action=f"listing.{action.value}", actor=actor, now=now,
                            mentor_id=mentor_id, report_id=report_id, reason=reason,
                            detail=f"{moved} · {clause.label}" if clause else moved)  # fmt: skip
    return event, audit


class UnrecordedChange(RuntimeError):
    """A listing changed outside its door: the change would bypass the table, the event and the audit."""


def _refuse_unrecorded_changes(session: Session, mentor: Mentor | None) -> None:
    """Nothing may ride along with a move (or a batch's writing, `mentor` None): not a change made
    to this listing before the door, nor an unsaved change to any other listing."""
    if mentor is not None and inspect(mentor).persistent and session.is_modified(mentor):
        changed = sorted(a.key for a in inspect(mentor).attrs if a.history.has_changes())
        raise UnrecordedChange(f"listing {mentor.id} carries changes made outside its door: {changed}")
    others = [m for m in (*session.dirty, *session.new, *session.deleted)
              if isinstance(m, Mentor) and m is not mentor]  # fmt: skip
    if any(m in session.new or m in session.deleted or session.is_modified(m) for m in others):
        raise UnrecordedChange("another listing carries changes made outside its door")


def _write_owned(
    mentor: Mentor, action: ListingAction, profile: CleanProfile | None,
    availability: Availability | None, credential_hash: str | None = None,
) -> None:  # fmt: skip
    """Write the owner's values an action carries (edit, availability, the new code's hash)."""
    carried = {"profile": (profile, A.EDIT), "availability": (availability, A.CHANGE_AVAILABILITY),
               "credential": (credential_hash, A.CONFIRM)}  # fmt: skip
    for name, (value, carrier) in carried.items():
        if value is not None and action is not carrier:
            raise ValueError(f"{action.value} carries no {name}")
    if credential_hash is not None:
        mentor.manage_token_hash = credential_hash
    if profile is not None:
        profile_fields.write_profile(mentor, profile, with_availability=False)
    if availability is not None:
        profile_fields.write_availability(mentor, availability)


def _target(
    mentor: Mentor, target: ListingStatus | Target, before: ListingStatus | None
) -> ListingStatus:
    if target is Target.STAY:
        if before is None:
            raise ValueError("a transition that keeps the state needs a state to keep")
        return before
    if target is Target.PREVIOUS:
        return ListingStatus.of(mentor.status_before_takedown or LISTED.value)
    return target


def _set_status(
    mentor: Mentor, before: ListingStatus | None, after: ListingStatus, now: datetime
) -> None:
    if after in (REMOVED, BANNED) and before not in (REMOVED, BANNED):
        mentor.status_before_takedown = before.value if before else None
    elif after not in (REMOVED, BANNED):
        mentor.status_before_takedown = None
    mentor.status = after.value
    mentor.status_changed_at = now
    mentor.paused_until = None  # a pause's end date lasts only as long as that pause
    mentor.removed_until = None  # and so does a removal's
    if after is LISTED or before is None:  # a new listing: from its sign-up until it is listed
        mentor.listed_at = now


def _no_effect(_session: Session, _mentor: Mentor, _now: datetime) -> None:
    return None


def _erase(_session: Session, mentor: Mentor, _now: datetime) -> None:
    profile_fields.erase_profile(mentor)


def _end_note(_session: Session, mentor: Mentor, _now: datetime) -> None:
    profile_fields.write_availability(mentor, Availability(mentor.open_to_new_mentees, None))


EFFECTS: dict[ListingAction, Callable[[Session, Mentor, datetime], None]] = {
    A.DELETE: _erase,
    A.ERASE_ON_REQUEST: _erase,
    A.DROP_UNCONFIRMED: _erase,
    A.END_NOTE: _end_note,
    A.BAN: blocks.block_identities,
    A.RESTORE: blocks.lift_blocks,
}
