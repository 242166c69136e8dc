"""A new email address takes effect only once it is confirmed; the old address is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from models import Mentor
from services.listings import owner
from services.listings.address_change import AddressTaken, confirm_new_address
from services.listings.links import LinkRefused
from services.mail.templates import Kind
from tests.conftest import NOW
from tests.factories import mailed, make_profile, sign_up


def edit_email(session: Session, credential: str, email: str, **overrides: str) -> str | None:
    mentor = owner.own_listing(session, credential=credential)
    profile = mentor.profile.__class__(**{**mentor.profile.__dict__, "email": email, **overrides})
    return owner.edit_listing(session, credential=credential, profile=profile, now=NOW)


def test_a_new_address_waits_for_its_link_and_the_old_one_is_told(session: Session) -> None:
    mine = sign_up(session, email="old@example.org")
    pending = edit_email(session, mine.credential, "new@example.org", headline="Creative Director")
    assert pending == "new@example.org"
    mentor = session.get_one(Mentor, mine.mentor_id)
    assert (mentor.email, mentor.headline) == ("old@example.org", "Creative Director")  # the rest is saved
    told = mailed(session, "old@example.org", Kind.ADDRESS_CHANGING)
    assert told is not None and "new@example.org" not in str(told.values)  # no data of the new one
    link = mailed(session, "new@example.org", Kind.CONFIRM_NEW_ADDRESS)
    assert link is not None
    assert confirm_new_address(session, token=link.values["token"], now=NOW + timedelta(hours=1)) == "new@example.org"
    session.expire_all()
    mentor = session.get_one(Mentor, mine.mentor_id)
    assert (mentor.email, mentor.email_key, mentor.headline) == ("new@example.org", "new@example.org", "Creative Director")
    with pytest.raises(LinkRefused):
        confirm_new_address(session, token=link.values["token"], now=NOW + timedelta(hours=1))


def test_an_edit_that_keeps_the_address_mails_nobody(session: Session) -> None:
    mine = sign_up(session, email="same@example.org")
    assert edit_email(session, mine.credential, " SAME@example.org ") is None
    assert mailed(session, "same@example.org", Kind.ADDRESS_CHANGING) is None


def test_a_link_after_72_hours_changes_nothing(session: Session) -> None:
    mine = sign_up(session, email="old@example.org")
    edit_email(session, mine.credential, "new@example.org")
    link = mailed(session, "new@example.org", Kind.CONFIRM_NEW_ADDRESS)
    assert link is not None
    with pytest.raises(LinkRefused):
        confirm_new_address(session, token=link.values["token"], now=NOW + timedelta(hours=72))
    assert session.get_one(Mentor, mine.mentor_id).email == "old@example.org"


def test_an_address_another_listing_took_meanwhile_is_refused(session: Session) -> None:
    mine = sign_up(session, email="old@example.org")
    edit_email(session, mine.credential, "wanted@example.org")
    link = mailed(session, "wanted@example.org", Kind.CONFIRM_NEW_ADDRESS)
    assert link is not None
    sign_up(session, profile=make_profile(email="wanted@example.org"))
    with pytest.raises(AddressTaken):
        confirm_new_address(session, token=link.values["token"], now=NOW)
    assert session.get_one(Mentor, mine.mentor_id).email == "old@example.org"
