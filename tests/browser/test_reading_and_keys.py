"""What a screen reader hears, what wider text spacing does and what keys do, in a real browser:
icons are not read out by name, a checkbox's label wraps instead of being cut, the private
code's copy button is there to see and to Tab to, and Escape in a select box keeps the choice.

Screenshots go to test-artifacts/reading-and-keys/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    choose_option,
    open_app,
    past_first_visit,
    save_screenshot,
    wait_for_app_run,
)
from tests.browser.test_directory_journey import LISTED, seed_directory

pytestmark = pytest.mark.browser

SHOTS = "reading-and-keys"
# WCAG 2.2 1.4.12 Text Spacing: what a person's own style sheet may set.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer, browser: Browser) -> AppServer:
    return past_first_visit(module_app_server_factory(seed=seed_directory), browser)


def test_icons_are_not_read_out_by_their_names(app: AppServer, page: Page) -> None:
    open_app(page, app.url("/"))
    card = page.get_by_role("listitem").first
    expect(card.get_by_role("link")).to_have_count(1)
    expect(card.get_by_role("img")).to_have_count(0)  # was: img "open_in_new icon"
    assert "icon" not in card.aria_snapshot()

    open_app(page, app.url("/become-a-mentor"))
    page.get_by_role("button", name="Sign and send me the link").click()
    wait_for_app_run(page)
    summary = page.locator(".st-key-wan_summary_signup")
    expect(summary).to_contain_text("Please fix")
    main = page.get_by_test_id("stMain").aria_snapshot()
    assert "error icon" not in main and "img" not in main, main


def test_with_wider_text_spacing_the_open_mentors_checkbox_wraps(app: AppServer, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app.url("/"))
    page.add_style_tag(content=TEXT_SPACING)
    label = page.locator(".st-key-open [data-testid=stMarkdownContainer]")
    expect(label).to_be_visible()
    page.wait_for_timeout(200)  # the new spacing laid out
    cut = label.evaluate("e => e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight")
    assert not cut, "the label is cut"
    assert label.evaluate("e => e.getBoundingClientRect().height") > 30  # on two lines
    page.locator(".st-key-open").screenshot(path=f"test-artifacts/{SHOTS}/open-checkbox-text-spacing.png")


def test_escape_in_a_select_box_keeps_the_choice(app: AppServer, page: Page) -> None:
    open_app(page, app.url("/"))
    choose_option(page, "Country", "France")
    count = page.locator(".st-key-directory_count")
    french = count.inner_text()  # (another test here may have listed one more)
    assert french.endswith("mentors match.") and french != f"{len(LISTED)} mentors match."
    country = page.get_by_role("combobox", name="Country", exact=True)

    country.focus()
    page.keyboard.press("Escape")  # on a closed list: nothing happens
    wait_for_app_run(page)
    expect(country).to_have_value("France")

    page.keyboard.press("ArrowDown")  # the list opens
    expect(page.get_by_role("listbox", name="Country")).to_be_visible()
    page.keyboard.press("Escape")  # it closes; the choice stays, and so does the focus
    expect(page.get_by_role("listbox", name="Country")).to_be_hidden()
    wait_for_app_run(page)
    expect(country).to_have_value("France")
    expect(country).to_be_focused()
    expect(count).to_have_text(french)
    save_screenshot(page, f"{SHOTS}/escape-keeps-country")
