"""Deterministic test data: profiles and mentors made through the same services the app uses."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from models import Mentor
from models.vocabulary import ListingStatus
from services.code_of_conduct import current_code
from services.profile import ProfileInput
from services.signing import SignatureInput, SignUpResult, sign_code_of_conduct
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


def make_mentor(
    session: Session,
    *,
    status: ListingStatus = ListingStatus.LISTED,
    listed_at: datetime | None = None,
    **overrides: Any,
) -> int:
    """A mentor in the given status; `listed_at` orders them for 'newest first'."""
    result = sign_up(session, now=listed_at or NOW - timedelta(days=1), **overrides)
    if status is not ListingStatus.LISTED:
        mentor = session.get(Mentor, result.mentor_id)
        assert mentor is not None
        mentor.status = status.value
        session.flush()
    return result.mentor_id
