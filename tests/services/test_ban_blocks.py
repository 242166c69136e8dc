"""A ban blocks the banned email and LinkedIn profile from signing up; a restore lifts exactly those.

The banned listing still holds its identities, so a refused sign-up alone doesn't show the block:
these tests look at the block itself (blocks.blocked_kinds, the rows), so a ban that forgot to
block, or a restore that lifted too much or too little, fails here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import BlockedIdentity, Mentor
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.core.vocabulary import CodeClause
from services.listings.blocks import blocked_kinds, identity_taken
from services.listings.listing_lifecycle import ListingAction
from services.listings.owner import edit_listing
from services.listings.profile import email_key, linkedin_key
from services.reports.moderation import act_on_mentor
from tests.conftest import NOW
from tests.factories import make_profile, sign_up, sign_up_makes_nothing

LATER = NOW + timedelta(days=3)


@pytest.fixture
def alice(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="alice", password="correct horse battery", now=NOW)


def act(session: Session, mentor_id: int, action: ListingAction, alice: ModeratorIdentity,
        now: object = NOW) -> None:  # fmt: skip
    act_on_mentor(session, mentor_id=mentor_id, expected_version=None, action=action,
                  moderator=alice, reason="A reason", now=now, clause=CodeClause.HARASSMENT)  # type: ignore[arg-type]  # fmt: skip


def kinds(session: Session, email: str, linkedin: str) -> set[str]:
    return blocked_kinds(session, email_key=email_key(email), linkedin_key=linkedin_key(linkedin))


def mentors(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Mentor)) or 0)


JANE = ("jane@example.org", "https://www.linkedin.com/in/jane-doe")
BOB = ("bob@example.org", "https://www.linkedin.com/in/bob-roe")
FRESH = ("someone.new@example.org", "https://www.linkedin.com/in/someone-new")


def test_a_ban_blocks_the_email_and_the_linkedin_profile_and_the_blocks_show(
    session: Session, alice: ModeratorIdentity
) -> None:
    jane = sign_up(session, email=JANE[0], linkedin_url=JANE[1]).mentor_id
    assert kinds(session, *JANE) == set()
    act(session, jane, ListingAction.BAN, alice)
    assert kinds(session, *JANE) == {"email", "linkedin"}
    assert kinds(session, JANE[0], FRESH[1]) == {"email"}
    assert kinds(session, FRESH[0], JANE[1]) == {"linkedin"}
    assert kinds(session, *FRESH) == set()
    rows = session.execute(select(BlockedIdentity.kind, BlockedIdentity.value_key, BlockedIdentity.mentor_id,
                                  BlockedIdentity.created_at, BlockedIdentity.lifted_at)).all()  # fmt: skip
    assert sorted(map(tuple, rows)) == [("email", email_key(JANE[0]), jane, NOW, None),
                                        ("linkedin", linkedin_key(JANE[1]), jane, NOW, None)]  # fmt: skip


@pytest.mark.parametrize(
    "attempt",
    [{"email": " JANE@example.org", "linkedin_url": FRESH[1]},
     {"email": FRESH[0], "linkedin_url": "https://fr.linkedin.com/in/Jane-Doe/"}],
    ids=["banned email", "banned LinkedIn profile"],
)  # fmt: skip
def test_a_new_sign_up_with_a_banned_identity_is_refused_and_creates_nothing(
    session: Session, alice: ModeratorIdentity, attempt: dict[str, str]
) -> None:
    jane = sign_up(session, email=JANE[0], linkedin_url=JANE[1]).mentor_id
    act(session, jane, ListingAction.BAN, alice)
    before = mentors(session)
    assert sign_up_makes_nothing(session, **attempt)
    assert mentors(session) == before


def test_a_restore_lifts_exactly_the_restored_listings_blocks(
    session: Session, alice: ModeratorIdentity
) -> None:
    jane = sign_up(session, email=JANE[0], linkedin_url=JANE[1])
    bob = sign_up(session, email=BOB[0], linkedin_url=BOB[1]).mentor_id
    act(session, jane.mentor_id, ListingAction.BAN, alice)
    act(session, bob, ListingAction.BAN, alice)
    act(session, jane.mentor_id, ListingAction.RESTORE, alice, now=LATER)
    assert kinds(session, *JANE) == set()
    assert kinds(session, *BOB) == {"email", "linkedin"}
    lifted = dict(session.execute(select(BlockedIdentity.mentor_id, func.max(BlockedIdentity.lifted_at))
                                  .group_by(BlockedIdentity.mentor_id)).all())  # fmt: skip
    assert lifted == {jane.mentor_id: LATER, bob: None}
    # Her own identities are hers again: her listing may keep them, and only hers.
    jane_keys = {"email_key": email_key(JANE[0]), "linkedin_key": linkedin_key(JANE[1])}
    assert not identity_taken(session, **jane_keys, other_than=jane.mentor_id)
    edit_listing(session, credential=jane.credential, now=LATER,
                 profile=make_profile(full_name="Jane Doe", email=JANE[0], linkedin_url=JANE[1]))  # fmt: skip
    assert session.get_one(Mentor, jane.mentor_id).full_name == "Jane Doe"
    assert sign_up_makes_nothing(session, email=BOB[0], linkedin_url=FRESH[1])  # Bob's ban holds


def test_a_restore_after_a_removal_lifts_no_ones_block(
    session: Session, alice: ModeratorIdentity
) -> None:
    jane = sign_up(session, email=JANE[0], linkedin_url=JANE[1]).mentor_id
    bob = sign_up(session, email=BOB[0], linkedin_url=BOB[1]).mentor_id
    act(session, bob, ListingAction.BAN, alice)
    act(session, jane, ListingAction.REMOVE, alice)
    assert kinds(session, *JANE) == set()  # a removal blocks nothing
    act(session, jane, ListingAction.RESTORE, alice, now=LATER)
    assert kinds(session, *BOB) == {"email", "linkedin"}
