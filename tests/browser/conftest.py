"""Browser journeys: the real app under `streamlit run`, driven by Playwright in headless Chromium.

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
are extra `streamlit run` options. `server.url(path, **query)` builds URLs, `server.writer` is a
session factory on the same database (for arranging or checking rows while it runs).

Browser: `browser` (session scope, one Chromium per run) and `page` (a new context and page per
test; a screenshot is saved under test-artifacts/failures/ when the test fails).

Helpers: `open_app(page, url)`, `wait_for_app_run(page)`, `assert_no_exception(page)`,
`save_screenshot(page, name)`. Journey steps, as a person does them: `go_to(page, title)` (the
sidebar menu), `choose_option(page, label, option)` (select box or multiselect, checked and
retried), `tick(page, label)`, `search_directory(page, text)`, `card_names(page)`,
`fill_sign_up_form(page, name=..., email=..., linkedin=...)`.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from models.db import PROJECT_ROOT, make_engine, make_session_factories, migrate

DEFAULT_BROWSER_EXECUTABLE = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
SERVER_START_TIMEOUT_S = 60.0
SERVER_STOP_TIMEOUT_S = 10.0
RUN_TIMEOUT_MS = 20_000

expect.set_options(timeout=10_000)

Seed = Callable[[Session], Any]


# --- Chromium: present, or skip (fail under REQUIRE_BROWSER=1) -----------------------------------


def browser_executable() -> str:
    """The Chromium binary to drive; skips (or, with REQUIRE_BROWSER=1, fails) when it is missing."""
    path = os.environ.get("BROWSER_EXECUTABLE") or DEFAULT_BROWSER_EXECUTABLE
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    message = (
        f"Chromium not found at {path}: browser tests need it. Install it with "
        "`sudo apt-get install -y chromium` (Debian/Ubuntu), or set BROWSER_EXECUTABLE to the "
        "path of a Chromium binary."
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} REQUIRE_BROWSER=1 is set, so this is an error.", pytrace=False)
    pytest.skip(message)


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


# --- The app under `streamlit run` ----------------------------------------------------------------


@dataclass
class AppServer:
    base_url: str
    port: int
    database_url: str
    writer: sessionmaker[Session] = field(repr=False)
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    seeded: Any = field(default=None, repr=False)
    # Only what the server got on top of the inherited environment (which may hold secrets, so
    # it is neither kept here nor shown in failure reports).
    env: Mapping[str, str] = field(default_factory=dict)

    def url(self, path: str = "/", **query: str | Sequence[str]) -> str:
        """An address on this server; list values repeat the parameter (`?a=1&a=2`)."""
        address = self.base_url + "/" + path.lstrip("/")
        return f"{address}?{urlencode(query, doseq=True)}" if query else address

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(  # noqa: S310 - a fixed http URL on localhost
            f"http://127.0.0.1:{port}/_stcore/health", timeout=2
        ) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the server's whole process group: politely first, then for sure."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=SERVER_STOP_TIMEOUT_S)
    # Anything the server started in its group (it normally starts nothing) goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _start_streamlit(
    port: int, env: Mapping[str, str], args: Sequence[str], log_path: Path
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false", *args,
    ]  # fmt: skip
    with log_path.open("ab") as log:
        return subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            command,
            cwd=PROJECT_ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the whole group can be ended
        )


def _wait_until_healthy(process: subprocess.Popen[bytes], port: int, log_path: Path) -> bool:
    """True once /_stcore/health says ok; False if the process ended first."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if _healthy(port):
            return True
        time.sleep(0.1)
    log = log_path.read_text(errors="replace")
    raise TimeoutError(
        f"streamlit did not answer ok on /_stcore/health within {SERVER_START_TIMEOUT_S:.0f} s."
        f"\n--- server log ---\n{log}"
    )


@contextlib.contextmanager
def launch_app(
    directory: Path,
    *,
    seed: Seed | None = None,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
) -> Iterator[AppServer]:
    """`streamlit run dashboard.py` on a free port over a new SQLite database under `directory`.

    The database is migrated and `seed(session)` has committed before the server starts. The
    server is only polled on /_stcore/health (which runs no script), so the test's own first
    request is the first page the server ever serves.
    """
    database_url = f"sqlite:///{directory / 'app.sqlite3'}"
    engine = make_engine(database_url)
    migrate(engine)
    writer = make_session_factories(engine)[1]
    seeded = None
    if seed is not None:
        with writer.begin() as session:
            seeded = seed(session)
    added_env = {"DATABASE_URL": database_url, **(env or {})}
    server_env = {**os.environ, **added_env}
    log_path = directory / "streamlit.log"
    process: subprocess.Popen[bytes] | None = None
    try:
        for _attempt in range(3):  # another process may grab the free port before streamlit does
            port = free_port()
            process = _start_streamlit(port, server_env, args, log_path)
            if _wait_until_healthy(process, port, log_path):
                break
            _stop(process)
        else:
            raise RuntimeError(
                f"streamlit kept exiting.\n--- server log ---\n{log_path.read_text()}"
            )
        yield AppServer(
            base_url=f"http://127.0.0.1:{port}",
            port=port,
            database_url=database_url,
            writer=writer,
            log_path=log_path,
            process=process,
            seeded=seeded,
            env=added_env,
        )
    finally:
        if process is not None:
            _stop(process)
        engine.dispose()


StartServer = Callable[..., AppServer]


@contextlib.contextmanager
def _server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
    with contextlib.ExitStack() as servers:

        def start(
            seed: Seed | None = None,
            *,
            env: Mapping[str, str] | None = None,
            args: Sequence[str] = (),
        ) -> AppServer:
            directory = tmp_path_factory.mktemp("app-server")
            return servers.enter_context(launch_app(directory, seed=seed, env=env, args=args))

        yield start


@pytest.fixture
def app_server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
    """Start fresh servers for this test only; they are stopped when the test ends."""
    with _server_factory(tmp_path_factory) as start:
        yield start


@pytest.fixture(scope="module")
def module_app_server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
    """Start servers shared by the tests of a module; they are stopped when the module ends."""
    with _server_factory(tmp_path_factory) as start:
        yield start


# --- Page helpers ---------------------------------------------------------------------------------


def wait_for_app_run(page: Page, *, delay_ms: int = 150, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait for the rerun a navigation or interaction started, as Streamlit's own e2e suite does.

    The short delay lets the rerun begin before we wait for the app to be idle again.
    """
    page.wait_for_timeout(delay_ms)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
        state="attached",
        timeout=timeout_ms,
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=timeout_ms,
    )


def open_app(page: Page, url: str) -> None:
    """Go to `url` and wait until the script's first run has finished."""
    page.goto(url)
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
    wait_for_app_run(page)


def assert_no_exception(page: Page) -> None:
    """The page shows no Streamlit exception box (call it after `wait_for_app_run`)."""
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, "the app shows an exception:\n" + "\n---\n".join(
        exceptions.all_inner_texts()
    )


@contextlib.contextmanager
def whole_page_in_view(page: Page, *, max_height: int = 8000) -> Iterator[None]:
    """Stretch the window to the content's height, then restore it.

    Streamlit scrolls inside `stMain`, not the document: screenshots stop at the viewport, and
    axe-core skips the colour contrast of text scrolled out of view. Inside this block the whole
    page is on screen at once.
    """
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(document.documentElement.scrollHeight,"
        " ...[...document.querySelectorAll('[data-testid=stMain]')].map(e => e.scrollHeight))"
    )
    stretch = size is not None and height > size["height"]
    if stretch:
        page.set_viewport_size({"width": size["width"], "height": min(height, max_height)})
        page.wait_for_timeout(200)  # let the layout settle at the new size
    try:
        yield
    finally:
        if stretch and size is not None:
            page.set_viewport_size(size)


def save_screenshot(
    page: Page, name: str, *, max_height: int = 8000, park_mouse: bool = True
) -> Path:
    """Save the whole page as test-artifacts/<name>.png and return the path.

    Streamlit scrolls inside `stMain`, not the document, so `full_page` alone would stop at the
    viewport: the viewport is stretched to the content's height for the shot, then restored.
    The mouse is first moved to the top-left corner, so no hover effect shows (`park_mouse`).
    """
    path = ARTIFACTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    if park_mouse:
        page.mouse.move(0, 0)
    with whole_page_in_view(page, max_height=max_height):
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def write_artifact(name: str, text: str) -> Path:
    """Save `text` as test-artifacts/<name> (findings a person can read after the run)."""
    path = ARTIFACTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# --- Shared journey steps -------------------------------------------------------------------------

# The Code of Conduct's two signing lines, which label the agreement box and the signature field.
AGREEMENT = "I have read the Code of Conduct and agree to follow it."
SIGNATURE = "Type your full name to sign"


def choose_option(page: Page, label: str, option: str) -> None:
    """Open the select box or multiselect labelled `label` and pick `option`, as a person would.

    Works inside and outside forms; in a long list the option's name is typed to find it. The
    choice is checked in the field afterwards (the value of a select box, a tag of a multiselect)
    and made again if it did not take: a click that lands while Streamlit re-renders (right after
    a page switch, or while it blurs a field Playwright filled a millisecond before) can be
    swallowed, which a person pausing between fields never sees. A multiselect keeps its list
    open after a choice: Escape closes it. Escape is never pressed on a single select box: on a
    closed one it clears the choice (react-aria ComboBox).
    """
    combobox = page.get_by_role("combobox", name=label, exact=True)
    options = page.get_by_role("listbox", name=label)
    widget = page.locator("[data-testid='stSelectbox'], [data-testid='stMultiSelect']").filter(
        has=combobox
    )
    multiple = widget.get_attribute("data-testid") == "stMultiSelect"
    tag = widget.locator("[data-tag]").get_by_title(option, exact=True)
    for _attempt in range(3):
        combobox.click()
        try:
            options.wait_for(state="visible", timeout=1_000)
        except PlaywrightTimeoutError:
            continue
        choice = options.get_by_role("option", name=option, exact=True)
        if choice.count() == 0:  # a long list only draws what fits: type to narrow it down
            combobox.press_sequentially(option)
        if choice.get_attribute("aria-selected") != "true":
            choice.click()
        wait_for_app_run(page)
        if multiple and options.is_visible():
            page.keyboard.press("Escape")
            expect(options).to_be_hidden()
        try:
            if multiple:
                expect(tag).to_have_count(1, timeout=2_000)
            else:
                expect(combobox).to_have_value(option, timeout=2_000)
        except AssertionError:
            continue
        return
    raise AssertionError(f"could not choose {option!r} in {label!r} after 3 tries")


def past_first_visit(server: AppServer, browser: Browser) -> AppServer:
    """The server, once some session has run dashboard.py (the `pages/` trap, STREAMLIT_NOTES.md).

    Under plain `streamlit run` a fresh server's first request to a deep link shows "Page not
    found" (python -m commands.start closes that window). Journeys that don't test the trap
    start after it.
    """
    context = browser.new_context()
    try:
        open_app(context.new_page(), server.url("/"))
    finally:
        context.close()
    return server


def card_names(page: Page) -> list[str]:
    """The names on the mentor cards shown (the heading of each card), sorted."""
    headings = page.get_by_test_id("stMain").locator("[class*='st-key-mentor_card_'] h3")
    names = [h.inner_text().replace("\u2060", "").split(" (")[0].strip() for h in headings.all()]
    return sorted(names)


def search_directory(page: Page, text: str) -> None:
    """Type into the directory's search box and press Enter; wait for the results."""
    box = page.get_by_label("Search by name, job title, company or bio", exact=True)
    box.fill(text)
    box.press("Enter")
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(box).to_have_value(text)


def go_to(page: Page, title: str) -> None:
    """Follow the sidebar menu to the page called `title` (same session, as a person would)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    wait_for_app_run(page)
    assert_no_exception(page)


def tick(page: Page, label: str) -> None:
    """Tick the checkbox labelled `label` by clicking its label, as a person would.

    (Streamlit draws its own box over the real input, so the input itself can't be clicked.)
    """
    box = page.get_by_role("checkbox", name=label, exact=True)
    if not box.is_checked():
        page.get_by_test_id("stCheckbox").filter(has=box).locator("label").click()
    expect(box).to_be_checked()


def fill_sign_up_form(
    page: Page, *, name: str, email: str, linkedin: str, typed_name: str | None = None
) -> None:
    """Fill every required field of Become a mentor's form and sign it, as a person would.

    `typed_name` is what goes into the signature field (the full name unless given).
    """
    page.get_by_label("Full name", exact=True).fill(name)
    page.get_by_label("Job title or headline", exact=True).fill("Senior Copywriter")
    choose_option(page, "Seniority", "Senior")
    choose_option(page, "Disciplines", "Creative / copywriting")
    choose_option(page, "Disciplines", "Brand marketing")
    choose_option(page, "Country", "France")
    choose_option(page, "Languages you can mentor in", "French")
    choose_option(page, "What you offer mentees", "Portfolio / book reviews")
    page.get_by_label("LinkedIn profile address", exact=True).fill(linkedin)
    page.get_by_label("Email (never shown publicly)", exact=True).fill(email)
    tick(page, AGREEMENT)
    page.get_by_label(SIGNATURE, exact=True).fill(name if typed_name is None else typed_name)
