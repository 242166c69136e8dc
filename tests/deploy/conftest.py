"""Two app processes on PostgreSQL behind nginx, on loopback ports, for the deploy tests.

- `two_processes` (module): a fresh PostgreSQL schema (dropped afterwards), migrated and seeded,
  served by `python -m commands.serve --processes 2` with a cookie secret made for the test (and,
  as in the browser tests, no second factor required: REQUIRE_SECOND_FACTOR=0).
- `proxy` (module): Debian's nginx with deploy/nginx.conf.in rendered for those two ports
  (`commands.nginx_conf.render`, the same code as production), inside a small nginx.conf of the
  test's own that logs, for every request, the routing key and the process that served it.

Tests that start processes ask for `deploy_prerequisites`: skipped without TEST_DATABASE_URL. A missing nginx skips too, except under REQUIRE_BROWSER=1
(CI), where it fails, like a missing Chromium. The page helpers are the browser tests'
(tests/browser/servers.py and steps.py), imported, not copied; Chromium runs on a thread of its own
(`in_chromium`), since the browser tests' Playwright holds the main thread's for the whole run.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psutil
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from commands.nginx_conf import local_upstreams, render
from models.db import PROJECT_ROOT, make_engine, make_session_factories, migrate
from tests.browser.chromium import CHROMIUM_ARGS, browser_executable
from tests.browser.servers import DEFAULT_ENV, free_port, healthy, stop_process
from tests.browser.steps import RUN_TIMEOUT_MS, save_screenshot
from tests.conftest import TEST_DATABASE_URL, postgres_schema_url

START_TIMEOUT_S = 60.0
# One line per request: the routing key, the process that served it, what was asked.
LOG_FORMAT = "'$wan_route $upstream_addr $status \"$request_method $uri\"'"


def nginx_executable() -> str:
    """Debian's nginx; skips (or, with REQUIRE_BROWSER=1, fails) when it is missing."""
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else "")
    if path:
        return path
    message = (
        "nginx not found: the deploy tests need it. Install it with `apt-get install -y nginx`."
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} REQUIRE_BROWSER=1 is set, so this is an error.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """As in the browser tests, but asked for only by tests that drive a browser."""
    return browser_executable()


T = TypeVar("T")
InBrowser = Callable[[Callable[[Browser], T]], T]


@pytest.fixture(scope="module")
def in_chromium(chromium_path: str) -> Iterator[InBrowser[Any]]:
    """Run a journey in a Chromium of the deploy tests' own, on a thread of their own.

    Playwright's sync API allows one instance per thread, and the browser tests' session-wide
    Chromium holds the main thread's for the whole run; so these tests start theirs on another
    thread, and every step of a journey runs there: `in_chromium(lambda browser: ...)`.
    """
    thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="deploy-chromium")
    running: dict[str, Any] = {}

    def start() -> None:
        running["playwright"] = sync_playwright().start()
        running["browser"] = running["playwright"].chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS
        )

    def stop() -> None:
        running["browser"].close()
        running["playwright"].stop()

    thread.submit(start).result()
    try:
        yield lambda journey: thread.submit(journey, running["browser"]).result()
    finally:
        thread.submit(stop).result()
        thread.shutdown()


@contextlib.contextmanager
def browser_page(
    browser: Browser, name: str, *, route: tuple[str, str] | None = None
) -> Iterator[Page]:
    """A fresh context and page, with a routing cookie (name, value) for `route`'s base URL if
    given; on failure a screenshot goes to test-artifacts/failures/deploy-<name>.png."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    if route is not None:
        cookie, base_url = route
        key, value = cookie.split("=", 1)
        context.add_cookies([{"name": key, "value": value, "url": base_url}])
    page = context.new_page()
    try:
        yield page
    except BaseException:
        with contextlib.suppress(Exception):
            save_screenshot(page, f"failures/deploy-{name}")
        raise
    finally:
        context.close()


@pytest.fixture(scope="session")
def deploy_prerequisites() -> None:
    """PostgreSQL and nginx, checked before anything is started."""
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set: the deploy tests need PostgreSQL")
    nginx_executable()


@dataclass
class Processes:
    database_url: str
    ports: list[int]
    pids: list[int]
    writer: sessionmaker[Session] = field(repr=False)
    seeded: Any = None
    mail_dir: Path | None = None  # where both processes write their mail (.eml files)

    def connections(self) -> dict[int, int]:
        """Established connections on each app port (nginx holds only websockets open)."""
        counts = dict.fromkeys(self.ports, 0)
        for connection in psutil.net_connections("tcp"):
            if connection.status == psutil.CONN_ESTABLISHED and connection.laddr.port in counts:
                counts[connection.laddr.port] += 1
        return counts


def _consecutive_free_ports() -> int:
    for _ in range(50):
        first = free_port()
        with contextlib.suppress(OSError):
            import socket

            with socket.socket() as probe:
                probe.bind(("127.0.0.1", first + 1))
            return first
    raise RuntimeError("no two consecutive free ports")


@contextlib.contextmanager
def fresh_schema() -> Iterator[str]:
    """A new PostgreSQL schema as a database URL, dropped afterwards (as tests/conftest.py does)."""
    schema = f"test_deploy_{uuid.uuid4().hex[:10]}"
    admin = make_engine(TEST_DATABASE_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield postgres_schema_url(TEST_DATABASE_URL, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextlib.contextmanager
def serve_two(directory: Path, seed: Any) -> Iterator[Processes]:
    """Migrate and seed a fresh schema, then `python -m commands.serve --processes 2` on it."""
    with fresh_schema() as url:
        engine = make_engine(url)
        migrate(engine)
        writer = make_session_factories(engine)[1]
        with writer.begin() as session:
            seeded = seed(session)
        first = _consecutive_free_ports()
        env = {**os.environ, "DATABASE_URL": url, "MAIL_DIR": str(directory / "mail"), **DEFAULT_ENV,
               "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32)}  # fmt: skip
        log = directory / "serve.log"
        with log.open("ab") as out:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
                [sys.executable, "-m", "commands.serve", "--processes", "2",
                 "--first-port", str(first)],
                cwd=PROJECT_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        try:
            ports = [first, first + 1]
            deadline = time.monotonic() + START_TIMEOUT_S
            while not all(healthy(port) for port in ports):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the app processes did not start:\n{log.read_text()}")
                time.sleep(0.2)
            pids = [child.pid for child in psutil.Process(process.pid).children()]
            yield Processes(url, ports, pids, writer, seeded, mail_dir=directory / "mail")
        finally:
            stop_process(process)
            engine.dispose()


@dataclass
class Proxy:
    base_url: str
    port: int
    access_log: Path
    upstreams: dict[str, int]  # "127.0.0.1:PORT" -> port

    def url(self, path: str = "/") -> str:
        return self.base_url + "/" + path.lstrip("/")

    def routes(self) -> list[tuple[str, int, str]]:
        """(routing key, app port, request) for every request nginx has logged so far."""
        out = []
        for line in self.access_log.read_text().splitlines():
            key, upstream, _status, request = line.split(" ", 3)
            if upstream in self.upstreams:
                out.append((key, self.upstreams[upstream], request.strip('"')))
        return out


def nginx_conf(directory: Path, snippet: Path, access_log: Path) -> str:
    """A whole nginx.conf around the rendered snippet: everything under `directory`."""
    temp = "\n".join(f"    {kind}_temp_path {directory / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))  # fmt: skip
    return f"""worker_processes 1;
pid {directory / "nginx.pid"};
events {{ worker_connections 512; }}
http {{
    log_format wan_routes {LOG_FORMAT};
    access_log {access_log} wan_routes;
{temp}
    include {snippet};
}}
"""


@contextlib.contextmanager
def run_nginx(directory: Path, ports: list[int]) -> Iterator[Proxy]:
    listen = free_port()
    snippet = directory / "we-are-next-mentors.conf"
    snippet.write_text(render(local_upstreams(len(ports), ports[0]), listen=f"127.0.0.1:{listen}"))
    access_log = directory / "access.log"
    access_log.touch()
    conf = directory / "nginx.conf"
    conf.write_text(nginx_conf(directory, snippet, access_log))
    command = [nginx_executable(), "-p", str(directory), "-c", str(conf),
               "-e", str(directory / "error.log"), "-g", "daemon off;"]  # fmt: skip
    check = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True)  # noqa: S603
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(command, start_new_session=True)  # noqa: S603 - Debian's nginx
    try:
        deadline = time.monotonic() + 20
        while not healthy(listen):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((directory / "error.log").read_text())
            time.sleep(0.1)
        yield Proxy(f"http://127.0.0.1:{listen}", listen, access_log,
                    {f"127.0.0.1:{port}": port for port in ports})  # fmt: skip
    finally:
        stop_process(process)
