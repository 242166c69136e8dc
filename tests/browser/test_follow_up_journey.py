"""A reporter hears back, in the browser: the receipt shows the reference and the case code; a
moderator acknowledges and decides with a message; the reporter gets both mails (aiosmtpd) and
"Follow my report" shows the decision and the message, on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Report
from models.base import utcnow
from services.accounts import auth
from services.reports.moderation import act_on_report
from services.reports.report_lifecycle import ReportAction
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import assert_no_exception, open_app, save_screenshot, wait_for_app_run
from tests.browser.test_mail_journeys import mail_to
from tests.browser.test_report_and_ban_journey import CATEGORY, MENTOR, file_the_report
from tests.browser.test_report_and_ban_journey import seed as seed_mentors
from tests.mail.conftest import Inbox

pytestmark = pytest.mark.browser
REPORTER = "rita.reporter@example.org"
CASE_CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def seed(session: Session) -> None:
    seed_mentors(session)


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer, smtp: tuple[Inbox, int]) -> AppServer:
    return module_app_server_factory(seed=seed, env={"SMTP_URL": f"smtp://127.0.0.1:{smtp[1]}?timeout=5"})


def moderator_acts(app: AppServer, reference: str, action: ReportAction, message: str = "") -> None:
    """What the queue's buttons do (the console's clicks are covered by the page tests)."""
    with app.writer() as session, session.begin():
        alice = auth.moderator_list(session)[0]
        report_id = session.scalars(select(Report.id).where(Report.reference == reference)).one()
        act_on_report(session, report_id=report_id, expected_version=None, action=action,
                      moderator=alice, now=utcnow(), reporter_message=message)  # fmt: skip


def test_a_reporter_follows_the_case_to_its_decision(
    app: AppServer, smtp: tuple[Inbox, int], page: Page
) -> None:
    assert MENTOR and CATEGORY
    reference = file_the_report(app, page, email=REPORTER)
    receipt = page.get_by_test_id("stMain").inner_text()
    found = CASE_CODE.search(receipt.split("case code is", 1)[1])
    assert found, receipt
    code = found.group()
    save_screenshot(page, "follow-up/receipt")

    moderator_acts(app, reference, ReportAction.ACKNOWLEDGE)
    acknowledged = mail_to(smtp[0], REPORTER, f"Your report {reference} is with a moderator")
    assert "/follow-my-report" in acknowledged.get_content()
    moderator_acts(app, reference, ReportAction.RESOLVE_WITH_ACTION, "We acted on it. Thank you.")
    decided = mail_to(smtp[0], REPORTER, f"Your report {reference} has been decided")
    assert "action taken" in decided.get_content() and "We acted on it. Thank you." in decided.get_content()
    assert code not in decided.get_content()

    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, app.url("/follow-my-report"))
    page.get_by_label("Reference", exact=True).fill(reference)
    page.get_by_label("Case code", exact=True).fill(code.lower())
    page.get_by_role("button", name="Show my case").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    view = page.locator(".st-key-follow_case_view")
    expect(view).to_contain_text("Decision: action taken")
    expect(view).to_contain_text("We acted on it. Thank you.")
    expect(view).not_to_contain_text(MENTOR)  # never who, never the sanction
    save_screenshot(page, "follow-up/decided-phone")
