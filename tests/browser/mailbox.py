"""The test servers' mailbox: each mail the relay wrote as a .eml file into the server's MAIL_DIR,
read as a person reads their inbox (the newest mail to an address, the link in it)."""

from __future__ import annotations

import re
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.servers import AppServer
from tests.browser.steps import wait_for_app_run

LINK = re.compile(r"https?://\S+")


def mail_dir(server: AppServer) -> Path:
    return Path(server.env["MAIL_DIR"])


def inbox(server: AppServer | Path, recipient: str) -> list[EmailMessage]:
    """Every mail to this address so far (in a server's MAIL_DIR, or a folder), oldest first."""
    folder = server if isinstance(server, Path) else mail_dir(server)
    found = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: (p.stat().st_mtime, p.name)):
        mail = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if str(mail["To"]).strip().lower() == recipient.strip().lower():
            found.append(mail)  # type: ignore[arg-type]
    return found


def wait_for_mail(
    server: AppServer | Path, recipient: str, *, subject: str, timeout: float = 30
) -> EmailMessage:
    """The newest mail to `recipient` whose subject holds `subject`, once the relay has sent it."""
    deadline = time.monotonic() + timeout
    while True:
        matching = [m for m in inbox(server, recipient) if subject in str(m["Subject"])]
        if matching:
            return matching[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail '{subject}' to {recipient} within {timeout} s")
        time.sleep(0.3)


def link_in(mail: EmailMessage, path: str) -> str:
    """The link in the mail that leads to `path` (e.g. /confirm, with its token)."""
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    return next(url for url in LINK.findall(body.get_content()) if urlsplit(url).path == path)


def confirm_from_mail(page: Page, server: AppServer, email: str) -> str:
    """Open the confirmation mail, follow its link, press the button; the private code shown."""
    mail = wait_for_mail(server, email, subject="Confirm your listing")
    page.goto(link_in(mail, "/confirm"))
    page.get_by_role("button", name="Confirm and list me").click()
    expect(page.get_by_text("You're listed. Thank you for mentoring!")).to_be_visible()
    return page.locator("code.secret").inner_text().strip()


def see_check_your_inbox(page: Page) -> None:
    """What Become a mentor says after a sign-up, whatever the address."""
    wait_for_app_run(page)
    expect(page.locator(".st-key-signup_done")).to_contain_text("Check your inbox")
