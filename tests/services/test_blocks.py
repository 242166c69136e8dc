"""What a ban blocks and what a restore lifts: the banned listing's email and LinkedIn profile,
nobody else's, and a lifted block stays on record with when it was lifted."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import BlockedIdentity
from services.core.vocabulary import CodeClause
from services.listings.listing_lifecycle import ListingAction
from services.listings.owner import delete_listing
from services.reports.moderation import act_on_mentor
from tests.conftest import NOW
from tests.factories import factory_moderator, sign_up

LATER = NOW + timedelta(hours=1)


def moderate(session: Session, mentor_id: int, action: ListingAction, at: datetime = NOW) -> None:
    act_on_mentor(session, mentor_id=mentor_id, expected_version=None, action=action,
                  moderator=factory_moderator(session), reason="A reason", now=at, clause=CodeClause.HARASSMENT)  # fmt: skip


def blocks_of(session: Session, mentor_id: int) -> set[tuple[str, str, datetime, datetime | None]]:
    rows = session.scalars(select(BlockedIdentity).where(BlockedIdentity.mentor_id == mentor_id))
    return {(b.kind, b.value_key, b.created_at, b.lifted_at) for b in rows}


def jane(session: Session) -> int:
    return sign_up(session, email="Jane@Example.org",
                   linkedin_url="https://www.linkedin.com/in/jane-doe").mentor_id  # fmt: skip


def test_a_ban_blocks_the_email_and_linkedin_profile_of_the_banned_listing(
    session: Session,
) -> None:
    banned = jane(session)
    moderate(session, banned, ListingAction.BAN)
    session.expire_all()
    assert blocks_of(session, banned) == {
        ("email", "jane@example.org", NOW, None),
        ("linkedin", "jane-doe", NOW, None),
    }


def test_a_ban_keeps_nobody_else_from_signing_up(session: Session) -> None:
    moderate(session, jane(session), ListingAction.BAN)
    sign_up(session, email="joe@example.org", linkedin_url="https://www.linkedin.com/in/joe-bloggs")


def test_a_restore_lifts_the_blocks_of_the_listing_it_restores_and_no_other(
    session: Session,
) -> None:
    restored, still_banned = jane(session), sign_up(session, email="joe@example.org").mentor_id
    moderate(session, restored, ListingAction.BAN)
    moderate(session, still_banned, ListingAction.BAN)
    moderate(session, restored, ListingAction.RESTORE, at=LATER)
    session.expire_all()
    assert {lifted for *_, lifted in blocks_of(session, restored)} == {LATER}
    assert {lifted for *_, lifted in blocks_of(session, still_banned)} == {None}


def test_a_lifted_block_keeps_the_time_it_was_lifted_when_the_listing_is_banned_again(
    session: Session,
) -> None:
    mentor = jane(session)
    moderate(session, mentor, ListingAction.BAN)
    moderate(session, mentor, ListingAction.RESTORE, at=LATER)
    moderate(session, mentor, ListingAction.BAN, at=LATER + timedelta(days=1))
    moderate(session, mentor, ListingAction.RESTORE, at=LATER + timedelta(days=2))
    session.expire_all()
    assert sorted((created, lifted) for _, _, created, lifted in blocks_of(session, mentor)) == [
        (NOW, LATER), (NOW, LATER),
        (LATER + timedelta(days=1), LATER + timedelta(days=2)),
        (LATER + timedelta(days=1), LATER + timedelta(days=2)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "again",
    [{"email": "jane@example.org"}, {"linkedin_url": "https://www.linkedin.com/in/jane-doe"}],
    ids=["same email", "same LinkedIn profile"],
)
def test_once_lifted_a_block_no_longer_refuses_the_person(
    session: Session, again: dict[str, str]
) -> None:
    mine = sign_up(session, email="jane@example.org",
                   linkedin_url="https://www.linkedin.com/in/jane-doe")  # fmt: skip
    moderate(session, mine.mentor_id, ListingAction.BAN)
    moderate(session, mine.mentor_id, ListingAction.RESTORE, at=LATER)
    delete_listing(session, credential=mine.credential, now=LATER)  # the listing holds them no more
    assert sign_up(session, **again).mentor_id != mine.mentor_id
