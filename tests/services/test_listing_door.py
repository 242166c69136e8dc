"""The listing's door writes what the owner controls itself, and nothing may ride along with a move."""

from __future__ import annotations

import inspect as signature_of
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor
from services.audit.audit_log import MENTOR
from services.listings import listing_lifecycle
from services.listings.listing_lifecycle import ListingAction, UnrecordedChange, move_listing
from services.listings.profile import validate_profile
from services.listings.profile_fields import Availability
from tests.conftest import NOW
from tests.factories import make_profile, sign_up

A = ListingAction
SMUGGLED = {
    "status": "banned", "version": 99, "email_key": "someone.else@example.org",
    "manage_token_hash": "0" * 64, "status_before_takedown": "listed", "full_name": "Not Me",
}  # fmt: skip


def events(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ListingEvent)) or 0)


def test_the_door_takes_values_not_a_function_that_could_change_anything() -> None:
    parameters = signature_of.signature(move_listing).parameters
    assert "change" not in parameters and {"profile", "availability"} <= set(parameters)


@pytest.mark.parametrize("action", [A.EDIT, A.CHANGE_AVAILABILITY, A.PAUSE])
@pytest.mark.parametrize(("column", "value"), SMUGGLED.items(), ids=SMUGGLED.keys())
def test_a_listing_changed_before_the_door_is_refused_and_nothing_is_recorded(
    session: Session, action: ListingAction, column: str, value: object
) -> None:
    mentor = listing_lifecycle.lock_listing(session, sign_up(session).mentor_id)
    recorded = events(session)
    setattr(mentor, column, value)
    with pytest.raises(UnrecordedChange, match=column):
        move_listing(session, mentor, action, actor=MENTOR, now=NOW)
    assert events(session) == recorded


@pytest.mark.parametrize("column", ["email_key", "linkedin_key", "status", "manage_token_hash"])
def test_another_listing_changed_in_the_session_is_refused_too(session: Session, column: str) -> None:
    mine, other = sign_up(session).mentor_id, sign_up(session).mentor_id
    mentor = listing_lifecycle.lock_listing(session, mine)
    setattr(session.get_one(Mentor, other), column, "taken-over")
    with pytest.raises(UnrecordedChange):
        move_listing(session, mentor, A.PAUSE, actor=MENTOR, now=NOW)


@pytest.mark.parametrize("how", ["added", "deleted"])
def test_another_listing_added_or_deleted_in_the_session_is_refused_too(session: Session, how: str) -> None:
    mine, other = sign_up(session).mentor_id, sign_up(session).mentor_id
    mentor = listing_lifecycle.lock_listing(session, mine)
    if how == "added":
        session.add(Mentor(created_at=NOW, full_name="Not Signed Up", status="listed"))
    else:
        session.delete(session.get_one(Mentor, other))
    with pytest.raises(UnrecordedChange, match="^another listing carries changes made outside its door$"):
        move_listing(session, mentor, A.PAUSE, actor=MENTOR, now=NOW)


def test_another_listing_given_back_its_own_values_does_not_stop_a_move(session: Session) -> None:
    mine, other = sign_up(session).mentor_id, sign_up(session).mentor_id
    mentor = listing_lifecycle.lock_listing(session, mine)
    untouched = session.get_one(Mentor, other)
    untouched.full_name = untouched.full_name  # in session.dirty, yet nothing changed
    move_listing(session, mentor, A.PAUSE, actor=MENTOR, now=NOW)
    session.expire_all()
    assert session.get_one(Mentor, mine).status == "paused"


def test_an_edit_writes_the_profile_and_leaves_status_and_availability_alone(session: Session) -> None:
    mentor_id = sign_up(session, availability_note="Replies within a week").mentor_id
    mentor = listing_lifecycle.lock_listing(session, mentor_id)
    token, version = mentor.manage_token_hash, mentor.version
    clean, _ = validate_profile(replace(make_profile(full_name="Jane Renamed"), open_to_new_mentees=False,
                                        availability_note="never"))  # fmt: skip
    assert clean is not None
    move_listing(session, mentor, A.EDIT, actor=MENTOR, now=NOW, profile=clean)
    session.expire_all()
    after = session.get_one(Mentor, mentor_id)
    assert (after.full_name, after.email_key, after.name_key) == ("Jane Renamed", clean.email_key, "jane renamed")
    assert (after.status, after.version, after.manage_token_hash) == ("listed", version + 1, token)
    assert (after.open_to_new_mentees, after.availability_note) == (True, "Replies within a week")


def test_a_change_of_availability_writes_only_the_availability(session: Session) -> None:
    mentor_id = sign_up(session, full_name="Jane Doe").mentor_id
    mentor = listing_lifecycle.lock_listing(session, mentor_id)
    move_listing(session, mentor, A.CHANGE_AVAILABILITY, actor=MENTOR, now=NOW,
                 availability=Availability(False, "Back in March"))  # fmt: skip
    session.expire_all()
    after = session.get_one(Mentor, mentor_id)
    assert (after.open_to_new_mentees, after.availability_note, after.full_name) == (False, "Back in March", "Jane Doe")


def test_values_are_refused_on_a_move_that_carries_none(session: Session) -> None:
    mentor = listing_lifecycle.lock_listing(session, sign_up(session).mentor_id)
    clean, _ = validate_profile(make_profile())
    with pytest.raises(ValueError, match="profile"):
        move_listing(session, mentor, A.PAUSE, actor=MENTOR, now=NOW, profile=clean)
    with pytest.raises(ValueError, match="availability"):
        move_listing(session, mentor, A.EDIT, actor=MENTOR, now=NOW, availability=Availability(True, None))
