"""Deterministic test data: profiles and mentors made through the same services the app uses."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Moderator
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.core.vocabulary import ListingStatus
from services.listings.code_of_conduct import current_code
from services.listings.listing_lifecycle import ListingAction
from services.listings.owner import delete_listing, pause_listing
from services.listings.profile import ProfileInput
from services.listings.signing import SignatureInput, SignUpResult, sign_code_of_conduct
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


def sign_up(
    session: Session, profile: ProfileInput | None = None, *, now: datetime = NOW, **overrides: Any
) -> SignUpResult:
    """Sign a profile up the way the form does: box ticked, name typed as in the profile."""
    profile = profile or make_profile(**overrides)
    return sign_code_of_conduct(
        session,
        profile=profile,
        signature=SignatureInput(agreed=True, typed_name=profile.full_name, user_agent="pytest"),
        code=current_code(),
        now=now,
    )


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
    result = sign_up(session, now=when, **overrides)
    later = when + timedelta(minutes=1)
    if status is ListingStatus.PAUSED:
        pause_listing(session, credential=result.credential, now=later)
    elif status is ListingStatus.DELETED:
        delete_listing(session, credential=result.credential, now=later)
    elif status in (ListingStatus.REMOVED, ListingStatus.BANNED):
        action = ListingAction.REMOVE if status is ListingStatus.REMOVED else ListingAction.BAN
        act_on_mentor(session, mentor_id=result.mentor_id, expected_version=None, action=action,
                      moderator=factory_moderator(session), reason="Arranged by a test", now=later)  # fmt: skip
    session.flush()
    return result.mentor_id
