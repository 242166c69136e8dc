"""The pages/ trap: the very first request to a fresh server must not show moderation data.

Until some session has run dashboard.py, a freshly started server is in Streamlit's legacy
multipage mode, where /moderation_queue (the file's name) runs pages/moderation_queue.py on its
own, without the frame and its navigation (see "The `pages/` trap" in docs/ARCHITECTURE.md). Each moderation page must
therefore gate itself. Every case here gets a server of its own and makes its first request to
one moderation address, by its registered URL and by its legacy file name. The servers run
plain `streamlit run dashboard.py`, the worst case: `python -m commands.start` switches the legacy
mode off, but the pages must not rely on how they are served.
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
from tests.browser.servers import StartServer
from tests.browser.steps import assert_no_exception, open_app, wait_for_app_run
from tests.conftest import NOW
from tests.factories import make_mentor
from ui.navigation import MODERATION_PAGES

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
          "moderation-audit": "Audit log", "moderation-trends": "Trends and metrics"}  # fmt: skip


def test_every_console_page_is_tried_and_its_title_known() -> None:
    assert sorted(TITLES) == sorted(spec.url_path for spec in MODERATION_PAGES)


@pytest.mark.parametrize("path", PATHS)
def test_a_first_request_to_a_moderation_page_shows_no_moderation_data(
    app_server_factory: StartServer, page: Page, path: str
) -> None:
    server = app_server_factory(seed=seed_moderation_data)
    secrets: Secrets = server.seeded
    open_app(page, server.url(path))
    # Give a possible second run (a page switch, a rerun) the chance to show something too.
    wait_for_app_run(page, delay_ms=500)
    assert_no_exception(page)

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
    main = page.get_by_test_id("stMain")
    for title in TITLES.values():  # as a page title: the directory has a "Mentors" section
        expect(main.get_by_role("heading", name=title, exact=True, level=1)).to_have_count(0)
    for picker in ("Open a report", "Open a mentor", "Who"):
        expect(page.get_by_role("combobox", name=picker, exact=True)).to_have_count(0)

    # What shows instead is the sign-in form or the public directory.
    sign_in = main.get_by_role("heading", name="Moderator sign-in", exact=True)
    directory = main.get_by_role("heading", name="Find a mentor", exact=True)
    expect(sign_in.or_(directory)).to_be_visible()
