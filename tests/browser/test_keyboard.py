"""Without a mouse and without sight: journeys made with the keyboard alone, what focus does after
a submit, how fields and errors are tied together, and what a screen reader hears of the
directory (WCAG 2.2: 2.4.3, 2.4.4, 3.3.1, 4.1.2, 4.1.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Mentor, Report
from models.base import utcnow
from services.accounts import auth
from tests.browser.keyboard import (
    attribute_writes_over,
    choose_by_keyboard,
    described_by,
    focus_from_top,
    focused_inside,
    invalid_and_described,
    named,
    press_button,
    tab_until,
    type_into,
)
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    AGREEMENT,
    SIGNATURE,
    assert_no_exception,
    open_app,
    past_first_visit,
    save_screenshot,
    wait_for_app_run,
)
from tests.conftest import NOW
from tests.factories import make_mentor, sign_up

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Seeded:
    credential: str
    names: tuple[str, ...]


def seed(session: Session) -> Seeded:
    names = ("Ines Keyboard", "Omar Tabstop", "Pia Screenreader")
    for number in range(20):  # enough for a second page of results
        make_mentor(session, full_name=f"Filler Mentor{number}", listed_at=NOW - timedelta(days=30))
    for name in names[1:]:
        make_mentor(session, full_name=name)
    mine = sign_up(session, full_name=names[0], email="ines@example.org")
    auth.add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
    return Seeded(mine.credential, names)


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer, browser: Browser) -> AppServer:
    return past_first_visit(module_app_server_factory(seed=seed), browser)


def submit_and_wait(page: Page, button: str) -> None:
    press_button(page, button)
    wait_for_app_run(page)
    assert_no_exception(page)


def test_a_sign_up_by_keyboard_alone_with_a_failed_submit_first(app: AppServer, page: Page) -> None:
    open_app(page, app.url("/become-a-mentor"))
    focus_from_top(page)
    submit_and_wait(page, "Sign and send me the link")
    # Focus is on the one summary at the top of the form, not left on the button below.
    expect(page.locator(".st-key-wan_summary_signup")).to_be_focused()
    for label, message in (("Full name", "Please enter your full name."),
                           ("Disciplines", "Please pick at least one discipline."),
                           (SIGNATURE, "Please type your full name to sign.")):  # fmt: skip
        invalid, described = invalid_and_described(page, label, message)
        assert invalid == "true" and message in described, (label, invalid, described)
    # The page's script has settled: it does not keep rewriting what it set (a busy page).
    assert attribute_writes_over(page, 1_500) < 5
    save_screenshot(page, "keyboard/sign-up-failed-submit")
    # From the summary, its first link leads to the first field to fix.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Full name", exact=True)).to_be_focused()
    page.keyboard.type("Kay Board")
    type_into(page, "Job title or headline", "Art Director")
    choose_by_keyboard(page, "Seniority", "Senior")
    choose_by_keyboard(page, "Disciplines", multi=True, option="Art direction")
    choose_by_keyboard(page, "Country", "Portugal")
    choose_by_keyboard(page, "Languages you can mentor in", multi=True, option="Portuguese")
    choose_by_keyboard(page, "What you offer mentees", multi=True, option="Portfolio")
    type_into(page, "LinkedIn profile address", "linkedin.com/in/kay-board")
    type_into(page, "Email (never shown publicly)", "kay@example.org")
    tab_until(page, named(AGREEMENT), max_tabs=20)
    page.keyboard.press("Space")
    type_into(page, SIGNATURE, "Kay Board", max_tabs=5)
    submit_and_wait(page, "Sign and send me the link")
    # Focus moves to the confirmation, which names what happened.
    expect(page.locator(".st-key-signup_done")).to_be_focused()
    expect(page.locator(".st-key-signup_done")).to_contain_text("Check your inbox")
    save_screenshot(page, "keyboard/sign-up-done")
    with app.writer() as session:  # listed once the mailed link is confirmed
        assert session.scalar(select(Mentor.status).where(Mentor.full_name == "Kay Board")) == "unconfirmed"


def test_a_report_by_keyboard_alone_with_a_failed_submit_first(app: AppServer, page: Page) -> None:
    open_app(page, app.url("/report"))
    focus_from_top(page)
    submit_and_wait(page, "Send report")
    expect(page.locator(".st-key-wan_summary_report")).to_be_focused()
    invalid, described = invalid_and_described(page, "What happened", "Please tell us what happened.")
    assert invalid == "true" and "Please tell us what happened." in described
    invalid, described = invalid_and_described(page, "What part of the Code of Conduct was broken?",
                                               "Please choose what part")  # fmt: skip
    assert invalid == "true" and "Please choose what part" in described
    type_into(page, "Search for the mentor", "omar")
    page.keyboard.press("Enter")
    wait_for_app_run(page)
    choose_by_keyboard(page, "Mentor", "Omar Tabstop", max_tabs=10)
    tab_until(page, lambda stop: stop.role == "radio", max_tabs=20)
    page.keyboard.press("Space")  # the first part of the Code: demeaning or harassing behaviour
    type_into(page, "What happened", "He mocked my portfolio in front of others.")
    tab_until(page, lambda stop: stop.role == "radio", max_tabs=20)
    page.keyboard.press("Space")  # I was the mentee
    submit_and_wait(page, "Send report")
    expect(page.locator(".st-key-report_sent")).to_be_focused()
    expect(page.locator(".st-key-report_sent")).to_contain_text(re.compile(r"WAN-[A-Z2-9]{4}-[A-Z2-9]{4}"))
    with app.writer() as session:
        assert session.scalar(select(Report.description)) == "He mocked my portfolio in front of others."


def test_opening_a_listing_with_the_code_by_keyboard(app: AppServer, page: Page) -> None:
    open_app(page, app.url("/manage-my-listing"))
    focus_from_top(page)
    type_into(page, "Your private code", "wan-not-the-code")
    page.keyboard.press("Enter")  # submits the form
    wait_for_app_run(page)
    expect(page.locator(".st-key-wan_summary_open")).to_be_focused()
    invalid, described = invalid_and_described(page, "Your private code", "That code didn't open")
    assert invalid == "true" and "That code didn't open a listing." in described
    assert "It starts with wan-." in described  # the hint is tied to the field too
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link leads back to the field
    expect(page.get_by_label("Your private code", exact=True)).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(app.seeded.credential)
    page.keyboard.press("Enter")
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_text("Your listing is live", exact=False)).to_be_visible()


def test_a_moderator_signs_in_by_keyboard_after_a_wrong_password(app: AppServer, page: Page) -> None:
    page.goto(app.url("/sign-in", next="/moderation-queue"))  # the server's own form
    focus_from_top(page)
    type_into(page, "Username", "alice")
    type_into(page, "Password", "not the password", max_tabs=3)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    # The answer is a new page: the focus starts on what to fix, at the top.
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("That username and password don't match.")
    assert described_by(page, "#password") == "That username and password don't match."
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#username")).to_have_value("alice")  # kept; the password is not
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link leads to the field
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(app.url("/moderation-queue"))
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Report queue", level=1)).to_be_visible()


def test_the_directory_as_a_screen_reader_hears_it(app: AppServer, page: Page) -> None:
    open_app(page, app.url("/"))
    main = page.get_by_test_id("stMain")
    # The result count is a polite live region: filtering and paging are announced.
    status = main.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^\d+ mentors? match"))
    expect(status).to_have_attribute("aria-live", "polite")
    # The cards are one list; each item is named by its mentor; each link says whose it is.
    items = main.get_by_role("list").filter(has=page.locator("[class*='st-key-mentor_card_']"))
    expect(items.get_by_role("listitem")).not_to_have_count(0)
    links = main.get_by_role("link", name=re.compile("LinkedIn"))
    names = [link.get_attribute("aria-label") or link.inner_text() for link in links.all()]
    assert names and all(re.fullmatch(r"Reach out to .+ on LinkedIn \(opens in a new tab\)", n) for n in names)
    for name in app.seeded.names:
        expect(page.get_by_role("listitem", name=name)).to_have_count(1)
        expect(page.get_by_role("link", name=f"Reach out to {name} on LinkedIn (opens in a new tab)")).to_have_count(1)
    assert main.get_by_role("heading", level=3).count() == items.get_by_role("listitem").count()


def test_on_a_phone_the_folded_menu_is_out_of_the_tab_order(app: AppServer, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, app.url("/"))
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(sidebar).to_have_attribute("inert", "")
    focus_from_top(page)
    stops = [page.keyboard.press("Tab") or page.evaluate("() => document.activeElement.closest('[data-testid=stSidebar]') !== null") for _ in range(8)]
    assert not any(stops), "a link of the folded menu took the focus"
    # Opened, the menu is reachable again.
    page.locator("[data-testid=stExpandSidebarButton], [data-testid=stSidebarCollapsedControl] button").first.click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    expect(sidebar).not_to_have_attribute("inert", "")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Code of Conduct").focus()
    assert focused_inside(page, "[data-testid=stSidebar]")


def test_after_next_page_reading_starts_again_at_the_results(app: AppServer, page: Page) -> None:
    open_app(page, app.url("/"))
    status = page.get_by_test_id("stMain").get_by_role("status")
    expect(status).to_have_text(re.compile(r"^2\d mentors match"))
    focus_from_top(page)
    tab_until(page, lambda stop: stop.name.startswith("Next") or stop.name == "2", max_tabs=120)
    page.keyboard.press("Enter")
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.locator(".st-key-directory_top")).to_be_focused()
    expect(page.get_by_role("listitem")).not_to_have_count(0)
