"""Nothing leaves our server, and the Content-Security-Policy refuses nothing the app needs.

The app runs with our server around it (`python -m commands.start`, as in every browser test:
routes, security headers, compression). Every public page, the server's sign-in form and a console address are opened in
Chromium; every request the page makes is recorded, and every CSP violation it reports (the
`securitypolicyviolation` event and the console's "Refused"/"violates" messages).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page
from sqlalchemy.orm import Session

from services.listings.code_of_conduct import current_code
from services.samples.mentors import insert_sample_mentors
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import wait_for_app_run
from tests.conftest import NOW
from ui.navigation import MODERATION_PAGES, PUBLIC_PAGES, SIGN_IN

CARD = "[data-testid='stMain'] [class*='st-key-mentor_card_'] h3"
STREAMLIT_PAGES = ["/", *(f"/{spec.url_path}" for spec in PUBLIC_PAGES), f"/{SIGN_IN.url_path}"]
# Without a session a console address answers with the server's sign-in form.
SERVER_PAGES = ["/sign-in", f"/{MODERATION_PAGES[0].url_path}"]
WATCH_CSP = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  `${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));"""


def seed(session: Session) -> None:
    insert_sample_mentors(session, count=6, code=current_code(), now=NOW)


@pytest.fixture(scope="module")
def site(module_app_server_factory: StartServer) -> AppServer:
    return module_app_server_factory(seed=seed)


def open_and_record(page: Page, url: str) -> tuple[list[str], list[str]]:
    """Open `url`; the addresses it requested and the CSP violations it reported."""
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH_CSP)
    page.goto(url)
    if page.get_by_test_id("stApp").count():
        wait_for_app_run(page)
    page.wait_for_timeout(1000)  # late fetches: icons, fonts, components' modules
    violations = page.evaluate("window.__cspViolations || []")
    violations += [t for t in console if "Content Security Policy" in t or "Refused to" in t]
    return requests, violations


def other_origins(requests: list[str], base_url: str) -> list[str]:
    ours = urlsplit(base_url).netloc
    return sorted({url for url in requests
                   if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(url).netloc != ours})  # fmt: skip


@pytest.mark.parametrize("path", STREAMLIT_PAGES + SERVER_PAGES)
def test_a_page_view_requests_nothing_from_another_origin(
    site: AppServer, page: Page, path: str
) -> None:
    requests, _ = open_and_record(page, site.url(path))
    assert requests, "the page made no request at all"
    assert other_origins(requests, site.base_url) == []


@pytest.mark.parametrize("path", STREAMLIT_PAGES + SERVER_PAGES)
def test_the_security_policy_refuses_nothing_on_a_public_page(
    site: AppServer, page: Page, path: str
) -> None:
    _, violations = open_and_record(page, site.url(path))
    assert violations == []


def test_the_mentor_cards_and_the_tab_icon_come_from_our_server(
    site: AppServer, page: Page
) -> None:
    """The directory works under the policy (its components.v2 parts included), and the tab
    icon is our file, not a Material icon from a font CDN."""
    requests, violations = open_and_record(page, site.url("/"))
    assert page.locator(CARD).count() > 0
    assert violations == []
    icon = page.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href")
    assert urlsplit(icon).netloc == urlsplit(site.base_url).netloc, icon
    assert not [url for url in requests if "fonts.gstatic.com" in url]
