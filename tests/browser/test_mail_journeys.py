"""Journeys through the mail, against `python -m commands.start` sending over SMTP to a real
SMTP server (aiosmtpd on loopback): confirm a sign-up from its mail, an expired and a used link,
and the lost code (Email me a link) end to end. The .eml folder of the sample setup is the path
of test_signing_journey.py."""

from __future__ import annotations

import time
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from models import ListingLink, Mentor
from models.base import utcnow
from services.listings import links
from tests.browser.mailbox import link_in
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    assert_no_exception,
    card_names,
    fill_sign_up_form,
    open_app,
    save_screenshot,
    search_directory,
    wait_for_app_run,
)
from tests.browser.test_accessibility import _severity, axe_scan
from tests.factories import make_profile, sign_up, submit_sign_up
from tests.mail.conftest import Inbox


@pytest.fixture(scope="module")
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer, smtp: tuple[Inbox, int]) -> AppServer:
    return module_app_server_factory(
        seed=lambda s: sign_up(s, full_name="Laura Lostcode", email="laura@example.org", now=utcnow()),
        env={"SMTP_URL": f"smtp://127.0.0.1:{smtp[1]}?timeout=5"},
    )


def mail_to(inbox: Inbox, recipient: str, subject: str, *, after: int = 0, timeout: float = 30) -> EmailMessage:
    """The first mail to `recipient` with `subject` among those received after the first `after`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with inbox.lock:
            found = [m for m in inbox.messages[after:] if str(m["To"]) == recipient
                     and subject in str(m["Subject"])]  # fmt: skip
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"no '{subject}' mail to {recipient} within {timeout} s")


def on_this_server(app: AppServer, url: str) -> str:
    """The mail's link, on the test server's address (the path and the token as mailed)."""
    parts = urlsplit(url)
    return app.url(parts.path) + "?" + parts.query


def sign_up_as(page: Page, app: AppServer, name: str, email: str) -> None:
    open_app(page, app.url("/become-a-mentor"))
    fill_sign_up_form(page, name=name, email=email,
                      linkedin=f"https://www.linkedin.com/in/{email.split('@')[0]}")  # fmt: skip
    page.get_by_role("button", name="Sign and send me the link").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.locator(".st-key-signup_done")).to_contain_text("Check your inbox")


def test_a_sign_up_is_confirmed_from_its_mail_and_the_link_then_says_it_was_used(
    app: AppServer, inbox: Inbox, page: Page
) -> None:
    sign_up_as(page, app, "Sam Smtp", "sam@example.org")
    mail = mail_to(inbox, "sam@example.org", "Confirm your listing")
    assert mail["Message-ID"] and "Sam Smtp" in mail.get_body(preferencelist=("plain",)).get_content()
    link = on_this_server(app, link_in(mail, "/confirm"))
    page.goto(link)
    save_screenshot(page, "mail/confirm-page")
    page.get_by_role("button", name="Confirm and list me").click()
    expect(page.get_by_role("heading", name="You're listed")).to_be_visible()
    assert page.locator("code.secret").inner_text().startswith("wan-")
    open_app(page, app.url("/"))
    search_directory(page, "Sam Smtp")
    assert card_names(page) == ["Sam Smtp"]
    page.goto(link)  # the same link again
    expect(page.get_by_text("This link has already been used", exact=False)).to_be_visible()


def test_an_expired_link_offers_a_new_one_that_works(app: AppServer, inbox: Inbox, page: Page) -> None:
    sign_up_as(page, app, "Eve Expired", "eve@example.org")
    first = mail_to(inbox, "eve@example.org", "Confirm your listing")
    with app.writer.begin() as session:  # 72 hours later
        session.execute(update(ListingLink).where(ListingLink.email == "eve@example.org")
                        .values(expires_at=utcnow()))  # fmt: skip
    page.goto(on_this_server(app, link_in(first, "/confirm")))
    expect(page.get_by_text("This link has expired", exact=False)).to_be_visible()
    received = len(inbox.messages)
    page.get_by_role("button", name="Send me a new link").click()
    expect(page.get_by_text("a new link is on its way", exact=False)).to_be_visible()
    second = mail_to(inbox, "eve@example.org", "Confirm your listing", after=received)
    page.goto(on_this_server(app, link_in(second, "/confirm")))
    page.get_by_role("button", name="Confirm and list me").click()
    expect(page.get_by_role("heading", name="You're listed")).to_be_visible()


def test_a_mentor_who_lost_the_code_manages_the_listing_from_a_mailed_link(
    app: AppServer, inbox: Inbox, page: Page
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone
    open_app(page, app.url("/manage-my-listing"))
    page.get_by_label("Email of your listing", exact=True).fill("LAURA@example.org")
    page.get_by_role("button", name="Email me a link").click()
    wait_for_app_run(page)
    expect(page.get_by_text("If this address belongs to a listing", exact=False)).to_be_visible()
    save_screenshot(page, "mail/link-asked")
    mail = mail_to(inbox, "laura@example.org", "Your link to manage your listing")
    page.goto(on_this_server(app, link_in(mail, "/manage-link")))
    page.get_by_role("button", name="Open Manage my listing").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_text("Your listing is live", exact=False)).to_be_visible()
    page.get_by_role("button", name="Pause my listing").click()
    wait_for_app_run(page)
    expect(page.get_by_text("Your listing is paused", exact=False)).to_be_visible()
    page.reload()  # the browser keeps it open: the session is in a cookie
    wait_for_app_run(page)
    expect(page.get_by_text("Your listing is paused", exact=False)).to_be_visible()
    save_screenshot(page, "mail/managed-from-link")
    page.get_by_role("button", name="Close my listing on this device").click()
    expect(page.get_by_role("button", name="Email me a link")).to_be_visible(timeout=20_000)
    page.reload()
    wait_for_app_run(page)
    expect(page.get_by_role("button", name="Email me a link")).to_be_visible()  # closed for good


def waiting_sign_up(app: AppServer, email: str) -> str:
    """A sign-up waiting for its confirmation, and a fresh link's token for it."""
    with app.writer.begin() as session:
        submit_sign_up(session, make_profile(email=email), now=utcnow())
        mentor_id = session.scalar(select(Mentor.id).where(Mentor.email == email))
        assert mentor_id is not None
        return links.issue(session, mentor_id=mentor_id, purpose=links.Purpose.CONFIRM, now=utcnow())


def confirm_page(page: Page, app: AppServer) -> None:
    page.goto(app.url("/confirm") + "?token=" + waiting_sign_up(app, "axe.confirm@example.org"))
    expect(page.get_by_role("button", name="Confirm and list me")).to_be_visible()


def confirmed_page(page: Page, app: AppServer) -> None:
    page.goto(app.url("/confirm") + "?token=" + waiting_sign_up(app, "axe.listed@example.org"))
    page.get_by_role("button", name="Confirm and list me").click()
    expect(page.get_by_role("heading", name="You're listed")).to_be_visible()


def unknown_link_page(page: Page, app: AppServer) -> None:
    page.goto(app.url("/confirm") + "?token=not-one-of-ours")
    expect(page.get_by_text("isn't one of ours", exact=False)).to_be_visible()


def manage_link_page(page: Page, app: AppServer) -> None:
    with app.writer.begin() as session:
        mentor_id = session.scalar(select(Mentor.id).where(Mentor.email == "laura@example.org"))
        assert mentor_id is not None
        token = links.issue(session, mentor_id=mentor_id, purpose=links.Purpose.MANAGE, now=utcnow())
    page.goto(app.url("/manage-link") + "?token=" + token)
    expect(page.get_by_role("button", name="Open Manage my listing")).to_be_visible()


LINK_PAGES = {"confirm": confirm_page, "confirmed": confirmed_page, "unknown-link": unknown_link_page,
              "manage-link": manage_link_page}  # fmt: skip


@pytest.mark.parametrize("state", list(LINK_PAGES))
def test_no_serious_axe_violations_on_the_pages_of_mailed_links(app: AppServer, page: Page, state: str) -> None:
    LINK_PAGES[state](page, app)
    violations, _review = axe_scan(page, f"mail-{state}")
    failing = [f for f in violations if f.fails]
    assert not failing, "\n".join(f.describe() for f in sorted(violations, key=_severity))
