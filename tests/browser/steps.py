"""Page helpers and journey steps for the browser tests, done as a person does them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from models.db import PROJECT_ROOT
from tests.browser.servers import AppServer

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
RUN_TIMEOUT_MS = 20_000

expect.set_options(timeout=10_000)


def wait_for_app_run(page: Page, *, delay_ms: int = 150, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait for the rerun a navigation or interaction started, as Streamlit's own e2e suite does.

    The short delay lets the rerun begin before we wait for the app to be idle again.
    """
    page.wait_for_timeout(delay_ms)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
        state="attached",
        timeout=timeout_ms,
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=timeout_ms,
    )


def open_app(page: Page, url: str) -> None:
    """Go to `url` and wait until the script's first run has finished."""
    page.goto(url)
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
    wait_for_app_run(page)


def assert_no_exception(page: Page) -> None:
    """The page shows no Streamlit exception box (call it after `wait_for_app_run`)."""
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, "the app shows an exception:\n" + "\n---\n".join(
        exceptions.all_inner_texts()
    )


@contextlib.contextmanager
def whole_page_in_view(page: Page, *, max_height: int = 8000) -> Iterator[None]:
    """Stretch the window to the content's height, then restore it.

    Streamlit scrolls inside `stMain`, not the document: screenshots stop at the viewport, and
    axe-core skips the colour contrast of text scrolled out of view. Inside this block the whole
    page is on screen at once.
    """
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(document.documentElement.scrollHeight,"
        " ...[...document.querySelectorAll('[data-testid=stMain]')].map(e => e.scrollHeight))"
    )
    stretch = size is not None and height > size["height"]
    if stretch:
        page.set_viewport_size({"width": size["width"], "height": min(height, max_height)})
        page.wait_for_timeout(200)  # let the layout settle at the new size
    try:
        yield
    finally:
        if stretch and size is not None:
            page.set_viewport_size(size)


def save_screenshot(
    page: Page, name: str, *, max_height: int = 8000, park_mouse: bool = True
) -> Path:
    """Save the whole page as test-artifacts/<name>.png and return the path.

    Streamlit scrolls inside `stMain`, not the document, so `full_page` alone would stop at the
    viewport: the viewport is stretched to the content's height for the shot, then restored.
    The mouse is first moved to the top-left corner, so no hover effect shows (`park_mouse`).
    """
    path = ARTIFACTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    if park_mouse:
        page.mouse.move(0, 0)
    with whole_page_in_view(page, max_height=max_height):
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def write_artifact(name: str, text: str) -> Path:
    """Save `text` as test-artifacts/<name> (findings a person can read after the run)."""
    path = ARTIFACTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# --- Shared journey steps -------------------------------------------------------------------------

# The Code of Conduct's two signing lines, which label the agreement box and the signature field.
AGREEMENT = "I have read the Code of Conduct and agree to follow it."
SIGNATURE = "Type your full name to sign"


def choose_option(page: Page, label: str, option: str) -> None:
    """Open the select box or multiselect labelled `label` and pick `option`, as a person would.

    Works inside and outside forms; in a long list the option's name is typed to find it. The
    choice is checked in the field afterwards (the value of a select box, a tag of a multiselect)
    and made again if it did not take: a click that lands while Streamlit re-renders (right after
    a page switch, or while it blurs a field Playwright filled a millisecond before) can be
    swallowed, which a person pausing between fields never sees. A multiselect keeps its list
    open after a choice: Escape closes it. Escape is never pressed on a single select box: on a
    closed one it clears the choice (react-aria ComboBox).
    """
    combobox = page.get_by_role("combobox", name=label, exact=True)
    options = page.get_by_role("listbox", name=label)
    widget = page.locator("[data-testid='stSelectbox'], [data-testid='stMultiSelect']").filter(
        has=combobox
    )
    multiple = widget.get_attribute("data-testid") == "stMultiSelect"
    tag = widget.locator("[data-tag]").get_by_title(option, exact=True)
    for _attempt in range(4):
        combobox.click()
        try:
            options.wait_for(state="visible", timeout=1_000)
        except PlaywrightTimeoutError:
            continue
        choice = options.get_by_role("option", name=option, exact=True)
        if choice.count() == 0:  # a long list only draws what fits: type to narrow it down
            combobox.fill("")  # what an earlier attempt typed would make the name no option's
            combobox.press_sequentially(option)
            # The list filters as each letter arrives: a click aimed while it still moves can
            # land on a neighbour (seen under load: "Brazil" chosen for "France").
            try:
                choice.wait_for(state="visible", timeout=2_000)
            except PlaywrightTimeoutError:
                if multiple:
                    page.keyboard.press("Escape")
                continue
            page.wait_for_timeout(250)
        try:  # under load the list can be redrawn under the pointer: try again, not wait it out
            if choice.get_attribute("aria-selected", timeout=3_000) != "true":
                choice.click(timeout=5_000)
        except PlaywrightTimeoutError:
            if multiple:  # close the list; a single select box keeps its list (Escape clears it)
                page.keyboard.press("Escape")
            continue
        wait_for_app_run(page)
        if multiple and options.is_visible():
            page.keyboard.press("Escape")
            expect(options).to_be_hidden()
        try:
            if multiple:
                expect(tag).to_have_count(1, timeout=2_000)
            else:
                expect(combobox).to_have_value(option, timeout=2_000)
        except AssertionError:
            continue
        return
    raise AssertionError(f"could not choose {option!r} in {label!r} after 4 tries")


def past_first_visit(server: AppServer, browser: Browser) -> AppServer:
    """The server, once some session has run dashboard.py (a warmed-up server).

    Under plain `streamlit run` a fresh server's first request to a deep link showed "Page not
    found" (the `pages/` trap, docs/ARCHITECTURE.md). The test servers run `python -m
    commands.start`, which closes that window (test_moderation_gate.py checks it); journeys that
    don't test a first visit may still start after one.
    """
    context = browser.new_context()
    try:
        open_app(context.new_page(), server.url("/"))
    finally:
        context.close()
    return server


class Site(Protocol):
    """A server or the proxy in front of several: anything that makes this site's addresses."""

    def url(self, path: str = "/") -> str: ...


def sign_in(page: Page, site: Site, username: str, password: str, *,
            next_path: str = "/moderation-queue", code: Callable[[], str] | None = None) -> None:  # fmt: skip
    """Sign in at the server's form (/sign-in), as a moderator does, and wait for the console page
    it leads to (`next_path`). `code` gives the second factor's code when the form asks for one."""
    page.goto(site.url("/sign-in") + "?" + urlencode({"next": next_path}))
    fill_sign_in_form(page, username, password)
    if code is not None:
        expect(page.get_by_role("heading", name="Second factor", level=1)).to_be_visible()
        page.locator("#code").fill(code())
        page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
    wait_for_app_run(page)
    assert_no_exception(page)


def fill_sign_in_form(page: Page, username: str, password: str) -> None:
    """On the server's sign-in page: type the username and password, press Sign in."""
    expect(page.get_by_role("heading", name="Moderator sign-in", level=1)).to_be_visible()
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def card_names(page: Page) -> list[str]:
    """The names on the mentor cards shown (the heading of each card), sorted."""
    headings = page.get_by_test_id("stMain").locator("[class*='st-key-mentor_card_'] h3")
    names = [h.inner_text().replace("\u2060", "").split(" (")[0].strip() for h in headings.all()]
    return sorted(names)


def search_directory(page: Page, text: str) -> None:
    """Type into the directory's search box and press Enter; wait for the results."""
    box = page.get_by_label("Search by name, role, company, place, discipline, language or topic", exact=True)
    box.fill(text)
    box.press("Enter")
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(box).to_have_value(text)


def go_to(page: Page, title: str) -> None:
    """Follow the sidebar menu to the page called `title` (same session, as a person would)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    wait_for_app_run(page)
    assert_no_exception(page)


def tick(page: Page, label: str) -> None:
    """Tick the checkbox labelled `label` by clicking its label, as a person would.

    (Streamlit draws its own box over the real input, so the input itself can't be clicked.)
    """
    box = page.get_by_role("checkbox", name=label, exact=True)
    if not box.is_checked():
        page.get_by_test_id("stCheckbox").filter(has=box).locator("label").click()
    expect(box).to_be_checked()


def fill_sign_up_form(
    page: Page, *, name: str, email: str, linkedin: str, typed_name: str | None = None
) -> None:
    """Fill every required field of Become a mentor's form and sign it, as a person would.

    `typed_name` is what goes into the signature field (the full name unless given).
    """
    page.get_by_label("Full name", exact=True).fill(name)
    page.get_by_label("Job title or headline", exact=True).fill("Senior Copywriter")
    choose_option(page, "Seniority", "Senior")
    choose_option(page, "Disciplines", "Creative / copywriting")
    choose_option(page, "Disciplines", "Brand marketing")
    choose_option(page, "Country", "France")
    choose_option(page, "Languages you can mentor in", "French")
    choose_option(page, "What you offer mentees", "Portfolio / book reviews")
    page.get_by_label("LinkedIn profile address", exact=True).fill(linkedin)
    page.get_by_label("Email (never shown publicly)", exact=True).fill(email)
    tick(page, AGREEMENT)
    page.get_by_label(SIGNATURE, exact=True).fill(name if typed_name is None else typed_name)
