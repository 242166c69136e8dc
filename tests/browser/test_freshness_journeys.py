"""Listings that stay true, in the browser: the clock of a freshly started server (its jobs are
due at once) mails a mentor quiet for 100 days (to aiosmtpd), "Yes, keep me listed" keeps the
listing; a mentor asked 15 days ago without answering is paused, and the pause mail's link
brings them back in one click; a mentor away until yesterday is listed again by the clock and
told so; a mentee's "No reply?" is thanked and changes nothing on the card."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Mentor, NoReplySignal
from models.base import utcnow
from services.listings.freshness import Spans, ask_due
from services.listings.owner import pause_listing
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
    away = sign_up(session, full_name="Ava Away", email="ava@example.org",
                   now=utcnow() - timedelta(days=20))  # fmt: skip
    pause_listing(session, credential=away.credential, now=utcnow() - timedelta(days=10),
                  until=(utcnow() - timedelta(days=1)).date())  # back yesterday: the clock is due  # fmt: skip
    sign_up(session, full_name="Nia Noreply", email="nia@example.org", now=utcnow() - timedelta(days=5))


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


def test_a_mentor_away_until_a_date_is_listed_again_on_it_and_told(
    app: AppServer, smtp: tuple[Inbox, int], page: Page
) -> None:
    mail = mail_to(smtp[0], "ava@example.org", "your listing is live again")
    assert "/manage-my-listing" in mail.get_content()
    assert status(app, "ava@example.org") == "listed"
    open_app(page, app.url("/"))
    search_directory(page, "Ava Away")
    assert card_names(page) == ["Ava Away"]


def test_no_reply_thanks_the_mentee_and_changes_nothing_public(app: AppServer, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    open_app(page, app.url("/"))
    search_directory(page, "Nia Noreply")
    card = page.get_by_test_id("stMain").locator("[class*='st-key-mentor_card_']")
    before = card.inner_text()
    link = card.get_by_role("link", name="Reached out and heard nothing for two weeks? (opens in a new tab)")
    assert link.get_attribute("target") == "_blank"  # as its name says
    with page.context.expect_page() as opened:
        link.click()
    directory, page = page, opened.value
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("heading", name="No reply from a mentor?")).to_be_visible()
    expect(page.get_by_text("Did you reach out to Nia Noreply", exact=False)).to_be_visible()
    save_screenshot(page, "freshness/no-reply-phone")
    page.get_by_role("button", name="Tell the team, anonymously").click()
    expect(page.get_by_text("Thank you. We've noted it, anonymously.", exact=False)).to_be_visible()
    with app.writer() as session:
        signalled = session.scalars(select(NoReplySignal.mentor_id)).all()
        nia = session.scalar(select(Mentor.id).where(Mentor.email == "nia@example.org"))
    assert signalled == [nia]
    assert status(app, "nia@example.org") == "listed"
    open_app(directory, app.url("/"))
    search_directory(directory, "Nia Noreply")
    assert card.inner_text() == before  # no count, no mark: never public
