"""A new mentor signs, sees the confirmation, finds themself in the directory, pauses with the
credential, and is gone from the directory; re-submits and is back. In a real browser."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from models.db import PROJECT_ROOT
from services.listings.code_of_conduct import current_code
from tests.browser.mailbox import (
    confirm_from_mail,
    link_in,
    see_check_your_inbox,
    wait_for_mail,
)
from tests.browser.servers import (
    AppServer,
    StartServer,
    _wait_until_healthy,
    free_port,
    stop_process,
)
from tests.browser.steps import (
    AGREEMENT,
    SIGNATURE,
    assert_no_exception,
    card_names,
    fill_sign_up_form,
    go_to,
    open_app,
    save_screenshot,
    search_directory,
    tick,
    wait_for_app_run,
)

pytestmark = pytest.mark.browser

CODE = current_code()
NAME = "Zoë Journeyman"
EMAIL = "zoe.journeyman@example.org"
LINKEDIN = "https://www.linkedin.com/in/zoe-journeyman"
MISMATCH_ERROR = "The name you typed doesn't match the full name in your profile."


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer) -> AppServer:
    """One server for the module: both tests start on an empty directory of their own names."""
    return module_app_server_factory()


def open_sign_up_form(app: AppServer, page: Page) -> None:
    """Arrive on the directory, as most people do, and follow the menu to Become a mentor.

    (Not a deep link: the test servers run plain `streamlit run`, where the first deep link a
    fresh server gets opens a "Page not found" dialog over the form; the start command avoids it,
    see test_a_first_visit_straight_to_the_sign_up_form_shows_no_error_dialog.)
    """
    open_app(page, app.url("/"))
    go_to(page, "Become a mentor")
    expect(page.get_by_role("heading", name="Become a mentor", level=1)).to_be_visible()


def submit(page: Page) -> None:
    page.get_by_role("button", name="Sign and send me the link").click()
    wait_for_app_run(page)
    assert_no_exception(page)


def test_the_code_labels_are_the_ones_this_journey_types() -> None:
    # The journey looks fields up by the Code's own signing lines: fail here, clearly, if they move.
    assert (CODE.agreement_label, CODE.signature_label) == (AGREEMENT, SIGNATURE)


def test_a_new_mentor_signs_pauses_and_comes_back(app: AppServer, page: Page) -> None:
    open_sign_up_form(app, page)
    fill_sign_up_form(page, name=NAME, email=EMAIL, linkedin=LINKEDIN)
    submit(page)

    see_check_your_inbox(page)
    expect(page.get_by_test_id("stCode")).to_have_count(0)  # no code before the confirmation
    save_screenshot(page, "signing-check-your-inbox")
    open_app(page, app.url("/"))
    search_directory(page, NAME)
    assert card_names(page) == []  # not listed before the address is confirmed

    # The mail's link, and its button: listed, with the private code shown once.
    credential = confirm_from_mail(page, app, EMAIL)
    assert credential.startswith("wan-") and len(credential) > 20, credential
    expect(page.get_by_role("link", name="See yourself in the directory")).to_be_visible()
    save_screenshot(page, "signing-confirmed")

    # The directory lists them now.
    open_app(page, app.url("/"))
    search_directory(page, NAME)
    assert card_names(page) == [NAME]

    # Pause with the private code: gone from the directory.
    open_app(page, app.url("/manage-my-listing"))
    assert_no_exception(page)
    page.get_by_label("Your private code", exact=True).fill(credential)
    page.get_by_role("button", name="Open my listing").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_text("Your listing is live")).to_be_visible()
    page.get_by_role("button", name="Pause my listing").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_text("Paused. You're off the directory until you resume.")).to_be_visible()
    expect(page.get_by_text("Your listing is paused")).to_be_visible()

    open_app(page, app.url("/"))
    search_directory(page, NAME)
    assert card_names(page) == []
    expect(page.get_by_text("No mentors match all of these filters", exact=False)).to_be_visible()

    # Signing up again with the same email: the same answer, and a mail that says the address
    # already has a listing and how to manage it.
    open_sign_up_form(app, page)
    fill_sign_up_form(page, name=NAME, email=EMAIL.upper(), linkedin=LINKEDIN)
    submit(page)
    see_check_your_inbox(page)
    told = wait_for_mail(app, EMAIL.upper(), subject="About your listing")
    manage = link_in(told, "/manage-my-listing")
    save_screenshot(page, "signup-again-check-your-inbox")

    # The owner re-submits from Manage my listing with the code, signing the Code again.
    open_app(page, manage)
    page.get_by_label("Your private code", exact=True).fill(credential)
    page.get_by_role("button", name="Open my listing").click()
    wait_for_app_run(page)
    tick(page, AGREEMENT)
    page.get_by_label(SIGNATURE, exact=True).fill(NAME.upper())
    page.get_by_role("button", name="Resume my listing").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_text("Welcome back: your listing is live again.")).to_be_visible()

    open_app(page, app.url("/"))
    search_directory(page, NAME)
    assert card_names(page) == [NAME]
    expect(page.get_by_text("1 mentor matches.", exact=True)).to_be_visible()


def test_a_mismatching_typed_name_is_explained_under_the_field(app: AppServer, page: Page) -> None:
    name = "Marguerite Mismatch"
    open_sign_up_form(app, page)
    fill_sign_up_form(
        page,
        name=name,
        email="marguerite@example.org",
        linkedin="https://www.linkedin.com/in/marguerite-mismatch",
        typed_name="Marguerite Someone",
    )
    submit(page)

    main = page.get_by_test_id("stMain")
    error = main.locator(".st-key-wan_err_signup_typed_name")
    expect(error).to_contain_text(MISMATCH_ERROR)
    summary = main.locator(".st-key-wan_summary_signup")
    expect(summary).to_contain_text("Please fix one thing.")
    expect(summary).to_be_focused()  # a keyboard user starts at the summary
    signature = page.get_by_label(SIGNATURE, exact=True)
    expect(signature).to_have_attribute("aria-invalid", "true")
    expect(signature).to_have_accessible_description(re.compile(re.escape(MISMATCH_ERROR)))
    # The summary's link leads to the field.
    summary.get_by_role("link", name=SIGNATURE).click()
    expect(signature).to_be_focused()
    # The message sits right under the signature field, above the submit button.
    signature_box = page.get_by_label(SIGNATURE, exact=True).bounding_box()
    error_box = error.bounding_box()
    button_box = page.get_by_role("button", name="Sign and send me the link").bounding_box()
    assert signature_box and error_box and button_box
    assert signature_box["y"] + signature_box["height"] <= error_box["y"] < button_box["y"]

    # Nothing typed was lost.
    expect(page.get_by_label("Full name", exact=True)).to_have_value(name)
    expect(page.get_by_label("Job title or headline", exact=True)).to_have_value(
        "Senior Copywriter"
    )
    expect(page.get_by_role("combobox", name="Seniority")).to_have_value("Senior")
    expect(page.get_by_role("combobox", name="Country")).to_have_value("France")
    expect(page.get_by_label("LinkedIn profile address", exact=True)).to_have_value(
        "https://www.linkedin.com/in/marguerite-mismatch"
    )
    expect(page.get_by_label("Email (never shown publicly)", exact=True)).to_have_value(
        "marguerite@example.org"
    )
    expect(page.get_by_role("checkbox", name=AGREEMENT)).to_be_checked()
    expect(page.get_by_label(SIGNATURE, exact=True)).to_have_value("Marguerite Someone")
    disciplines = main.locator("[data-testid='stMultiSelect']").filter(has_text="Disciplines")
    expect(disciplines).to_contain_text("Creative / copywriting")
    expect(disciplines).to_contain_text("Brand marketing")
    expect(page.get_by_test_id("stCode")).to_have_count(0)  # no private code: nobody listed
    expect(page.get_by_text("Thank you for mentoring", exact=False)).to_have_count(0)
    save_screenshot(page, "signing-name-mismatch")

    # Nobody was listed.
    open_app(page, app.url("/"))
    search_directory(page, name)
    assert card_names(page) == []


@contextlib.contextmanager
def served_by_the_start_command(directory: Path) -> Iterator[str]:
    """The app as deployed: `python -m commands.start` (migrates, then serves in-process with
    Streamlit's legacy pages/ mode switched off) on a free port; yields its base URL."""
    port = free_port()
    log_path = directory / "start.log"
    command = [
        sys.executable, "-m", "commands.start", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{directory / 'app.sqlite3'}",
           "MAIL_DIR": str(directory / "mail")}  # fmt: skip
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        assert _wait_until_healthy(process, port, log_path), log_path.read_text(errors="replace")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def test_a_first_visit_straight_to_the_sign_up_form_shows_no_error_dialog(
    tmp_path: Path, page: Page
) -> None:
    """After a restart, a link to /become-a-mentor is the first request the server gets.

    Served by the start command, the page opens with no "Page not found" dialog over it (which
    would leave the form inert until closed). Plain `streamlit run dashboard.py` still shows that
    dialog: Streamlit's legacy pages/ mode, see docs/ARCHITECTURE.md.
    """
    with served_by_the_start_command(tmp_path) as base_url:
        open_app(page, f"{base_url}/become-a-mentor")
        assert_no_exception(page)
        expect(page.get_by_role("heading", name="Become a mentor", level=1)).to_be_visible()
        page.wait_for_timeout(300)  # the dialog, when it comes, comes just after the first run
        expect(page.get_by_role("dialog")).to_have_count(0)
        name = page.get_by_label("Full name", exact=True)
        name.fill(NAME, timeout=2_000)  # not inert
        expect(name).to_have_value(NAME)
