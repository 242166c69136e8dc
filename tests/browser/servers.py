"""The app's own server, started as the README starts it (`python -m commands.start`: st.App
around dashboard.py with our routes, headers and compression), on a free port, over a SQLite file
of its own (see conftest.py). The second factor is not required unless a test asks for it
(`env={"REQUIRE_SECOND_FACTOR": "1"}`)."""

from __future__ import annotations

import contextlib
import os
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
from sqlalchemy.orm import Session, sessionmaker

from models.db import PROJECT_ROOT, make_engine, make_session_factories, migrate

SERVER_START_TIMEOUT_S = 60.0
SERVER_STOP_TIMEOUT_S = 10.0

Seed = Callable[[Session], Any]


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


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(  # noqa: S310 - a fixed http URL on localhost
            f"http://127.0.0.1:{port}/_stcore/health", timeout=2
        ) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def stop_process(process: subprocess.Popen[bytes]) -> None:
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


# On top of the inherited environment: what every test server gets unless the test overrides it.
DEFAULT_ENV = {"REQUIRE_SECOND_FACTOR": "0"}


def _start_server(
    port: int, env: Mapping[str, str], args: Sequence[str], log_path: Path
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "commands.start",
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
        if healthy(port):
            return True
        time.sleep(0.1)
    log = log_path.read_text(errors="replace")
    raise TimeoutError(
        f"the server did not answer ok on /_stcore/health within {SERVER_START_TIMEOUT_S:.0f} s."
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
    """`python -m commands.start` on a free port over a new SQLite database under `directory`.

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
    added_env = {"DATABASE_URL": database_url, "MAIL_DIR": str(directory / "mail"), **DEFAULT_ENV,
                 **(env or {})}  # fmt: skip
    server_env = {**os.environ, **added_env}
    log_path = directory / "streamlit.log"
    process: subprocess.Popen[bytes] | None = None
    try:
        for _attempt in range(3):  # another process may grab the free port before the server does
            port = free_port()
            process = _start_server(port, server_env, args, log_path)
            if _wait_until_healthy(process, port, log_path):
                break
            stop_process(process)
        else:
            raise RuntimeError(
                f"the server kept exiting.\n--- server log ---\n{log_path.read_text()}"
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
            stop_process(process)
        engine.dispose()


StartServer = Callable[..., AppServer]


@contextlib.contextmanager
def server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
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
