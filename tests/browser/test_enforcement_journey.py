"""The enforcement ladder in the browser, with two moderators and a real SMTP server (aiosmtpd):
alice warns a mentor from a report (the part of the Code comes from the report); the mentor gets
the warning, quoting the Code, and appeals it from Manage my listing on a phone; alice is told to
leave the appeal to someone else; bob upholds it, and the mentor hears. A removal for days that
ended while the server was down ends when its clock starts: the listing is back, the mentor told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor
from models.base import utcnow
from services.accounts import auth
from services.core.vocabulary import CodeClause
from services.listings.listing_lifecycle import ListingAction
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_mentor
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    assert_no_exception,
    card_names,
    open_app,
    save_screenshot,
    search_directory,
    sign_in,
    wait_for_app_run,
)
from tests.browser.test_mail_journeys import mail_to
from tests.factories import sign_up
from tests.mail.conftest import Inbox

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
WARNED, WARNED_EMAIL = "Wendy Warned", "wendy@example.org"
BACK, BACK_EMAIL = "Rory Returns", "rory@example.org"
APPEAL_TEXT = "I told every mentee I was in hospital for two weeks."


@dataclass(frozen=True)
class Seeded:
    credential: str


def seed(session: Session) -> Seeded:
    alice = auth.add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
    auth.add_moderator(session, username="bob", password=PASSWORD, now=utcnow())
    wendy = sign_up(session, full_name=WARNED, email=WARNED_EMAIL)
    file_report(session, client_key="mentee", now=utcnow(), report=ReportInput(
        mentor_id=wendy.mentor_id, category="not_responsive", reporter_role="mentee",
        description="No reply to three messages in a month."))  # fmt: skip
    rory = sign_up(session, full_name=BACK, email=BACK_EMAIL, now=utcnow() - timedelta(days=30))
    act_on_mentor(session, mentor_id=rory.mentor_id, expected_version=None, moderator=alice,
                  action=ListingAction.REMOVE_FOR_DAYS, reason="Rude to a mentee", days=3,
                  clause=CodeClause.RESPECTFUL, now=utcnow() - timedelta(days=10))  # ended a week ago  # fmt: skip
    return Seeded(credential=wendy.credential)


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer, smtp: tuple[Inbox, int]) -> AppServer:
    return module_app_server_factory(seed=seed, env={"SMTP_URL": f"smtp://127.0.0.1:{smtp[1]}?timeout=5"})


def test_a_warning_is_appealed_and_upheld_by_the_other_moderator(
    app: AppServer, smtp: tuple[Inbox, int], page: Page, browser: Browser
) -> None:
    sign_in(page, app, "alice", PASSWORD)
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="Warn", exact=True).click()
    wait_for_app_run(page)
    expect(page.get_by_label("The part of the Code of Conduct this enforces")).to_be_visible()
    page.get_by_label("Reason (goes into the audit log)", exact=True).fill("Three unanswered messages.")
    save_screenshot(page, "enforcement/warn-confirmation")
    page.get_by_role("button", name="Confirm: warn").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(main.get_by_text(f"Warn: done for {WARNED}.", exact=False)).to_be_visible()
    warning = mail_to(smtp[0], WARNED_EMAIL, "A warning about your mentoring").get_content()
    assert "No ghosting allowed." in warning and "appeal it once, within 20 days" in warning

    mentor = browser.new_page(viewport={"width": 390, "height": 844})
    open_app(mentor, app.url("/manage-my-listing"))
    mentor.get_by_label("Your private code", exact=True).fill(app.seeded.credential)
    mentor.get_by_role("button", name="Open my listing").click()
    wait_for_app_run(mentor)
    expect(mentor.get_by_role("heading", name="Appeal a decision")).to_be_visible()
    mentor.get_by_label("Why the decision is wrong", exact=True).fill(APPEAL_TEXT)
    mentor.get_by_role("button", name="Send my appeal").click()
    wait_for_app_run(mentor)
    assert_no_exception(mentor)
    expect(mentor.get_by_text("Your appeal is in, with the reference", exact=False)).to_be_visible()
    save_screenshot(mentor, "enforcement/appeal-sent-phone")

    page.reload()  # alice: the appeal is in the queue, but it is not hers to decide
    wait_for_app_run(page)
    expect(main.get_by_text(APPEAL_TEXT, exact=True)).to_be_visible()
    expect(main.get_by_text("another moderator must decide its appeal", exact=False)).to_be_visible()
    expect(main.get_by_role("button", name="Uphold: reverse the decision")).to_have_count(0)

    bob = browser.new_page()
    sign_in(bob, app, "bob", PASSWORD)
    bob_main = bob.get_by_test_id("stMain")
    expect(bob_main.get_by_text(APPEAL_TEXT, exact=True)).to_be_visible()
    bob.get_by_label("Message to the mentor with your decision (optional)", exact=True).fill(
        "Thank you for explaining: the warning is withdrawn.")
    save_screenshot(bob, "enforcement/appeal-in-queue")
    bob.get_by_role("button", name="Uphold: reverse the decision").click()
    wait_for_app_run(bob)
    assert_no_exception(bob)
    expect(bob_main.get_by_text("Uphold: reverse the decision: saved.", exact=False)).to_be_visible()
    decided = mail_to(smtp[0], WARNED_EMAIL, "Your appeal has been decided").get_content()
    assert "upheld: the decision is reversed" in decided and "the warning is withdrawn" in decided
    with app.writer() as session:
        kinds = session.scalars(select(ListingEvent.kind).join(Mentor, Mentor.id == ListingEvent.mentor_id)
                                .where(Mentor.email == WARNED_EMAIL).order_by(ListingEvent.id)).all()  # fmt: skip
    assert kinds[-2:] == ["warned", "decision_withdrawn"]


def test_a_removal_for_days_ends_by_itself_and_the_mentor_is_back(
    app: AppServer, smtp: tuple[Inbox, int], page: Page
) -> None:
    back = mail_to(smtp[0], BACK_EMAIL, "Your listing is back").get_content()
    assert "/manage-my-listing" in back
    with app.writer() as session:
        mentor = session.scalars(select(Mentor).where(Mentor.email == BACK_EMAIL)).one()
        assert (mentor.status, mentor.removed_until) == ("listed", None)
    open_app(page, app.url("/"))
    search_directory(page, BACK)
    assert card_names(page) == [BACK]
