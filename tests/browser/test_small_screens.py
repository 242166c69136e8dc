"""The directory on a phone and at 400% zoom, and the menu on a phone, in a real browser.

Screenshots go to test-artifacts/small-screens/ (looked at by a person: the numbers below say
where things are, the pictures say whether it reads well).
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.keyboard import DESCRIBE_FOCUS, focused_inside
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    assert_no_exception,
    choose_option,
    open_app,
    past_first_visit,
    save_screenshot,
    wait_for_app_run,
)
from tests.browser.test_directory_journey import BRAND, LISTED, seed_directory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ZOOM_400 = {"width": 320, "height": 256}  # 1280 x 1024 at 400%
SHOTS = "small-screens"

TOP_OF = """(selector) => {
    const element = document.querySelector(selector);
    return element ? element.getBoundingClientRect().top : null;
}"""

# Where the focused control's visible box is, against the bottom of Streamlit's header.
UNDER_HEADER = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || !el.closest('[data-testid=stMain]')
        || el.matches('[data-testid=stMain]')) return null;
    const box = (el.closest('[data-testid=stTextInputRootElement], [data-testid=stTextAreaRootElement],'
        + ' .react-aria-ComboBox > [role=group], [data-testid=stCheckbox] label,'
        + ' [data-testid=stRadioOption]') || el).getBoundingClientRect();
    if (box.height > 200) return null;  // a region taller than the window (a whole form)
    const header = document.querySelector('[data-testid=stHeader]').getBoundingClientRect().bottom;
    return {top: box.top, bottom: box.bottom, header};
}"""


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer, browser: Browser) -> AppServer:
    return past_first_visit(module_app_server_factory(seed=seed_directory), browser)


def filters(page: Page) -> tuple[str, bool]:
    """The filters' heading as shown, and whether they are open (their fields reachable)."""
    expander = page.locator(".st-key-directory_filters")
    label = expander.locator("summary").inner_text().split("\n")[-1].strip()
    details = expander.get_by_test_id("stExpanderDetails")
    return label, details.get_attribute("inert") is None and details.is_visible()


def test_on_a_phone_the_count_and_the_first_mentor_show_on_the_first_screen(
    app: AppServer, page: Page
) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, app.url("/"))
    assert_no_exception(page)
    expect(page.get_by_text(f"{len(LISTED)} mentors match.", exact=True)).to_be_visible()
    expect(page.locator(".st-key-directory_filters [data-testid=stExpanderDetails]")).to_have_attribute("inert", "")
    assert filters(page) == ("Filters", False)
    name = "[class*='st-key-mentor_card_'] h3"
    with contextlib.suppress(PlaywrightTimeoutError):  # the folding is animated
        page.wait_for_function(f"() => ({TOP_OF})({name!r}) < {PHONE['height'] - 40}", timeout=3_000)
    count_top, card_top = page.evaluate(TOP_OF, ".st-key-directory_count"), page.evaluate(TOP_OF, name)
    assert card_top + 40 < PHONE["height"], f"the first mentor's name starts at {card_top:.0f} px"
    assert count_top < card_top
    assert page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"
    save_screenshot(page, f"{SHOTS}/directory-phone-first-screen")
    page.screenshot(path=f"test-artifacts/{SHOTS}/directory-phone-viewport.png")

    # One tap (here: Tab to the heading, Enter) opens the filters; a choice keeps them open and
    # goes into the URL; the heading says how many are chosen.
    summary = page.locator(".st-key-directory_filters summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("combobox", name="Discipline", exact=True)).to_be_visible()
    choose_option(page, "Discipline", "Brand marketing")
    expect(page.get_by_text(f"{len(BRAND)} mentors match.", exact=True)).to_be_visible()
    assert filters(page) == ("Filters · 1 chosen", True)
    assert parse_qs(urlsplit(page.url).query) == {"discipline": ["Brand marketing"]}
    save_screenshot(page, f"{SHOTS}/directory-phone-filters-open")

    # A shared link opens folded too, and still says what is chosen.
    page.reload()
    wait_for_app_run(page)
    expect(page.get_by_text(f"{len(BRAND)} mentors match.", exact=True)).to_be_visible()
    expect(page.locator(".st-key-directory_filters summary")).to_contain_text("Filters · 1 chosen")
    expect(page.locator(".st-key-directory_filters [data-testid=stExpanderDetails]")).to_have_attribute("inert", "")


def test_on_a_wide_screen_the_filters_show_without_a_click(app: AppServer, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    open_app(page, app.url("/"))
    for label in ("Discipline", "Seniority", "What they offer", "Country", "City", "Language", "Sort by"):
        expect(page.get_by_role("combobox", name=label, exact=True)).to_be_visible()
    expect(page.get_by_label("Only mentors open to new mentees", exact=True)).to_be_visible()
    assert filters(page) == ("Filters", True)
    save_screenshot(page, f"{SHOTS}/directory-desktop")


def test_on_a_phone_the_menu_takes_the_focus_and_is_closed_again_after_a_reload(
    app: AppServer, page: Page
) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, app.url("/"))
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    page.get_by_test_id("stExpandSidebarButton").focus()
    page.keyboard.press("Enter")
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function("() => document.activeElement.closest('[data-testid=stSidebar]') !== null", timeout=3_000)
    assert focused_inside(page, "[data-testid=stSidebar]"), page.evaluate(DESCRIBE_FOCUS)
    save_screenshot(page, f"{SHOTS}/menu-open-phone")
    stops = []
    for _ in range(3):  # Tab walks the menu's links, not the page behind it
        page.keyboard.press("Tab")
        stops.append(page.evaluate(DESCRIBE_FOCUS)["name"])
        assert focused_inside(page, "[data-testid=stSidebar]"), stops
    assert "Become a mentor" in stops
    expect(page.get_by_test_id("stMain")).to_have_attribute("inert", "")  # covered by the menu
    # Closed with its own button, focus goes back to the button that opens it.
    page.get_by_test_id("stSidebarCollapseButton").locator("button").focus()
    page.keyboard.press("Enter")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(page.get_by_test_id("stExpandSidebarButton")).to_be_focused()
    expect(page.get_by_test_id("stMain")).not_to_have_attribute("inert", "")
    page.keyboard.press("Enter")
    expect(sidebar).to_have_attribute("data-collapsed", "false")

    # Streamlit remembers an opened menu (localStorage) and reopens it: not on a phone.
    page.reload()
    wait_for_app_run(page)
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    page.wait_for_timeout(500)  # nothing opens it again a moment later
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(page.get_by_text(f"{len(LISTED)} mentors match.", exact=True)).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/become-a-mentor", "/report"])
def test_at_400_percent_zoom_shift_tab_never_leaves_a_field_under_the_header(
    app: AppServer, page: Page, path: str
) -> None:
    page.set_viewport_size(ZOOM_400)
    open_app(page, app.url(path))
    assert_no_exception(page)
    for _ in range(80):  # to the end of the page
        page.keyboard.press("Tab")
    hidden: list[str] = []
    for _ in range(60):
        page.keyboard.press("Shift+Tab")
        page.wait_for_timeout(50)  # the scroll that follows the focus
        where = page.evaluate(UNDER_HEADER)
        if where and where["top"] < where["header"]:
            hidden.append(f"{page.evaluate(DESCRIBE_FOCUS)}: {where}")
    assert not hidden, "covered by the header:\n" + "\n".join(hidden)
    name = re.sub(r"\W+", "-", path).strip("-") or "directory"
    page.screenshot(path=f"test-artifacts/{SHOTS}/zoom-400-{name}.png")
