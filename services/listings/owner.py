"""A mentor's own listing: the private credential, and pause, edit, availability and delete.

Every change goes through the listing's lifecycle (services/listings/listing_lifecycle.py); this module
finds the listing a credential opens, validates what the mentor typed, and asks for the move.
Resuming signs the Code again, so it lives with signing (services/listings/signing.py).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Mentor
from models.base import utcnow
from services.accounts import throttle
from services.audit.audit_log import MENTOR
from services.core.refusals import CredentialRejected, InvalidSubmission
from services.core.text import clean_line
from services.core.vocabulary import ActorKind, ListingStatus
from services.listings import address_change, away, links
from services.listings.blocks import identity_taken
from services.listings.listing_lifecycle import (
    ListingAction,
    allowed_actions,
    lock_listing,
    move_listing,
    require,
)
from services.listings.profile import LIMITS, ProfileInput, validate_profile
from services.listings.profile_fields import Availability, profile_of

# Wrong credentials are slowed down per client address (services.accounts.throttle.client_key), never
# across everyone: the secret has 192 random bits, so nobody guesses one, and a valid credential
# always opens its listing, however many wrong ones anybody else typed. The limit is about noise.
CREDENTIAL_LIMIT_PER_CLIENT = throttle.Limit("credential_client", 5, timedelta(minutes=15))
OWN_STATUSES = (
    ListingStatus.LISTED.value,
    ListingStatus.PAUSED.value,
    ListingStatus.REMOVED.value,
    ListingStatus.BANNED.value,
)
IDENTITY_IN_USE = "This email address or LinkedIn profile can't be used for this listing."


@dataclass(frozen=True)
class OwnListing:
    """What the mentor sees of their own listing on Manage my listing, and what they may do now."""

    mentor_id: int
    status: ListingStatus
    profile: ProfileInput
    actions: tuple[ListingAction, ...]
    removed_until: date | None = None  # removed for a number of days: back by itself on this day


def new_credential() -> str:
    """A fresh private credential to manage a listing; shown once, stored only as a hash."""
    return "wan-" + secrets.token_urlsafe(24)


def credential_hash(credential: str) -> str:
    return hashlib.sha256(clean_line(credential).encode("utf-8")).hexdigest()


def _owned_id(session: Session, credential: str) -> int:
    """The listing a private code, or an owner session a mailed link opened, manages now."""
    if credential.startswith(links.OWNER_SESSION_PREFIX):
        link = links.look(session, token=credential, purpose=links.Purpose.OWNER_SESSION,
                          now=utcnow())  # fmt: skip
        if link is None or link.state is not links.LinkState.VALID:
            raise CredentialRejected()
        held = select(Mentor.id).where(Mentor.id == link.mentor_id)
    else:
        held = select(Mentor.id).where(Mentor.manage_token_hash == credential_hash(credential))
    mentor_id = session.scalar(held.where(Mentor.status.in_(OWN_STATUSES)))
    if mentor_id is None:
        raise CredentialRejected()
    return mentor_id


def owned_listing(session: Session, credential: str) -> Mentor:
    """The listing this credential manages, locked for the change about to be made."""
    mentor = lock_listing(session, _owned_id(session, credential))
    replaced = mentor.manage_token_hash != credential_hash(credential)  # while we waited
    if replaced and not credential.startswith(links.OWNER_SESSION_PREFIX):
        raise CredentialRejected()
    return mentor


def own_listing(session: Session, *, credential: str) -> OwnListing:
    """What a credential opens, read only (the page reads it on every rerun)."""
    mentor = session.get(Mentor, _owned_id(session, credential))
    if mentor is None:
        raise CredentialRejected()
    status = ListingStatus.of(mentor.status)
    return OwnListing(mentor.id, status, profile_of(mentor),
                      tuple(allowed_actions(status, actor=ActorKind.MENTOR)), mentor.removed_until)  # fmt: skip


def open_listing(
    session: Session, *, credential: str, client_key: str, now: datetime
) -> OwnListing | None:
    """The listing this credential manages, or None (the failure is counted: commit it).

    A valid credential always opens its listing. A wrong one raises Throttled while this client
    (its address: services.accounts.throttle.client_key) has had too many wrong ones.
    """
    try:
        return own_listing(session, credential=credential)
    except CredentialRejected:
        throttle.take(session, limits=[(CREDENTIAL_LIMIT_PER_CLIENT, client_key)], now=now)
        return None


def pause_listing(
    session: Session, *, credential: str, now: datetime, until: date | None = None
) -> None:
    """Take the listing off the directory at once; the mentor can resume whenever they like, and
    with `until` the clock lists it again on that date (services/listings/away.py)."""
    away.check_until(until, field="pause_until", today=now.date())
    move_listing(session, owned_listing(session, credential), ListingAction.PAUSE,
                 actor=MENTOR, now=now, paused_until=until)  # fmt: skip


def edit_listing(
    session: Session, *, credential: str, profile: ProfileInput, now: datetime
) -> str | None:
    """Replace the profile with a corrected one; status and availability don't change. A new
    email address waits for its confirmation (services/listings/address_change.py): then the
    address it was sent to, else None."""
    mentor = owned_listing(session, credential)
    require(mentor, ListingAction.EDIT, actor=ActorKind.MENTOR)
    profile = replace(
        profile,
        open_to_new_mentees=mentor.open_to_new_mentees,
        availability_note=mentor.availability_note or "",
    )
    clean, errors = validate_profile(profile)
    if clean is None:
        raise InvalidSubmission(errors)
    if identity_taken(session, email_key=clean.email_key, linkedin_key=clean.linkedin_key,
                      other_than=mentor.id):  # fmt: skip
        raise InvalidSubmission({"email": IDENTITY_IN_USE, "linkedin_url": IDENTITY_IN_USE})
    saved = address_change.hold_new_address(session, mentor, clean, now=now)
    try:
        with session.begin_nested():
            move_listing(session, mentor, ListingAction.EDIT, actor=MENTOR, now=now, profile=saved)
    except IntegrityError:  # another listing took this email or profile a moment ago
        raise InvalidSubmission(
            {"email": IDENTITY_IN_USE, "linkedin_url": IDENTITY_IN_USE}
        ) from None
    return clean.email if saved.email != clean.email else None


def set_availability(
    session: Session,
    *,
    credential: str,
    open_to_new_mentees: bool,
    availability_note: str,
    now: datetime,
    note_until: date | None = None,
) -> None:
    """Say whether new mentees are welcome and how quickly the mentor can reply (with
    `note_until`, the clock takes the note off on that date)."""
    limit = LIMITS["availability_note"]
    note = clean_line(availability_note)
    if len(note) > limit:
        raise InvalidSubmission(
            {"availability_note": f"Please keep this to {limit} characters (it is {len(note)})."}
        )
    if note_until is not None and not note:
        raise InvalidSubmission({"availability_until": "Write the note this date ends, or leave the date empty."})
    away.check_until(note_until, field="availability_until", today=now.date())
    move_listing(session, owned_listing(session, credential), ListingAction.CHANGE_AVAILABILITY,
                 actor=MENTOR, now=now, availability=Availability(open_to_new_mentees, note or None, note_until))  # fmt: skip


def confirm_available(session: Session, *, credential: str, now: datetime) -> None:
    """"Yes, I'm still available": the clock asks again only after another 90 quiet days."""
    move_listing(session, owned_listing(session, credential), ListingAction.CONFIRM_AVAILABLE,
                 actor=MENTOR, now=now)  # fmt: skip


def delete_listing(session: Session, *, credential: str, now: datetime) -> None:
    """Erase the profile and contact data for good; the signature rows stay as the record."""
    move_listing(session, owned_listing(session, credential), ListingAction.DELETE,
                 actor=MENTOR, now=now)  # fmt: skip
