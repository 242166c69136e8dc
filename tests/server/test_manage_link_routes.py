"""A mailed link to manage a listing: a button (never a GET), once, for an hour; it leaves an
owner session in this browser's cookie, which closing ends."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from models import ListingLink
from models.base import utcnow
from server.owner_link_routes import OWNER_COOKIE
from services.core.refusals import CredentialRejected
from services.listings import manage_links, owner
from services.mail.templates import Kind
from tests.factories import mailed, sign_up
from tests.server.conftest import Site


def manage_token(site: Site, email: str = "jane@example.org") -> str:
    with site.db.begin() as session:
        sign_up(session, email=email, now=utcnow())
        manage_links.request_link(session, email=email, client_key="t", now=utcnow())
        mail = mailed(session, email, Kind.MANAGE_LINK)
        assert mail is not None
        return mail.values["token"]


def opens(site: Site, owner_session: str) -> bool:
    with site.db() as session:
        try:
            owner.own_listing(session, credential=owner_session)
        except CredentialRejected:
            return False
        return True


def test_the_link_opens_the_listing_in_this_browser_once(site: Site) -> None:
    token = manage_token(site)
    page = site.client.get("/manage-link?" + urlencode({"token": token}))
    assert page.status_code == 200 and "Open Manage my listing" in page.text
    used = site.post("/manage-link", {"token": token}, form_page="/sign-in")
    assert used.status_code == 303 and used.headers["location"] == "/manage-my-listing"
    cookie = next(h for h in used.headers.get_list("set-cookie") if h.startswith(f"{OWNER_COOKIE}="))
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Max-Age=7200" in cookie
    owner_session = site.client.cookies[OWNER_COOKIE]
    assert owner_session.startswith("wal-") and opens(site, owner_session)
    again = site.post("/manage-link", {"token": token}, form_page="/sign-in")
    assert again.status_code == 409 and "already been used" in again.text

    closed = site.client.get("/manage-link/close", follow_redirects=False)
    assert closed.status_code == 303 and not opens(site, owner_session)


def test_an_hour_old_link_opens_nothing(site: Site) -> None:
    token = manage_token(site)
    with site.db.begin() as session:
        session.execute(ListingLink.__table__.update().where(ListingLink.purpose == "manage")
                        .values(expires_at=utcnow() - timedelta(seconds=1)))  # fmt: skip
    assert "expired" in site.client.get("/manage-link", params={"token": token}).text
    refused = site.post("/manage-link", {"token": token}, form_page="/sign-in")
    assert refused.status_code == 409 and OWNER_COOKIE not in refused.headers.get("set-cookie", "")


def test_a_link_used_from_another_site_opens_nothing(site: Site) -> None:
    token = manage_token(site)
    forged = site.post("/manage-link", {"token": token}, origin="https://evil.example", form_page="/sign-in")
    assert forged.status_code == 403
    with site.db() as session:
        assert session.scalars(select(ListingLink.used_at).where(ListingLink.purpose == "manage")).one() is None


@pytest.mark.parametrize("token", ["", "x" * 500, "wal-forged", "<script>alert(1)</script>"])
def test_any_other_token_is_a_clear_page(site: Site, token: str) -> None:
    page = site.client.get("/manage-link", params={"token": token})
    assert page.status_code == 200 and "<script>alert" not in page.text
    assert site.post("/manage-link", {"token": token}, form_page="/sign-in").status_code == 409
