"""Browser journeys: the real app under its own server, driven by Playwright in headless Chromium.

Chromium comes from the system (Debian's package), not from `playwright install`. When it is
missing the browser tests are skipped with a note on how to install it; with REQUIRE_BROWSER=1
(as in CI) they fail instead. BROWSER_EXECUTABLE points at another Chromium binary.

How a journey test uses this file
---------------------------------
Servers (each on a free port, with a SQLite file of its own that is migrated and seeded *before*
the server starts; the server never gets a request before the test makes one):

- `module_app_server_factory(seed=None, *, env=None, args=()) -> AppServer` (module scope): share
  one server between the tests of a module, through a module-scoped fixture of your own::

      @pytest.fixture(scope="module")
      def directory(module_app_server_factory: StartServer) -> AppServer:
          return module_app_server_factory(seed=seed_directory)

- `app_server_factory(seed=None, *, env=None, args=())  -> AppServer` (function scope): a fresh
  server for this test only, e.g. when the test's very first request must go to a given URL.
- `launch_app(directory, seed=..., env=..., args=...)`: the context manager both factories use.

`seed` is called with a committing Session (inside one transaction) and its return value is kept
as `server.seeded`; `env` adds or overrides environment variables of the server process; `args`
are extra `--server.*` options (`python -m commands.start` passes them to Streamlit); servers
get REQUIRE_SECOND_FACTOR=0 unless `env` says otherwise. `server.url(path, **query)` builds
URLs, `server.writer` is a session factory on the same database (for arranging or checking rows
while it runs).

Browser: `browser` (session scope, one Chromium per run) and `page` (a new context and page per
test; a screenshot is saved under test-artifacts/failures/ when the test fails).

The servers live in `servers.py`, Chromium's path and flags in `chromium.py`, and the helpers and
steps below in `steps.py`.

Helpers: `open_app(page, url)`, `wait_for_app_run(page)`, `assert_no_exception(page)`,
`save_screenshot(page, name)`. Journey steps, as a person does them: `go_to(page, title)` (the
sidebar menu), `choose_option(page, label, option)` (select box or multiselect, checked and
retried), `tick(page, label)`, `search_directory(page, text)`, `card_names(page)`,
`fill_sign_up_form(page, name=..., email=..., linkedin=...)`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.chromium import CHROMIUM_ARGS, browser_executable
from tests.browser.servers import StartServer, free_port, server_factory
from tests.browser.steps import RUN_TIMEOUT_MS, save_screenshot
from tests.mail.conftest import Inbox


@pytest.fixture(scope="session", autouse=True)
def chromium_path() -> str:
    """Checked first for every test in tests/browser, before any server is started."""
    return browser_executable()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context and page; on failure a screenshot goes to test-artifacts/failures/."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
            with contextlib.suppress(Exception):
                save_screenshot(new_page, f"failures/{name}")
        context.close()


@pytest.fixture
def app_server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
    """Start fresh servers for this test only; they are stopped when the test ends."""
    with server_factory(tmp_path_factory) as start:
        yield start


@pytest.fixture(scope="module")
def module_app_server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
    """Start servers shared by the tests of a module; they are stopped when the module ends."""
    with server_factory(tmp_path_factory) as start:
        yield start


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server (aiosmtpd) on a free loopback port for a module's app server: what it
    received, and its port."""
    received, port = Inbox(), free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield received, port
    finally:
        controller.stop()
