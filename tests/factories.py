"""Deterministic test data: profiles and mentors made through the same services the app uses."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Mentor, Moderator, OutboxMail
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.core.vocabulary import CodeClause, ListingStatus
from services.listings.code_of_conduct import current_code
from services.listings.confirmation import confirm_sign_up
from services.listings.listing_lifecycle import ListingAction
from services.listings.owner import delete_listing, pause_listing
from services.listings.profile import ProfileInput
from services.listings.signing import SignatureInput, SignUpReceived, sign_code_of_conduct
from services.mail.templates import Kind
from services.reports.moderation import act_on_mentor
from tests.conftest import NOW

_counter = iter(range(1, 1_000_000))


def make_profile(**overrides: Any) -> ProfileInput:
    """A valid profile; every call gets its own email and LinkedIn profile unless given."""
    n = next(_counter)
    base = ProfileInput(
        full_name=f"Mentor Number{n}",
        pronouns="she/her",
        headline="Senior Copywriter",
        company="Northbound Creative",
        disciplines=("creative_copywriting",),
        seniority="senior",
        country="GB",
        city="London",
        languages=("en",),
        offers=("portfolio_reviews",),
        bio="Ten years writing for brands.",
        linkedin_url=f"https://www.linkedin.com/in/mentor-{n}",
        email=f"mentor{n}@example.org",
        open_to_new_mentees=True,
        availability_note="",
    )
    return replace(base, **overrides)


@dataclass(frozen=True)
class SignedUp:
    """A listing signed up and confirmed, and the private code its confirmation handed out."""

    mentor_id: int
    credential: str


def submit_sign_up(
    session: Session, profile: ProfileInput, *, now: datetime = NOW
) -> SignUpReceived:
    """Sign a profile up the way the form does: box ticked, name typed as in the profile (each
    from a client address of its own, so the per-address limit doesn't get in the way)."""
    return sign_code_of_conduct(
        session,
        profile=profile,
        signature=SignatureInput(agreed=True, typed_name=profile.full_name, user_agent="pytest"),
        code=current_code(),
        now=now,
        client_key=f"factory-{next(_counter)}",
    )


def mailed(session: Session, recipient: str, kind: Kind = Kind.CONFIRM_SIGN_UP) -> OutboxMail | None:
    """The newest mail of this kind to this address, as the outbox holds it."""
    return session.scalar(
        select(OutboxMail).where(OutboxMail.recipient == recipient, OutboxMail.kind == kind.value)
        .order_by(OutboxMail.id.desc()).limit(1)
    )  # fmt: skip


def sign_up(
    session: Session, profile: ProfileInput | None = None, *, now: datetime = NOW, **overrides: Any
) -> SignedUp:
    """Sign up and confirm from the mailed link, as a new mentor does."""
    profile = profile or make_profile(**overrides)
    submit_sign_up(session, profile, now=now)
    mail = mailed(session, profile.email.strip())
    assert mail is not None, "no confirmation mail was queued"
    confirmed = confirm_sign_up(session, token=mail.values["token"], now=now)
    return SignedUp(confirmed.mentor_id, confirmed.credential)


def factory_moderator(session: Session) -> ModeratorIdentity:
    """A moderator account for arranging take-downs in tests (made on first use)."""
    found = session.scalar(select(Moderator).where(Moderator.username == "factory-moderator"))
    if found is not None:
        return ModeratorIdentity(found.id, found.username)
    return add_moderator(session, username="factory-moderator", password="factory password 1", now=NOW)


def make_mentor(
    session: Session,
    *,
    status: ListingStatus = ListingStatus.LISTED,
    listed_at: datetime | None = None,
    **overrides: Any,
) -> int:
    """A mentor in the given status, got there through the listing's lifecycle like anyone's.

    `listed_at` orders them for 'newest first'.
    """
    when = listed_at or NOW - timedelta(days=1)
    if status is ListingStatus.UNCONFIRMED:
        profile = make_profile(**overrides)
        submit_sign_up(session, profile, now=when)
        mail = mailed(session, profile.email)
        assert mail is not None and mail.mentor_id is not None
        return mail.mentor_id
    result = sign_up(session, now=when, **overrides)
    later = when + timedelta(minutes=1)
    if status is ListingStatus.PAUSED:
        pause_listing(session, credential=result.credential, now=later)
    elif status is ListingStatus.DELETED:
        delete_listing(session, credential=result.credential, now=later)
    elif status in (ListingStatus.REMOVED, ListingStatus.BANNED):
        action = ListingAction.REMOVE if status is ListingStatus.REMOVED else ListingAction.BAN
        clause = CodeClause.RESPONSIVE if status is ListingStatus.REMOVED else CodeClause.HARASSMENT
        act_on_mentor(session, mentor_id=result.mentor_id, expected_version=None, action=action,
                      moderator=factory_moderator(session), reason="Arranged by a test", now=later,
                      clause=clause)  # fmt: skip
    session.flush()
    return result.mentor_id


def sign_up_makes_nothing(session: Session, **overrides: Any) -> bool:
    """Submit a sign-up; True when it made no listing and mailed no link to confirm one (what a
    blocked or already held identity gets, behind the same answer as any sign-up)."""
    profile = make_profile(**overrides)
    earlier = mailed(session, profile.email.strip())
    before = session.scalar(select(func.count()).select_from(Mentor))
    submit_sign_up(session, profile)
    after = session.scalar(select(func.count()).select_from(Mentor))
    return after == before and mailed(session, profile.email.strip()) == earlier
