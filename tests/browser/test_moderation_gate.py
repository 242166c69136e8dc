"""The pages/ trap: the very first request to a fresh server must not show moderation data,
and must not answer "Page not found" for any address the site declares.

Until some session has run dashboard.py, a fresh Streamlit server is in the legacy multipage
mode, where /moderation_queue (the file's name) would run pages/moderation_queue.py on its own,
without the frame and its navigation (see "The `pages/` trap" in docs/ARCHITECTURE.md), and any
other address would say "Page not found". The app's server (`python -m commands.start`, as the
README starts it) switches that mode off, and each moderation page gates itself anyway. Every
case here gets a server of its own and makes its first request to one address: each console
page by its registered URL and by its legacy file name, every page ui/navigation.py declares,
and the server's own routes (sign-in, sign-out, second factor, the mailed links' pages,
robots.txt).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from services.accounts import auth
from services.reports.intake import ReportInput, file_report
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import assert_no_exception, wait_for_app_run
from tests.conftest import NOW
from tests.factories import make_mentor
from ui.navigation import MODERATION_PAGES, PUBLIC_PAGES, SIGN_IN

pytestmark = pytest.mark.browser

MENTOR_EMAIL = "secret-mentor-email@example.org"
REPORT_TEXT = "DISTINCTIVE-REPORT-TEXT"
REPORTER_EMAIL = "reporter-secret@example.org"
MODERATOR = "alice"
PASSWORD = "correct horse battery"
# What only moderators may see: audit-log actions, as the audit log page shows them.
AUDIT_WORDS = ("Signed in", "Report: received", "Moderator account added", "Listing: signed up",
               "login_succeeded", "report.filed", "moderator_added", "listing.signed_up")


@dataclass(frozen=True)
class Secrets:
    reference: str
    mentor_name: str


def seed_moderation_data(session: Session) -> Secrets:
    """A mentor, a report about them, a moderator who has signed in once (so the log has it)."""
    mentor_name = "Gatekept Mentor"
    mentor_id = make_mentor(session, full_name=mentor_name, email=MENTOR_EMAIL)
    receipt = file_report(
        session,
        report=ReportInput(
            mentor_id=mentor_id,
            category="asking_for_payment",
            description=REPORT_TEXT,
            reporter_role="mentee",
            reporter_email=REPORTER_EMAIL,
        ),
        client_key="seed",
        now=NOW - timedelta(hours=2),
    )
    auth.add_moderator(session, username=MODERATOR, password=PASSWORD, now=NOW - timedelta(days=3))
    signed_in = auth.sign_in(
        lambda: nullcontext(session),
        username=MODERATOR,
        password=PASSWORD,
        client_key="seed",
        secret_hashes={},
        now=NOW - timedelta(hours=1),
    )
    assert signed_in is not None
    return Secrets(reference=receipt.reference, mentor_name=mentor_name)


# Every console page (ui.navigation.MODERATION_PAGES) by its registered URL, then by its legacy
# address: the page file's own name, which a fresh server runs directly.
PATHS = [
    *(f"/{spec.url_path}" for spec in MODERATION_PAGES),
    *(f"/{PurePosixPath(spec.path).stem}" for spec in MODERATION_PAGES),
]
# Each console page's title (st.title, a level-1 heading); a console page missing here fails below.
TITLES = {"moderation-queue": "Report queue", "moderation-mentors": "Mentors",
          "moderation-audit": "Audit log", "moderation-trends": "Trends and metrics",
          "moderation-mail": "Mail", "moderation-jobs": "Scheduled jobs"}  # fmt: skip


def test_every_console_page_is_tried_and_its_title_known() -> None:
    assert sorted(TITLES) == sorted(spec.url_path for spec in MODERATION_PAGES)


def first_visit(page: Page, server: AppServer, path: str) -> int:
    """The server's very first request: `path`, followed where it redirects; the final status.
    A Streamlit page is given time for its first run (and a possible second one)."""
    response = page.goto(server.url(path))
    assert response is not None
    if page.get_by_test_id("stApp").count():
        page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
        wait_for_app_run(page, delay_ms=500)
        assert_no_exception(page)
    return response.status


@pytest.mark.parametrize("path", PATHS)
def test_a_first_request_to_a_moderation_page_shows_no_moderation_data(
    app_server_factory: StartServer, page: Page, path: str
) -> None:
    server = app_server_factory(seed=seed_moderation_data)
    secrets: Secrets = server.seeded
    first_visit(page, server, path)

    html = page.content()
    text = page.locator("body").inner_text()
    for secret in (REPORT_TEXT, MENTOR_EMAIL, REPORTER_EMAIL, secrets.reference, *AUDIT_WORDS):
        assert secret not in html, f"{secret!r} is in the page served for {path}"
        assert secret.casefold() not in text.casefold(), f"{secret!r} is shown on {path}"
    # Moderation tables are drawn on a canvas, so their cells are not in the DOM: no table at all.
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)  # the trends page's figures
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    expect(page.get_by_role("button", name="Ban", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    for title in TITLES.values():  # as a page title: the directory has a "Mentors" section
        expect(page.get_by_role("heading", name=title, exact=True, level=1)).to_have_count(0)
    for picker in ("Open a report", "Open a mentor", "Who"):
        expect(page.get_by_role("combobox", name=picker, exact=True)).to_have_count(0)

    # What shows instead is the sign-in form (a console URL) or the public directory.
    sign_in = page.get_by_role("heading", name="Moderator sign-in", exact=True, level=1)
    directory = page.get_by_role("heading", name="Find a mentor", exact=True, level=1)
    expect(sign_in.or_(directory)).to_be_visible()
    if path in CONSOLE_URLS:
        assert page.url == server.url("/sign-in", next=path)


CONSOLE_URLS = [f"/{spec.url_path}" for spec in MODERATION_PAGES]
# Every address the site declares, and the level-1 heading its first visitor sees there.
DECLARED = {
    "/": "Find a mentor",
    # Each public page's own title (the Code of Conduct's is the Code's: any heading will do).
    **{f"/{spec.url_path}": "" if "conduct" in spec.url_path else spec.title
       for spec in PUBLIC_PAGES},
    f"/{SIGN_IN.url_path}": "Moderator sign-in",  # the server sends it on to /sign-in
    **dict.fromkeys(CONSOLE_URLS, "Moderator sign-in"),
    "/sign-in": "Moderator sign-in",
    "/sign-out": "Sign out",
    "/account/second-factor": "Moderator sign-in",  # it needs a session first
    "/robots.txt": None,  # plain text
    # The pages of the links we mail, opened without a token: each says what is wrong.
    "/confirm": "Confirm your listing",
    "/confirm-address": "Confirm your new address",
    "/manage-link": "Manage my listing",
    "/manage-link/close": "Manage my listing",  # ends nothing, goes to Manage my listing
    "/still-available": "Are you still available?",
}


@pytest.mark.parametrize("path", list(DECLARED))
def test_no_declared_address_is_page_not_found_on_a_fresh_server(
    app_server_factory: StartServer, page: Page, path: str
) -> None:
    server = app_server_factory()
    status = first_visit(page, server, path)
    assert status == 200, f"{path} answered {status}"
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_test_id("stDialog")).to_have_count(0)
    heading = DECLARED[path]
    if heading is None:
        assert page.locator("body").inner_text().startswith("User-agent: *")
    else:
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        if heading:
            expect(page.get_by_role("heading", name=heading, exact=True, level=1)).to_be_visible()
