"""Confirming a sign-up from its mailed link: a button (never a GET), once, for 72 hours."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models import ListingLink, Mentor
from models.base import utcnow
from services.core.vocabulary import ListingStatus
from tests.factories import mailed, make_profile, submit_sign_up
from tests.server.conftest import Site


def signed_up(site: Site, **overrides: str) -> tuple[str, str]:
    """A sign-up waiting for its confirmation; its email and the mailed token."""
    profile = make_profile(**overrides)
    with site.db.begin() as session:
        submit_sign_up(session, profile, now=utcnow())
        mail = mailed(session, profile.email)
        assert mail is not None
        return profile.email, mail.values["token"]


def status_of(site: Site, email: str) -> str:
    with site.db() as session:
        return session.scalars(select(Mentor.status).where(Mentor.email == email)).one()


def confirm_page(site: Site, token: str):
    return site.client.get("/confirm?" + urlencode({"token": token}))


def test_opening_the_link_changes_nothing_and_the_button_lists_the_mentor(site: Site) -> None:
    email, token = signed_up(site, full_name="Ada Lovelace")
    for _ in range(3):  # a mail scanner, a preview, the person
        page = confirm_page(site, token)
        assert page.status_code == 200 and "Confirm and list me" in page.text
        assert "Ada Lovelace" in page.text
    assert status_of(site, email) == ListingStatus.UNCONFIRMED.value
    done = site.post("/confirm", {"token": token}, form_page="/confirm?" + urlencode({"token": token}))
    assert done.status_code == 200, done.text
    assert "You&#x27;re listed" in done.text or "You're listed" in done.text
    assert "wan-" in done.text  # the private code, shown once
    assert done.headers["cache-control"] == "no-store"
    assert status_of(site, email) == ListingStatus.LISTED.value


def test_a_used_link_says_so_and_confirms_nothing_twice(site: Site) -> None:
    email, token = signed_up(site)
    form_page = "/confirm?" + urlencode({"token": token})
    assert site.post("/confirm", {"token": token}, form_page=form_page).status_code == 200
    again = site.post("/confirm", {"token": token}, form_page="/sign-in")
    assert again.status_code == 409 and "already been used" in again.text
    assert "wan-" not in again.text
    assert "already been used" in confirm_page(site, token).text
    with site.db() as session:
        assert session.scalar(select(func.count()).select_from(Mentor)) == 1


def test_an_expired_link_says_so_and_sends_a_new_one_to_the_same_address(site: Site) -> None:
    email, token = signed_up(site)
    with site.db.begin() as session:
        session.execute(ListingLink.__table__.update().values(expires_at=utcnow() - timedelta(minutes=1)))
    page = confirm_page(site, token)
    assert "expired" in page.text and "Send me a new link" in page.text
    refused = site.post("/confirm", {"token": token}, form_page="/sign-in")
    assert refused.status_code == 409 and status_of(site, email) == ListingStatus.UNCONFIRMED.value
    sent = site.post("/confirm/new-link", {"token": token}, form_page="/sign-in")
    assert sent.status_code == 200 and "new link is on its way" in sent.text
    with site.db() as session:
        newest = mailed(session, email)
    assert newest is not None and newest.values["token"] != token
    site.post("/confirm", {"token": newest.values["token"]}, form_page="/sign-in")
    assert status_of(site, email) == ListingStatus.LISTED.value


def test_a_confirmation_from_another_site_is_refused(site: Site) -> None:
    email, token = signed_up(site)
    forged = site.post("/confirm", {"token": token}, origin="https://evil.example", form_page="/sign-in")
    assert forged.status_code == 403
    assert status_of(site, email) == ListingStatus.UNCONFIRMED.value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(max_size=300))
def test_any_token_gets_a_page_never_an_error_and_lists_nobody(site: Site, token: str) -> None:
    page = site.client.get("/confirm", params={"token": token})
    assert page.status_code == 200 and "one of ours" in page.text
    posted = site.post("/confirm", {"token": token}, form_page="/sign-in")
    assert posted.status_code == 409
    with site.db() as session:
        assert session.scalar(select(func.count()).select_from(Mentor)) == 0


@pytest.mark.parametrize("path", ["/confirm", "/confirm?token="])
def test_a_link_without_a_token_is_a_clear_page(site: Site, path: str) -> None:
    page = site.client.get(path)
    assert page.status_code == 200 and "one of ours" in page.text


def test_a_new_address_is_confirmed_by_its_button_and_not_by_opening_the_link(site: Site) -> None:
    from services.listings import owner
    from services.mail.templates import Kind
    from tests.factories import sign_up

    with site.db.begin() as session:
        mine = sign_up(session, email="old@example.org", now=utcnow())
        profile = owner.own_listing(session, credential=mine.credential).profile
        owner.edit_listing(session, credential=mine.credential, now=utcnow(),
                           profile=profile.__class__(**{**profile.__dict__, "email": "new@example.org"}))  # fmt: skip
        mail = mailed(session, "new@example.org", Kind.CONFIRM_NEW_ADDRESS)
        assert mail is not None
        token = mail.values["token"]
    page = site.client.get("/confirm-address", params={"token": token})
    assert page.status_code == 200 and "Confirm my new address" in page.text
    with site.db() as session:
        assert session.get_one(Mentor, mine.mentor_id).email == "old@example.org"
    done = site.post("/confirm-address", {"token": token}, form_page="/sign-in")
    assert done.status_code == 200 and "new@example.org" in done.text
    with site.db() as session:
        assert session.get_one(Mentor, mine.mentor_id).email == "new@example.org"
    again = site.post("/confirm-address", {"token": token}, form_page="/sign-in")
    assert again.status_code == 409
