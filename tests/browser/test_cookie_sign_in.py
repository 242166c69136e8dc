"""The moderator's session lives in an HttpOnly cookie: what a moderator notices of that.

Signed in once (password, then a code from their authenticator app), they stay signed in across
a reload, a second tab and a bookmark; a sign-out in one tab holds in the others at their next
rerun; an idle session that has timed out changes nothing when they click, and they are shown the
sign-in; the page's own script never sees the cookie; and no other site can frame the console.
The server requires the second factor here (REQUIRE_SECOND_FACTOR=1): each moderator has one,
enrolled through the service, and each test signs in a moderator of its own, since a code is
accepted only once.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models import ModeratorSession, ReportNote
from models.base import utcnow
from services.accounts import auth, second_factor
from services.reports.intake import ReportCategory, ReportInput, file_report
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import assert_no_exception, go_to, sign_in, wait_for_app_run
from tests.factories import make_mentor

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
# One moderator per test (a code opens one sign-in only), each with an authenticator app.
MODERATORS = ("alice", "bruno", "chloe", "dara", "emil")
SIGNED_OUT = "Moderator sign-in"


@dataclass(frozen=True)
class Seeded:
    secrets: dict[str, str]
    moderator_ids: dict[str, int]


def seed(session: Session) -> Seeded:
    """Moderators with a second factor, and one report in the queue about one mentor."""
    secrets, ids = {}, {}
    for name in MODERATORS:
        moderator = auth.add_moderator(session, username=name, password=PASSWORD, now=utcnow())
        secrets[name] = pyotp.random_base32()
        second_factor.enrol(session, moderator_id=moderator.id, secret=secrets[name], now=utcnow())
        ids[name] = moderator.id
    mentor_id = make_mentor(session, full_name="Noted Mentor")
    file_report(session, client_key="seed", now=utcnow(), report=ReportInput(
        mentor_id=mentor_id, category=ReportCategory.NOT_RESPONSIVE.value,
        description="No reply for a month.", reporter_role="mentee"))  # fmt: skip
    return Seeded(secrets=secrets, moderator_ids=ids)


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer) -> AppServer:
    return module_app_server_factory(seed=seed, env={"REQUIRE_SECOND_FACTOR": "1"})


def code_for(app: AppServer, name: str) -> str:
    return pyotp.TOTP(app.seeded.secrets[name]).now()


def sign_in_with_code(page: Page, app: AppServer, name: str, next_path: str = "/moderation-queue") -> None:
    sign_in(page, app, name, PASSWORD, next_path=next_path, code=lambda: code_for(app, name))


def wait_for_console(page: Page) -> None:
    """After a full page load: the app has drawn and its script has run."""
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
    wait_for_app_run(page)
    assert_no_exception(page)


def assert_console_page(page: Page, title: str) -> None:
    """The console page itself shows, and no sign-in."""
    expect(page.get_by_role("heading", name=title, exact=True, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=SIGNED_OUT, level=1)).to_have_count(0)


def test_signed_in_once_a_reload_a_second_tab_and_a_bookmark_stay_signed_in(
    app: AppServer, page: Page
) -> None:
    sign_in_with_code(page, app, "alice")
    assert_console_page(page, "Report queue")
    page.reload()
    wait_for_console(page)
    assert_console_page(page, "Report queue")
    second = page.context.new_page()  # same browser, another tab
    second.goto(app.url("/moderation-audit"))
    wait_for_console(second)
    assert_console_page(second, "Audit log")
    page.goto(app.url("/moderation-mentors"))  # a bookmark, followed in the first tab
    wait_for_console(page)
    assert_console_page(page, "Mentors")
    # The page's own script can't read the session (HttpOnly); the browser holds it, Strict.
    for tab in (page, second):
        assert "wan_session" not in tab.evaluate("() => document.cookie")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "wan_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"


def test_the_session_cookie_is_never_readable_by_the_pages(app: AppServer, page: Page) -> None:
    seen = []
    page.goto(app.url("/sign-in"))
    seen.append(page.evaluate("() => document.cookie"))
    sign_in_with_code(page, app, "emil")
    seen.append(page.evaluate("() => document.cookie"))
    page.goto(app.url("/sign-out"))
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    seen.append(page.evaluate("() => document.cookie"))
    assert [c for c in page.context.cookies() if c["name"] == "wan_session"], "signed in"
    assert not [text for text in seen if "wan_session" in text or "wan_pending" in text], seen


def test_a_sign_out_in_one_tab_signs_the_other_tab_out_at_its_next_rerun(
    app: AppServer, page: Page
) -> None:
    sign_in_with_code(page, app, "bruno")
    other = page.context.new_page()
    other.goto(app.url("/moderation-queue"))
    wait_for_console(other)
    assert_console_page(other, "Report queue")

    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    page.wait_for_url(app.url("/sign-out"))
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(lambda url: "/sign-in" in url)
    expect(page.get_by_role("heading", name=SIGNED_OUT, level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("You have signed out.")

    go_to(other, "Moderation: audit log")  # the other tab's next rerun
    expect(other.get_by_role("heading", name=SIGNED_OUT, level=1)).to_be_visible()
    expect(other.get_by_role("heading", name="Audit log", level=1)).to_have_count(0)
    expect(other.locator(".st-key-session_ended")).to_contain_text("Your session has ended")


def test_after_an_idle_timeout_a_click_changes_nothing_and_shows_the_sign_in(
    app: AppServer, page: Page
) -> None:
    sign_in_with_code(page, app, "chloe")
    assert_console_page(page, "Report queue")
    note = page.get_by_label("Add a note (only moderators see it)", exact=True)
    note.fill("Written before lunch, sent after.")
    with app.writer.begin() as session:  # an hour away from the keyboard (the limit is 30 min)
        session.execute(update(ModeratorSession)
                        .where(ModeratorSession.moderator_id == app.seeded.moderator_ids["chloe"])
                        .values(last_seen_at=utcnow() - timedelta(hours=1)))  # fmt: skip
    page.get_by_role("button", name="Add note", exact=True).click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name=SIGNED_OUT, level=1)).to_be_visible()
    expect(page.locator(".st-key-session_ended")).to_contain_text("Your session has ended")
    expect(page.get_by_role("heading", name="Report queue", level=1)).to_have_count(0)
    expect(page.get_by_text("Something went wrong")).to_have_count(0)  # a refusal, not a crash
    with app.writer() as session:
        assert session.scalar(select(func.count()).select_from(ReportNote)) == 0
    # Signing in again (the button leads to the form) brings them back to the queue.
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/sign-in" in url and "ended=timeout" in url)
    expect(page.get_by_role("status")).to_contain_text("Your session has ended")


@contextlib.contextmanager
def other_site(html: str) -> Iterator[str]:
    """A page on another origin (another port), as a site that frames ours would serve it."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_console_refuses_to_be_framed_by_another_site(app: AppServer, page: Page) -> None:
    sign_in_with_code(page, app, "dara")  # the worst case: the frame would be signed in
    console = app.url("/moderation-queue")
    refusals: list[str] = []
    page.on("console", lambda message: refusals.append(message.text))
    framing = f'<!doctype html><title>Not us</title><iframe src="{console}" title="framed"></iframe>'
    with other_site(framing) as address:
        page.goto(address)
        frame = page.frame_locator("iframe")
        page.wait_for_timeout(3_000)  # time enough for a framed app to draw
        expect(frame.get_by_test_id("stApp")).to_have_count(0)
        expect(frame.get_by_role("heading", name="Report queue")).to_have_count(0)
        (child,) = page.main_frame.child_frames
        assert child.url != console, "the framed console loaded"
    assert any("frame-ancestors" in text for text in refusals), refusals
    response = page.context.request.get(console, max_redirects=0)
    assert response.status == 200  # signed in: the console itself, with its headers
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
