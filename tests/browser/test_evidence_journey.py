"""A new mentor's receipt, in a real browser: the confirmation mail carries it, Manage my listing
hands it over as a PDF, and anyone checks its verification code on Check a receipt (on a phone
too). The audit log's chain is intact afterwards."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from models.db import make_engine, make_session_factories
from services.evidence.verify import verify
from tests.browser.mailbox import confirm_from_mail, see_check_your_inbox, wait_for_mail
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    assert_no_exception,
    fill_sign_up_form,
    go_to,
    open_app,
    save_screenshot,
    wait_for_app_run,
)

pytestmark = pytest.mark.browser

NAME = "Noor Receipt-Holder"
EMAIL = "noor.receipt@example.org"
CODE = re.compile(r"Verification code:\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")


def check_code(page: Page, app: AppServer, code: str) -> None:
    open_app(page, app.url("/check-a-receipt"))
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Check").click()
    wait_for_app_run(page)
    assert_no_exception(page)


def test_a_receipt_from_the_mail_to_the_pdf_to_the_public_check(
    app_server_factory: StartServer, page: Page
) -> None:
    app = app_server_factory()
    open_app(page, app.url("/"))
    go_to(page, "Become a mentor")
    fill_sign_up_form(page, name=NAME, email=EMAIL, linkedin="https://www.linkedin.com/in/noor-receipt")
    page.get_by_role("button", name="Sign and send me the link").click()
    see_check_your_inbox(page)

    mail = wait_for_mail(app, EMAIL, subject="Confirm your listing")
    body = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    found = CODE.search(body)
    assert found, body
    code = found.group(1)
    assert f"Name as typed:     {NAME}" in body and "Audit row SHA-256: " in body

    credential = confirm_from_mail(page, app, EMAIL)
    expect(page.get_by_text("Manage my listing has it as a PDF", exact=False)).to_be_visible()
    open_app(page, app.url("/manage-my-listing"))
    page.get_by_label("Your private code", exact=True).fill(credential)
    page.get_by_role("button", name="Open my listing").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Your signatures")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"^Receipt of .* \(Code version 1\), PDF$")).click()
    path = download.value.path()
    text = " ".join(PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text().split())
    assert code in text and NAME in text
    save_screenshot(page, "evidence-manage-receipts")

    check_code(page, app, code.lower())
    expect(page.get_by_text("This code matches a signature we hold.")).to_be_visible()
    save_screenshot(page, "evidence-check-a-receipt")
    page.set_viewport_size({"width": 390, "height": 844})
    check_code(page, app, "ABCD-EFGH-JKMN")
    expect(page.get_by_text("No signature we hold matches this code.", exact=False)).to_be_visible()
    save_screenshot(page, "evidence-check-a-receipt-phone")

    engine = make_engine(app.database_url)
    verdict = verify(make_session_factories(engine)[0])
    engine.dispose()
    assert verdict.intact and verdict.rows_checked >= 2
