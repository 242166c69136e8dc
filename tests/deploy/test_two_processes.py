"""Two app processes on PostgreSQL behind nginx, driven in Chromium through the proxy.

A browser keeps working over many reruns and stays on the process it first landed on; two
browsers put on different processes on purpose (each with a routing cookie the test chose: the
proxy routes by the `wan_route` cookie, see deploy/nginx.conf.in) each sign a moderator in, sign
a mentor up and file a report, and each sees the other's work, because everything that must be
shared lives in the one database. A moderator signed in on one process and moved to the other
(their routing cookie changed, as when a process goes down) is still signed in there: the
session is a cookie the server checks against the database, not something a process holds.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Mentor, ModeratorSession, Report
from models.base import utcnow
from services.accounts import auth
from tests.browser.mailbox import link_in, wait_for_mail
from tests.browser.steps import (
    assert_no_exception,
    card_names,
    fill_sign_up_form,
    go_to,
    open_app,
    search_directory,
    sign_in,
    tick,
    wait_for_app_run,
)
from tests.browser.test_report_and_ban_journey import (
    file_the_report,
    sign_in_as_moderator,
)
from tests.browser.test_report_and_ban_journey import seed as seed_report_journey
from tests.deploy.conftest import (
    InBrowser,
    Processes,
    Proxy,
    browser_page,
    run_nginx,
    serve_two,
)
from tests.factories import make_mentor

pytestmark = [pytest.mark.deploy, pytest.mark.browser, pytest.mark.postgres]

ROUTE_COOKIE = "wan_route"
MOVER_PASSWORD = "correct horse battery"  # noqa: S105 - a test account's
# Searches that each show one seeded mentor: consecutive reruns show different cards.
SEARCHES = [("quentin", ["Quentin Rerunner"]), ("ottilie", ["Ottilie Sticky"]),
            ("hamish", ["Hamish Oneprocess"])]  # fmt: skip
NOT_OPEN = "Hamish Oneprocess"
SIGN_UPS = {
    "first": ("Alma Firstproc", "alma.firstproc@example.org", "alma-firstproc"),
    "second": ("Bruno Secondproc", "bruno.secondproc@example.org", "bruno-secondproc"),
}


def seed(session: Session) -> object:
    for name, _ in [(names[0], None) for _, names in SEARCHES]:
        make_mentor(session, full_name=name, open_to_new_mentees=name != NOT_OPEN)
    return seed_report_journey(session)  # Victor Banning to report, and moderator alice


@pytest.fixture(scope="module")
def processes(
    deploy_prerequisites: None,
    in_chromium: InBrowser[None],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Processes]:
    with serve_two(tmp_path_factory.mktemp("serve"), seed) as running:
        yield running


@pytest.fixture(scope="module")
def proxy(processes: Processes, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    with run_nginx(tmp_path_factory.mktemp("nginx"), processes.ports) as running:
        yield running


def port_of(proxy: Proxy, key: str) -> int:
    """The app port nginx sends a browser with this routing key to (asked with one GET /)."""
    request = urllib.request.Request(  # noqa: S310 - http on loopback
        proxy.url("/"), headers={"Cookie": f"{ROUTE_COOKIE}={key}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
        response.read()
    deadline = time.monotonic() + 5  # nginx logs a request once it has sent the whole answer
    while time.monotonic() < deadline:
        ports = [port for k, port, _ in proxy.routes() if k == key]
        if ports:
            return ports[-1]
        time.sleep(0.05)
    raise AssertionError(f"nginx logged no request with key {key!r}")


def keys_for_each_process(proxy: Proxy, processes: Processes) -> dict[int, str]:
    """A routing key for every process, found by asking the proxy (the hash is nginx's)."""
    found: dict[int, str] = {}
    for index in range(200):
        key = f"deploy-test-{index}"
        found.setdefault(port_of(proxy, key), key)
        if len(found) == len(processes.ports):
            return found
    raise AssertionError(f"200 keys all went to {list(found)}")


def ports_used(proxy: Proxy, key: str) -> set[int]:
    return {port for k, port, _ in proxy.routes() if k == key}


def test_a_session_keeps_working_over_many_reruns_and_stays_on_one_process(
    proxy: Proxy, processes: Processes, in_chromium: InBrowser[None]
) -> None:
    in_chromium(lambda browser: many_reruns_on_one_process(browser, proxy, processes))


def many_reruns_on_one_process(browser: Browser, proxy: Proxy, processes: Processes) -> None:
    with browser_page(browser, "many-reruns") as page:
        open_app(page, proxy.url("/"))
        assert_no_exception(page)
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        assert ROUTE_COOKIE in cookies, "nginx gives a new browser its routing cookie"
        key = cookies[ROUTE_COOKIE]

        for step in range(12):
            words, expected = SEARCHES[step % len(SEARCHES)]
            search_directory(page, words)
            assert card_names(page) == expected, f"rerun {step + 1}"
        tick(page, "Only mentors open to new mentees")
        wait_for_app_run(page)
        search_directory(page, "hamish")
        assert card_names(page) == []  # the filter worked on the same session: Hamish isn't open
        assert_no_exception(page)

        (home,) = ports_used(proxy, key)  # every request this browser made went to one process
        connections = processes.connections()
        assert connections[home] >= 1, "the session's websocket is open on that process"
        assert all(n == 0 for port, n in connections.items() if port != home), connections


def sign_up_a_mentor(proxy: Proxy, processes: Processes, page: Page, who: str) -> None:
    """Sign up through the proxy, then follow the mailed link (whichever process sent it) back
    through the proxy and confirm."""
    name, email, linkedin = SIGN_UPS[who]
    open_app(page, proxy.url("/"))
    go_to(page, "Become a mentor")
    fill_sign_up_form(
        page, name=name, email=email, linkedin=f"https://www.linkedin.com/in/{linkedin}"
    )
    page.get_by_role("button", name="Sign and send me the link").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.locator(".st-key-signup_done")).to_contain_text("Check your inbox")
    assert processes.mail_dir is not None
    mail = wait_for_mail(processes.mail_dir, email, subject="Confirm your listing")
    token = parse_qs(urlsplit(link_in(mail, "/confirm")).query)["token"][0]
    page.goto(proxy.url("/confirm?" + urlencode({"token": token})))
    page.get_by_role("button", name="Confirm and list me").click()
    expect(page.get_by_text("You're listed. Thank you for mentoring!")).to_be_visible()


def two_browsers_two_processes(
    browser: Browser, proxy: Proxy, processes: Processes, keys: dict[int, str]
) -> None:
    first_port, second_port = processes.ports
    with (
        browser_page(browser, "first", route=(f"{ROUTE_COOKIE}={keys[first_port]}", proxy.base_url)) as first,
        browser_page(browser, "second", route=(f"{ROUTE_COOKIE}={keys[second_port]}", proxy.base_url)) as second,
    ):  # fmt: skip
        pages = {"first": first, "second": second}
        references = {}
        for who, page in pages.items():
            sign_up_a_mentor(proxy, processes, page, who)
            references[who] = file_the_report(proxy, page)

        # Each directory shows the other's new mentor; each moderator, signed in on their own
        # process (after the visits above: a page load starts a new session), sees the other's
        # report in the console.
        for who, other in (("first", "second"), ("second", "first")):
            page = pages[who]
            open_app(page, proxy.url("/"))
            search_directory(page, SIGN_UPS[other][0])
            assert card_names(page) == [SIGN_UPS[other][0]]
            sign_in_as_moderator(proxy, page)
            expect(page.get_by_role("heading", name="Report queue", level=1)).to_be_visible()
            page.get_by_role("combobox", name="Open a report", exact=True).click()
            option = page.get_by_role("option", name=re.compile(re.escape(references[other])))
            expect(option).to_have_count(1)
            page.keyboard.press("Escape")

        # The database has both of everything, whichever process wrote it.
        with processes.writer() as session:
            names = set(session.scalars(select(Mentor.full_name)))
            assert {name for name, _, _ in SIGN_UPS.values()} <= names
            assert set(references.values()) <= set(session.scalars(select(Report.reference)))
            signed_in = select(func.count()).where(ModeratorSession.ended_at.is_(None))
            assert session.scalar(signed_in) == 2

        assert ports_used(proxy, keys[first_port]) == {first_port}
        assert ports_used(proxy, keys[second_port]) == {second_port}
        connections = processes.connections()
        assert connections[first_port] >= 1 and connections[second_port] >= 1, connections


def test_a_moderator_moved_to_the_other_process_is_still_signed_in(
    proxy: Proxy, processes: Processes, in_chromium: InBrowser[None]
) -> None:
    with processes.writer.begin() as session:
        auth.add_moderator(session, username="mover", password=MOVER_PASSWORD, now=utcnow())
    keys = keys_for_each_process(proxy, processes)
    in_chromium(lambda browser: moved_to_the_other_process(browser, proxy, processes, keys))


def moved_to_the_other_process(
    browser: Browser, proxy: Proxy, processes: Processes, keys: dict[int, str]
) -> None:
    first_port, second_port = processes.ports
    route = (f"{ROUTE_COOKIE}={keys[first_port]}", proxy.base_url)
    with browser_page(browser, "moved", route=route) as page:
        sign_in(page, proxy, "mover", MOVER_PASSWORD)  # through nginx, on the first process
        expect(page.get_by_role("heading", name="Report queue", level=1)).to_be_visible()
        assert ports_used(proxy, keys[first_port]) == {first_port}

        # The proxy now sends this browser to the other process (its routing key changed).
        page.context.add_cookies([{"name": ROUTE_COOKIE, "value": keys[second_port],
                                   "url": proxy.base_url}])  # fmt: skip
        for path, title in (("/moderation-audit", "Audit log"), ("/moderation-queue", "Report queue")):
            page.goto(proxy.url(path))
            page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
            wait_for_app_run(page)
            assert_no_exception(page)
            assert page.url == proxy.url(path), "sent to the sign-in form"
            expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
            expect(page.get_by_role("heading", name="Moderator sign-in")).to_have_count(0)
        go_to(page, "Moderation: mentors")  # a rerun over the second process's websocket
        expect(page.get_by_role("heading", name="Mentors", level=1)).to_be_visible()
        assert ports_used(proxy, keys[second_port]) >= {second_port}
        served = {port for key, port, request in proxy.routes()
                  if key == keys[second_port] and "/moderation-" in request}  # fmt: skip
        assert served == {second_port}, "the console pages came from the second process"
        connections = processes.connections()
        assert connections[second_port] >= 1, connections
