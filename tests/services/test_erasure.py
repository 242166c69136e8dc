"""Deleting a listing, or erasing it at the mentor's request: nothing that names or reaches the
person stays; the row, its signatures and its history do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Mentor, MentorDiscipline, MentorLanguage, MentorOffer
from services.core.vocabulary import CodeClause
from services.listings.listing_lifecycle import ListingAction
from services.listings.owner import delete_listing
from services.reports.moderation import act_on_mentor
from tests.conftest import NOW
from tests.factories import SignedUp, factory_moderator, sign_up

JANE = {
    "full_name": "Jane Doe", "pronouns": "she/her", "headline": "Senior Copywriter",
    "company": "Northbound Creative", "city": "London", "bio": "Ten years writing for brands.",
    "linkedin_url": "https://www.linkedin.com/in/jane-doe", "email": "jane@example.org",
    "availability_note": "Back in March",
}  # fmt: skip


def _owner_deletes(session: Session, mine: SignedUp) -> None:
    delete_listing(session, credential=mine.credential, now=NOW)


def _moderator_erases(session: Session, mine: SignedUp) -> None:
    act_on_mentor(session, mentor_id=mine.mentor_id, expected_version=None,
                  action=ListingAction.ERASE_ON_REQUEST, moderator=factory_moderator(session),
                  reason="Asked by email", now=NOW, clause=CodeClause.HARASSMENT)  # fmt: skip


ERASURES = pytest.mark.parametrize(
    "erase", [_owner_deletes, _moderator_erases], ids=["deleted by the owner", "erased on request"]
)


@ERASURES
def test_nothing_of_the_profile_or_contact_details_stays(
    session: Session, erase: Callable[[Session, SignedUp], None]
) -> None:
    mine = sign_up(session, **JANE)
    erase(session, mine)
    session.flush()
    session.expire_all()
    mentor = session.get(Mentor, mine.mentor_id)
    assert mentor is not None
    left = {name: getattr(mentor, name) for name in (
        "full_name", "pronouns", "headline", "company", "city", "bio", "linkedin_url", "email",
        "availability_note", "search_text", "name_key", "city_key", "email_key", "linkedin_key",
        "manage_token_hash")}  # fmt: skip
    assert left == {
        "full_name": "Deleted mentor", "pronouns": None, "headline": "", "company": None,
        "city": None, "bio": None, "linkedin_url": None, "email": None, "availability_note": None,
        "search_text": "", "name_key": "", "city_key": None, "email_key": None,
        "linkedin_key": None, "manage_token_hash": None,
    }  # fmt: skip
    for tags in (MentorDiscipline, MentorLanguage, MentorOffer):
        count = select(func.count()).select_from(tags).where(tags.mentor_id == mine.mentor_id)
        assert session.scalar(count) == 0


@ERASURES
@pytest.mark.parametrize(
    "again",
    [{"email": "jane@example.org"}, {"linkedin_url": "https://www.linkedin.com/in/Jane-Doe/"}],
    ids=["same email", "same LinkedIn profile"],
)
def test_the_same_person_can_sign_up_again_afterwards(
    session: Session, erase: Callable[[Session, SignedUp], None], again: dict[str, str]
) -> None:
    mine = sign_up(session, **JANE)
    erase(session, mine)
    assert sign_up(session, **again).mentor_id != mine.mentor_id
