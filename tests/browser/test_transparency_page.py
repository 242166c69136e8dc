"""Reports and outcomes in Chromium, signed out: a fresh server's very first request shows only
what leadership published (never a period that has ended but isn't published, never a figure of
it), the page passes axe-core with nothing excused, and is screenshotted for people to look at:
test-artifacts/reports-and-outcomes-1280x800.png and reports-and-outcomes-390x844.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from services.accounts.auth import add_moderator
from services.evidence import transparency
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import assert_no_exception, save_screenshot, wait_for_app_run
from tests.browser.test_accessibility import axe_scan
from tests.conftest import NOW
from tests.services.test_transparency import third_quarter
from tests.services.trend_data import at, report

pytestmark = pytest.mark.browser
PATH = "/reports-and-outcomes"
UNPUBLISHED = "April to June 2026"


def seed_unpublished(session: Session) -> None:
    """Two quarters that have ended, with reports, and nothing published."""
    third_quarter(session)
    for day in ("2026-05-05", "2026-05-06"):
        report(session, at(day), "harassment")


def seed_published(session: Session) -> None:
    """The same, with the third quarter published and the second not."""
    seed_unpublished(session)
    leader = add_moderator(session, username="leader", password="correct horse battery", now=NOW)
    transparency.publish_period(session, period_key="2026-Q3", moderator=leader, now=NOW)


def first_visit(page: Page, server: AppServer) -> None:
    page.goto(server.url(PATH))
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
    wait_for_app_run(page, delay_ms=500)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Reports and outcomes", level=1)).to_be_visible()


def test_a_first_request_with_nothing_published_shows_no_figure(
    app_server_factory: StartServer, page: Page
) -> None:
    server = app_server_factory(seed=seed_unpublished)
    first_visit(page, server)
    expect(page.get_by_text("No period has been published yet.")).to_be_visible()
    expect(page.get_by_test_id("stTable")).to_have_count(0)
    expect(page.get_by_role("combobox")).to_have_count(0)
    text = page.locator("body").inner_text()
    assert "July to September 2026" not in text and UNPUBLISHED not in text


def test_a_first_request_shows_the_published_quarter_and_nothing_of_the_other(
    app_server_factory: StartServer, page: Page
) -> None:
    server = app_server_factory(seed=seed_published)
    first_visit(page, server)
    expect(page.get_by_role("heading", name="July to September 2026", level=2)).to_be_visible()
    expect(page.get_by_test_id("stTable")).to_have_count(4)
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    page.get_by_role("combobox", name="Period").click()
    options = page.get_by_role("option").all_inner_texts()
    assert options == ["July to September 2026"], options
    assert UNPUBLISHED not in page.content()
    page.keyboard.press("Escape")
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        wait_for_app_run(page)
        assert_no_exception(page)
        save_screenshot(page, f"reports-and-outcomes-{width}x{height}")
    violations, review = axe_scan(page, "reports-and-outcomes-published")
    failing = [f.describe() for f in violations if f.fails]
    assert not failing, "\n".join(failing)
