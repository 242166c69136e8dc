"""The server's own forms (sign-in, second factor, sign-out, enrolment) for everyone: axe-core
finds nothing serious on any of them, the keyboard alone gets a moderator in after a wrong code,
and the sign-in fits a phone as well as a desktop (screenshots under test-artifacts/sign-in/).
"""

from __future__ import annotations

from collections.abc import Callable

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from models.base import utcnow
from services.accounts import auth, second_factor
from tests.browser.keyboard import described_by, focus_from_top, type_into
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    assert_no_exception,
    fill_sign_in_form,
    save_screenshot,
    wait_for_app_run,
)
from tests.browser.test_accessibility import _severity, axe_scan

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
WITH_APP = ("axel", "kai")  # each signs in once with a code
WITHOUT_APP = "nadia"  # signs in with her password alone, then may set up a second factor


def seed(session: Session) -> dict[str, str]:
    secrets = {}
    for name in (*WITH_APP, WITHOUT_APP):
        moderator = auth.add_moderator(session, username=name, password=PASSWORD, now=utcnow())
        if name in WITH_APP:
            secrets[name] = pyotp.random_base32()
            second_factor.enrol(session, moderator_id=moderator.id, secret=secrets[name], now=utcnow())
    return secrets


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer) -> AppServer:
    return module_app_server_factory(seed=seed, env={"REQUIRE_SECOND_FACTOR": "1"})


def sign_in_form(page: Page, app: AppServer) -> None:
    page.goto(app.url("/sign-in", next="/moderation-queue"))
    expect(page.get_by_role("heading", name="Moderator sign-in", level=1)).to_be_visible()


def failed_sign_in(page: Page, app: AppServer) -> None:
    sign_in_form(page, app)
    fill_sign_in_form(page, WITHOUT_APP, "not the password")
    expect(page.locator("#error-summary")).to_be_focused()


def code_form(page: Page, app: AppServer) -> None:
    sign_in_form(page, app)
    fill_sign_in_form(page, "axel", PASSWORD)
    expect(page.get_by_role("heading", name="Second factor", level=1)).to_be_visible()


def wrong_code(secret: str) -> str:
    """Six digits that no code of the last, this or the next half-minute matches."""
    totp, now = pyotp.TOTP(secret), utcnow().timestamp()
    near = {totp.at(now + shift) for shift in (-60, -30, 0, 30, 60)}
    return next(code for code in ("000000", "123456", "999999", "424242") if code not in near)


def code_form_wrong_code(page: Page, app: AppServer) -> None:
    code_form(page, app)
    page.locator("#code").fill(wrong_code(app.seeded["axel"]))
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator("#error-summary")).to_be_focused()


def signed_in_without_app(page: Page, app: AppServer) -> None:
    sign_in_form(page, app)
    fill_sign_in_form(page, WITHOUT_APP, PASSWORD)
    page.wait_for_url(app.url("/moderation-queue"))  # where she is asked to set one up
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Set up your second factor", level=1)).to_be_visible()


def sign_out_page(page: Page, app: AppServer) -> None:
    signed_in_without_app(page, app)
    page.goto(app.url("/sign-out"))
    expect(page.get_by_role("button", name="Sign out everywhere")).to_be_visible()


def sign_out_page_signed_out(page: Page, app: AppServer) -> None:
    page.goto(app.url("/sign-out"))
    expect(page.get_by_text("You are not signed in.")).to_be_visible()


def enrolment(page: Page, app: AppServer) -> None:
    signed_in_without_app(page, app)
    page.goto(app.url("/account/second-factor"))
    expect(page.get_by_role("heading", name="Set up your second factor", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="QR code of your new authenticator secret")).to_be_visible()


STATES: dict[str, Callable[[Page, AppServer], None]] = {
    "sign-in": sign_in_form,
    "sign-in-failed": failed_sign_in,
    "sign-in-code": code_form,
    "sign-in-code-wrong": code_form_wrong_code,
    "sign-out": sign_out_page,
    "sign-out-signed-out": sign_out_page_signed_out,
    "second-factor-enrolment": enrolment,
}


@pytest.mark.parametrize("state", list(STATES))
def test_no_serious_axe_violations_on_the_servers_forms(app: AppServer, page: Page, state: str) -> None:
    STATES[state](page, app)
    violations, review = axe_scan(page, state)
    failing = [f for f in violations if f.fails]
    assert not failing, (
        f"{len(failing)} serious/critical violation node(s) on '{state}' (report: "
        f"test-artifacts/accessibility/{state}.txt):\n"
        + "\n".join(f.describe() for f in sorted(violations, key=_severity))
    )


def test_the_keyboard_alone_signs_in_with_a_second_factor_after_one_wrong_code(
    app: AppServer, page: Page
) -> None:
    page.goto(app.url("/moderation-audit"))  # a bookmark: the server asks for the sign-in first
    expect(page.get_by_role("heading", name="Moderator sign-in", level=1)).to_be_visible()
    focus_from_top(page)
    type_into(page, "Username", "kai")
    type_into(page, "Password", PASSWORD, max_tabs=3)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Second factor", level=1)).to_be_visible()
    focus_from_top(page)
    type_into(page, "Code", wrong_code(app.seeded["kai"]), max_tabs=10)
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(second_factor.WRONG_CODE)
    # The focus is on what to fix, at the top; the field says what is wrong with it too.
    expect(summary).to_be_focused()
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    assert second_factor.WRONG_CODE in described_by(page, "#code")
    save_screenshot(page, "sign-in/code-form-wrong-code")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link leads to the field
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(pyotp.TOTP(app.seeded["kai"]).now())
    page.keyboard.press("Enter")
    page.wait_for_url(app.url("/moderation-audit"))  # on to the page the bookmark asked for
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()


@pytest.mark.parametrize(("name", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)])
def test_the_sign_in_form_fits_the_screen(
    app: AppServer, page: Page, name: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    sign_in_form(page, app)
    save_screenshot(page, f"sign-in/sign-in-{name}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scroll
    for field in ("#username", "#password"):
        box = page.locator(field).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["height"] >= 24  # a target a thumb can hit (WCAG 2.5.8)
    button = page.get_by_role("button", name="Sign in", exact=True).bounding_box()
    assert button is not None and button["y"] + button["height"] <= height  # no scrolling to it
