"""A mentor's own listing: the private credential, and pause, resume, edit, availability, delete."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import BlockedIdentity, Mentor, MentorDiscipline, MentorLanguage, MentorOffer
from models.vocabulary import ListingStatus
from services import audit, throttle
from services.audit import Action, Actor
from services.matching import city_key, mentor_search_text, name_key
from services.profile import CleanProfile, ProfileInput, validate_profile
from services.text import clean_line

# Wrong credentials are slowed down per client address (services.throttle.client_key), never
# across everyone: the secret has 192 random bits, so nobody guesses one, and a valid credential
# always opens its listing, however many wrong ones anybody else typed. The limit is about noise.
CREDENTIAL_LIMIT_PER_CLIENT = throttle.Limit("credential_client", 5, timedelta(minutes=15))
OWN_STATUSES = (
    ListingStatus.LISTED.value,
    ListingStatus.PAUSED.value,
    ListingStatus.REMOVED.value,
    ListingStatus.BANNED.value,
)


class CredentialRejected(Exception):
    """The credential matches no listing (the same answer whether or not one ever existed)."""


class InvalidSubmission(Exception):
    """Some fields need fixing; `errors` maps each field to what to do about it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotAllowedNow(Exception):
    """The listing's state doesn't allow this (e.g. resuming a listing a moderator took down)."""


@dataclass(frozen=True)
class OwnListing:
    """What the mentor sees of their own listing on Manage my listing."""

    mentor_id: int
    status: ListingStatus
    profile: ProfileInput


def new_credential() -> str:
    """A fresh private credential to manage a listing; shown once, stored only as a hash."""
    return "wan-" + secrets.token_urlsafe(24)


def credential_hash(credential: str) -> str:
    return hashlib.sha256(clean_line(credential).encode("utf-8")).hexdigest()


def profile_of(mentor: Mentor) -> ProfileInput:
    """The mentor's profile as the edit form shows it."""
    return ProfileInput(
        full_name=mentor.full_name,
        pronouns=mentor.pronouns or "",
        headline=mentor.headline,
        company=mentor.company or "",
        disciplines=tuple(sorted(d.discipline for d in mentor.disciplines)),
        seniority=mentor.seniority,
        country=mentor.country,
        city=mentor.city or "",
        languages=tuple(sorted(lang.language for lang in mentor.languages)),
        offers=tuple(sorted(o.offer for o in mentor.offers)),
        bio=mentor.bio or "",
        linkedin_url=mentor.linkedin_url or "",
        email=mentor.email or "",
        open_to_new_mentees=mentor.open_to_new_mentees,
        availability_note=mentor.availability_note or "",
    )


def write_profile(mentor: Mentor, profile: CleanProfile) -> None:
    """Copy a validated profile onto the mentor, with the search and identity keys derived from it."""
    for name in (
        "full_name", "pronouns", "headline", "company", "seniority", "country", "city", "bio",
        "linkedin_url", "email", "open_to_new_mentees", "availability_note",
    ):  # fmt: skip
        setattr(mentor, name, getattr(profile, name))
    mentor.email_key = profile.email_key
    mentor.linkedin_key = profile.linkedin_key
    mentor.name_key = name_key(profile.full_name)
    mentor.city_key = city_key(profile.city)
    mentor.search_text = search_text(profile)
    _replace_tags(mentor.disciplines, profile.disciplines, MentorDiscipline, "discipline")
    _replace_tags(mentor.languages, profile.languages, MentorLanguage, "language")
    _replace_tags(mentor.offers, profile.offers, MentorOffer, "offer")


def search_text(profile: CleanProfile) -> str:
    """What the keyword box searches: name, headline, company and bio, as one search key."""
    return mentor_search_text(profile.full_name, profile.headline, profile.company, profile.bio)


def _replace_tags(current: list, wanted: tuple[str, ...], model: type, column: str) -> None:  # type: ignore[type-arg]
    keep = set(wanted)
    for tag in [t for t in current if getattr(t, column) not in keep]:
        current.remove(tag)
    have = {getattr(t, column) for t in current}
    current.extend(model(**{column: value}) for value in wanted if value not in have)


def is_blocked(session: Session, *, email_key: str, linkedin_key: str) -> bool:
    """True when a ban still blocks this email or LinkedIn profile."""
    query = select(BlockedIdentity.id).where(
        BlockedIdentity.lifted_at.is_(None),
        or_(
            (BlockedIdentity.kind == "email") & (BlockedIdentity.value_key == email_key),
            (BlockedIdentity.kind == "linkedin") & (BlockedIdentity.value_key == linkedin_key),
        ),
    )
    return session.execute(query.limit(1)).first() is not None


def identity_conflicts(
    session: Session, *, profile: CleanProfile, mentor_id: int
) -> dict[str, str]:
    """Errors for an email or LinkedIn profile that another listing already uses."""
    errors: dict[str, str] = {}
    for field, column, value in (
        ("email", Mentor.email_key, profile.email_key),
        ("linkedin_url", Mentor.linkedin_key, profile.linkedin_key),
    ):
        other = session.scalar(select(Mentor.id).where(column == value, Mentor.id != mentor_id))
        if other is not None:
            errors[field] = "Another listing already uses this. Each person can have one listing."
    return errors


def owned_listing(session: Session, credential: str) -> Mentor:
    """The listing this credential manages, locked for the change about to be made."""
    mentor = session.scalar(
        select(Mentor)
        .where(
            Mentor.manage_token_hash == credential_hash(credential),
            Mentor.status.in_(OWN_STATUSES),
        )
        .with_for_update()
    )
    if mentor is None:
        raise CredentialRejected()
    return mentor


def open_listing(
    session: Session, *, credential: str, client_key: str, now: datetime
) -> OwnListing | None:
    """The listing this credential manages, or None (the failure is counted: commit it).

    A valid credential always opens its listing. A wrong one raises Throttled while this client
    (its address: services.throttle.client_key) has had too many wrong ones.
    """
    try:
        mentor = owned_listing(session, credential)
    except CredentialRejected:
        throttle.take(session, limits=[(CREDENTIAL_LIMIT_PER_CLIENT, client_key)], now=now)
        return None
    return OwnListing(mentor.id, ListingStatus(mentor.status), profile_of(mentor))


def _set_status(mentor: Mentor, status: ListingStatus, now: datetime) -> None:
    mentor.status = status.value
    mentor.status_changed_at = now
    if status is ListingStatus.LISTED:
        mentor.listed_at = now


def pause_listing(session: Session, *, credential: str, now: datetime) -> None:
    """Take the listing off the directory at once; the mentor can resume whenever they like."""
    mentor = owned_listing(session, credential)
    if mentor.status != ListingStatus.LISTED.value:
        raise NotAllowedNow("Only a listed profile can be paused.")
    _set_status(mentor, ListingStatus.PAUSED, now)
    audit.record(session, action=Action.PAUSED, actor=Actor.MENTOR, mentor_id=mentor.id, now=now)


def edit_listing(
    session: Session, *, credential: str, profile: ProfileInput, now: datetime
) -> None:
    """Replace the profile with a corrected one; the listing's status doesn't change."""
    mentor = owned_listing(session, credential)
    if mentor.status not in (ListingStatus.LISTED.value, ListingStatus.PAUSED.value):
        raise NotAllowedNow("This listing can't be edited.")
    clean, errors = validate_profile(profile)
    if clean is not None:
        errors = identity_conflicts(session, profile=clean, mentor_id=mentor.id)
        if not errors and is_blocked(
            session, email_key=clean.email_key, linkedin_key=clean.linkedin_key
        ):
            errors = {"email": "This email or LinkedIn profile can't be used for a listing."}
    if errors or clean is None:
        raise InvalidSubmission(errors)
    write_profile(mentor, clean)
    mentor.updated_at = now
    audit.record(session, action=Action.EDITED, actor=Actor.MENTOR, mentor_id=mentor.id, now=now)


def set_availability(
    session: Session,
    *,
    credential: str,
    open_to_new_mentees: bool,
    availability_note: str,
    now: datetime,
) -> None:
    """Say whether new mentees are welcome and how quickly the mentor can reply."""
    mentor = owned_listing(session, credential)
    note = clean_line(availability_note)
    if len(note) > 200:
        raise InvalidSubmission(
            {"availability_note": f"Please keep this to 200 characters (it is {len(note)})."}
        )
    mentor.open_to_new_mentees = open_to_new_mentees
    mentor.availability_note = note or None
    mentor.updated_at = now
    detail = f"open_to_new_mentees={open_to_new_mentees}"
    audit.record(
        session,
        action=Action.EDITED,
        actor=Actor.MENTOR,
        mentor_id=mentor.id,
        now=now,
        detail=detail,
    )


def delete_listing(session: Session, *, credential: str, now: datetime) -> None:
    """Erase the profile and contact data for good; the signature rows stay as the record."""
    mentor = owned_listing(session, credential)
    if mentor.status == ListingStatus.BANNED.value:
        raise NotAllowedNow("This listing can't be deleted here. Please write to the moderators.")
    erase_mentor(mentor, now=now)
    audit.record(session, action=Action.DELETED, actor=Actor.MENTOR, mentor_id=mentor.id, now=now)


def erase_mentor(mentor: Mentor, *, now: datetime) -> None:
    """Blank every piece of profile and contact data; keep the row for its history."""
    mentor.full_name = "Deleted mentor"
    mentor.headline = ""
    for name in (
        "pronouns", "company", "city", "bio", "linkedin_url", "email", "availability_note",
        "email_key", "linkedin_key", "manage_token_hash", "city_key", "status_before_takedown",
    ):  # fmt: skip
        setattr(mentor, name, None)
    mentor.search_text = ""
    mentor.name_key = ""
    mentor.disciplines.clear()
    mentor.languages.clear()
    mentor.offers.clear()
    mentor.updated_at = now
    _set_status(mentor, ListingStatus.DELETED, now)
