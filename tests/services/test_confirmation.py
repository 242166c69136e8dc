"""Confirming a sign-up's address: listed only through the mailed link, once, within 72 hours;
the same answer for every address; nobody's mailbox flooded; unconfirmed sign-ups deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor, OutboxMail
from services.accounts.throttle import Throttled
from services.core.vocabulary import ListingStatus
from services.listings.code_of_conduct import current_code
from services.listings.confirmation import (
    AlreadyConfirmed,
    confirm_sign_up,
    drop_unconfirmed,
    send_new_link,
)
from services.listings.links import LinkRefused, LinkState
from services.listings.signing import SIGN_UPS_PER_CLIENT, SignatureInput, sign_code_of_conduct
from services.mail.outbox import MAIL_PER_RECIPIENT
from services.mail.templates import Kind
from tests.conftest import NOW
from tests.factories import mailed, make_mentor, make_profile, submit_sign_up


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def status(session: Session, email: str) -> str:
    return session.scalars(select(Mentor.status).where(Mentor.email == email)).one()


def test_a_sign_up_waits_for_its_address_and_the_link_lists_it_once(session: Session) -> None:
    profile = make_profile()
    submit_sign_up(session, profile)
    assert status(session, profile.email) == ListingStatus.UNCONFIRMED.value
    mail = mailed(session, profile.email)
    assert mail is not None and mail.values["name"] == profile.full_name
    confirmed = confirm_sign_up(session, token=mail.values["token"], now=NOW + timedelta(hours=71))
    assert status(session, profile.email) == ListingStatus.LISTED.value
    assert confirmed.credential.startswith("wan-")
    with pytest.raises(LinkRefused) as used:
        confirm_sign_up(session, token=mail.values["token"], now=NOW + timedelta(hours=71))
    assert used.value.state is LinkState.USED
    kinds = session.scalars(select(ListingEvent.kind).where(ListingEvent.mentor_id == confirmed.mentor_id)
                            .order_by(ListingEvent.id)).all()  # fmt: skip
    assert kinds == ["signed_up", "confirmed"]


def test_a_link_older_than_72_hours_lists_nobody_and_a_new_one_does(session: Session) -> None:
    profile = make_profile()
    submit_sign_up(session, profile)
    old = mailed(session, profile.email)
    assert old is not None
    with pytest.raises(LinkRefused) as expired:
        confirm_sign_up(session, token=old.values["token"], now=NOW + timedelta(hours=72))
    assert expired.value.state is LinkState.EXPIRED
    assert status(session, profile.email) == ListingStatus.UNCONFIRMED.value
    send_new_link(session, token=old.values["token"], now=NOW + timedelta(hours=73))
    new = mailed(session, profile.email)
    assert new is not None and new.id != old.id
    confirm_sign_up(session, token=new.values["token"], now=NOW + timedelta(hours=74))
    assert status(session, profile.email) == ListingStatus.LISTED.value


def test_signing_up_again_while_waiting_sends_the_link_again_not_a_second_listing(session: Session) -> None:
    profile = make_profile()
    submit_sign_up(session, profile)
    first = mailed(session, profile.email)
    submit_sign_up(session, profile, now=NOW + timedelta(minutes=5))
    second = mailed(session, profile.email)
    assert count(session, Mentor) == 1
    assert first is not None and second is not None and second.id != first.id
    with pytest.raises(LinkRefused):  # the newest link replaces the earlier ones
        confirm_sign_up(session, token=first.values["token"], now=NOW + timedelta(minutes=6))
    confirm_sign_up(session, token=second.values["token"], now=NOW + timedelta(minutes=6))
    assert status(session, profile.email) == ListingStatus.LISTED.value


def test_a_confirmed_listing_is_not_confirmed_again_by_another_waiting_link(session: Session) -> None:
    profile = make_profile()
    submit_sign_up(session, profile)
    mail = mailed(session, profile.email)
    assert mail is not None
    confirm_sign_up(session, token=mail.values["token"], now=NOW)
    with pytest.raises((LinkRefused, AlreadyConfirmed)):
        confirm_sign_up(session, token=mail.values["token"], now=NOW)


def test_one_address_gets_at_most_its_share_of_mail_an_hour(session: Session) -> None:
    profile = make_profile()
    for minute in range(MAIL_PER_RECIPIENT.allowed + 3):
        submit_sign_up(session, profile, now=NOW + timedelta(minutes=minute))
    to_them = select(func.count()).select_from(OutboxMail).where(OutboxMail.recipient == profile.email)
    assert session.scalar(to_them) == MAIL_PER_RECIPIENT.allowed
    submit_sign_up(session, profile, now=NOW + timedelta(hours=1, minutes=1))  # the next hour
    assert session.scalar(to_them) == MAIL_PER_RECIPIENT.allowed + 1


def test_one_client_address_is_slowed_down_after_its_share_of_sign_ups(session: Session) -> None:
    def sign(n: int) -> None:
        profile = make_profile()
        sign_code_of_conduct(session, profile=profile, code=current_code(), now=NOW, client_key="203.0.113.7",
                             signature=SignatureInput(agreed=True, typed_name=profile.full_name))  # fmt: skip

    for n in range(SIGN_UPS_PER_CLIENT.allowed):
        sign(n)
    with pytest.raises(Throttled):
        sign(99)
    assert count(session, Mentor) == SIGN_UPS_PER_CLIENT.allowed


def test_a_mail_is_written_with_its_sign_up_or_not_at_all(session: Session) -> None:
    profile = make_profile()
    with pytest.raises(RuntimeError), session.begin_nested():
        submit_sign_up(session, profile)
        raise RuntimeError("the transaction fails after the sign-up")
    assert count(session, Mentor) == 0 and count(session, OutboxMail) == 0


def test_sign_ups_never_confirmed_are_deleted_after_seven_days_and_no_others(session: Session) -> None:
    waiting = make_mentor(session, status=ListingStatus.UNCONFIRMED, listed_at=NOW - timedelta(days=8))
    recent = make_mentor(session, status=ListingStatus.UNCONFIRMED, listed_at=NOW - timedelta(days=6))
    listed = make_mentor(session, listed_at=NOW - timedelta(days=30))
    assert drop_unconfirmed(session, now=NOW) == 1
    session.expire_all()
    gone = session.get_one(Mentor, waiting)
    assert (gone.status, gone.email, gone.email_key, gone.full_name) == ("deleted", None, None, "Deleted mentor")
    assert session.get_one(Mentor, recent).status == ListingStatus.UNCONFIRMED.value
    assert session.get_one(Mentor, listed).status == ListingStatus.LISTED.value
    assert drop_unconfirmed(session, now=NOW) == 0  # a second run does nothing more
    event = session.scalars(select(ListingEvent).where(ListingEvent.mentor_id == waiting)
                            .order_by(ListingEvent.id.desc())).first()  # fmt: skip
    assert event is not None and (event.kind, event.actor_kind) == ("unconfirmed_deleted", "system")


def test_the_address_freed_by_a_deleted_sign_up_can_sign_up_again(session: Session) -> None:
    profile = make_profile()
    submit_sign_up(session, profile, now=NOW - timedelta(days=8))
    drop_unconfirmed(session, now=NOW)
    submit_sign_up(session, profile, now=NOW)
    assert count(session, Mentor) == 2
    mail = mailed(session, profile.email, Kind.CONFIRM_SIGN_UP)
    assert mail is not None
    confirm_sign_up(session, token=mail.values["token"], now=NOW)
