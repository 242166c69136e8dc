"""Listings that stay true, in the browser: the clock of a freshly started server (its jobs are
due at once) mails a mentor quiet for 100 days (to aiosmtpd), "Yes, keep me listed" keeps the
listing; a mentor asked 15 days ago without answering is paused, and the pause mail's link
brings them back in one click."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Mentor
from models.base import utcnow
from services.listings.freshness import Spans, ask_due
from tests.browser.mailbox import link_in
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import card_names, open_app, save_screenshot, search_directory
from tests.browser.test_mail_journeys import mail_to, on_this_server
from tests.factories import sign_up
from tests.mail.conftest import Inbox


def seed(session: Session) -> None:
    sign_up(session, full_name="Quentin Quiet", email="quentin@example.org",
            now=utcnow() - timedelta(days=100))  # fmt: skip
    sign_up(session, full_name="Una Unanswered", email="una@example.org",
            now=utcnow() - timedelta(days=130))  # fmt: skip
    ask_due(session, now=utcnow() - timedelta(days=15), spans=Spans())  # asked, never answered


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer, smtp: tuple[Inbox, int]) -> AppServer:
    return module_app_server_factory(seed=seed, env={"SMTP_URL": f"smtp://127.0.0.1:{smtp[1]}?timeout=5"})


def status(app: AppServer, email: str) -> str:
    with app.writer() as session:
        return session.scalars(select(Mentor.status).where(Mentor.email == email)).one()


def test_a_quiet_mentor_is_asked_and_yes_keeps_the_listing(app: AppServer, smtp: tuple[Inbox, int],
                                                           page: Page) -> None:  # fmt: skip
    mail = mail_to(smtp[0], "quentin@example.org", "Are you still available")
    page.goto(on_this_server(app, link_in(mail, "/still-available")))
    expect(page.get_by_role("button", name="Pause my listing")).to_be_visible()
    save_screenshot(page, "freshness/still-available")
    page.get_by_role("button", name="Yes, keep me listed").click()
    expect(page.get_by_text("Your listing stays in the directory", exact=False)).to_be_visible()
    assert status(app, "quentin@example.org") == "listed"
    open_app(page, app.url("/"))
    search_directory(page, "Quentin Quiet")
    assert card_names(page) == ["Quentin Quiet"]


def test_an_unanswered_mentor_is_paused_and_comes_back_in_one_click(
    app: AppServer, smtp: tuple[Inbox, int], page: Page
) -> None:
    mail = mail_to(smtp[0], "una@example.org", "Your listing is paused")
    assert status(app, "una@example.org") == "paused"
    open_app(page, app.url("/"))
    search_directory(page, "Una Unanswered")
    assert card_names(page) == []
    page.goto(on_this_server(app, link_in(mail, "/still-available")))
    page.get_by_role("button", name="Yes, keep me listed").click()
    expect(page.get_by_text("Your listing stays in the directory", exact=False)).to_be_visible()
    assert status(app, "una@example.org") == "listed"
    open_app(page, app.url("/"))
    search_directory(page, "Una Unanswered")
    assert card_names(page) == ["Una Unanswered"]
