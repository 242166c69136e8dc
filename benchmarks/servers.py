"""The databases and the server processes the load benchmark drives.

- The app's data: N sample mentors, cached between runs. SQLite: a filled file under
  `data/benchmarks/` (copied for each run, so runs never see each other's writes). PostgreSQL: a
  schema named after the size and a digest of the migrations and the sample data code, kept in
  the database (stale ones are dropped); `--fresh-data` rebuilds both.
- The app: `python -m commands.serve` (migrate once, then N processes through the start
  command's `serve()`, legacy `pages/` mode off), on loopback ports.
- The stand-in: `streamlit run floor_app.py` (FLOOR_APP_MODE=db) from ../shared/floor, imported
  from there at run time, never copied; its 100,000-mentor SQLite file is built by its own
  `floor_db.ensure_sqlite` when missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil
from sqlalchemy import text

from benchmarks.directory import fill_all, postgres_schema_url
from models.db import PROJECT_ROOT, make_engine

CACHE_DIR = PROJECT_ROOT / "data" / "benchmarks"
FLOOR_DIR = (PROJECT_ROOT.parent / "shared" / "floor").resolve()
FLOOR_MENTORS = 100_000  # floor_app.py's db mode always reads this size
START_TIMEOUT_S = 120.0
DATA_CODE = ("migrations/versions", "services/samples/mentors.py", "services/listings/owner.py",
             "services/listings/profile_fields.py", "services/directory/keywords.py",
             "services/listings/listing_lifecycle.py", "services/audit/audit_log.py",
             "services/core/bulk_rows.py", "services/core/matching.py", "models")  # fmt: skip


def data_key(mentors: int, seed: int) -> str:
    """Names one filled database: its size, seed, and the code that shaped its rows."""
    digest = hashlib.sha256()
    for entry in DATA_CODE:
        path = PROJECT_ROOT / entry
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return f"{mentors}_{seed}_{digest.hexdigest()[:10]}"


def _populated(url: str, mentors: int) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM mentors")).scalar_one() == mentors
    except Exception:  # noqa: BLE001 - missing table or schema: not populated
        return False
    finally:
        engine.dispose()


def prepare_data(
    mentors: int, seed: int, postgres_url: str | None, *, fresh: bool, log=print
) -> tuple[Path, str | None]:
    """The cached SQLite file and PostgreSQL schema URL, filled (in parallel) when missing."""
    key = data_key(mentors, seed)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    sqlite_file = CACHE_DIR / f"server_load_{key}.sqlite3"
    schema = f"bench_load_{key}"
    pg_url = postgres_schema_url(postgres_url, schema) if postgres_url else None
    jobs = []
    if fresh or not sqlite_file.exists():
        for stale in CACHE_DIR.glob(f"server_load_{mentors}_{seed}_*.sqlite3*"):
            stale.unlink()
        jobs.append(f"sqlite:///{sqlite_file}.partial")
    if postgres_url and (fresh or not _populated(pg_url, mentors)):
        _reset_schemas(postgres_url, mentors, seed, schema)
        jobs.append(pg_url)
    if jobs:
        log(f"# filling {len(jobs)} database(s) with {mentors:,} sample mentors (cached after) ...")
        started = time.perf_counter()
        fill_all([(url, mentors) for url in jobs], seed, [], parallel=True)
        log(f"# filled in {time.perf_counter() - started:.0f} s")
        if not sqlite_file.exists():
            Path(f"{sqlite_file}.partial").replace(sqlite_file)
    return sqlite_file, pg_url


def _reset_schemas(postgres_url: str, mentors: int, seed: int, schema: str) -> None:
    """Drop this size's benchmark schemas (stale or half-filled) and create `schema` empty."""
    admin = make_engine(postgres_url)
    try:
        with admin.begin() as connection:
            names = connection.execute(
                text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :pattern"),
                {"pattern": f"bench_load_{mentors}_{seed}_%"},
            ).scalars()
            for name in list(names):
                connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        admin.dispose()


def copy_sqlite(cached: Path, directory: Path) -> str:
    """A private copy of the cached file for this run, as a database URL."""
    target = directory / "app.sqlite3"
    shutil.copyfile(cached, target)
    return f"sqlite:///{target}"


# --- processes -----------------------------------------------------------------------------------


@dataclass
class Servers:
    """Some server processes of one kind, listening on `ports`."""

    name: str
    ports: list[int]
    processes: list[psutil.Process]  # the ones that serve (their CPU is what is measured)
    popen: list[subprocess.Popen[bytes]]


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:  # noqa: S310
            return r.read().strip() == b"ok"
    except OSError:
        return False


def _wait(ports: Sequence[int], popen: Sequence[subprocess.Popen[bytes]], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not all(healthy(p) for p in ports):
        if any(p.poll() is not None for p in popen) or time.monotonic() > deadline:
            raise RuntimeError(
                f"servers on {list(ports)} did not start:\n{log_path.read_text()[-3000:]}"
            )
        time.sleep(0.2)


def _stop(popen: Sequence[subprocess.Popen[bytes]]) -> None:
    for process in popen:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in popen:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _spawn(
    command: list[str], cwd: Path, env: dict[str, str], log_path: Path
) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        return subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


@contextlib.contextmanager
def app_servers(
    database_url: str,
    processes: int,
    first_port: int,
    log_path: Path,
    streamlit_args: Sequence[str] = (),
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[Servers]:
    """`python -m commands.serve --processes N` on loopback, with a cookie secret for this run
    (and `extra_env`, e.g. an SMTP_URL)."""
    env = {**os.environ, "DATABASE_URL": database_url, "MAIL_DIR": str(log_path.parent / "mail"),
           "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32), **(extra_env or {})}  # fmt: skip
    command = [sys.executable, "-m", "commands.serve", "--processes", str(processes),
               "--first-port", str(first_port), "--address", "127.0.0.1", *streamlit_args]  # fmt: skip
    popen = [_spawn(command, PROJECT_ROOT, env, log_path)]
    ports = list(range(first_port, first_port + processes))
    try:
        _wait(ports, popen, log_path)
        children = psutil.Process(popen[0].pid).children()
        yield Servers("app", ports, children, popen)
    finally:
        _stop(popen)


def floor_available() -> bool:
    return (FLOOR_DIR / "floor_app.py").is_file() and (FLOOR_DIR / "floor_db.py").is_file()


def ensure_floor_data(log=print) -> None:
    """Build the stand-in's 100,000-mentor SQLite file with its own code, if it is missing."""
    probe = f"import floor_db, os; print(os.path.exists(floor_db.sqlite_path({FLOOR_MENTORS})))"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    found = subprocess.run([sys.executable, "-c", probe], cwd=FLOOR_DIR, env=env,  # noqa: S603
                           capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    if found != "True":
        log("# building the stand-in's data file with ../shared/floor/floor_db.py (~1 min) ...")
        build = f"import floor_db; floor_db.ensure_sqlite({FLOOR_MENTORS})"
        subprocess.run([sys.executable, "-c", build], cwd=FLOOR_DIR, env=env, check=True)  # noqa: S603


@contextlib.contextmanager
def standin_servers(
    processes: int, first_port: int, log_path: Path, streamlit_args: Sequence[str] = (),
    mode: str = "db",
) -> Iterator[Servers]:
    """`streamlit run floor_app.py` `processes` times, as server_floor.py starts it.

    `mode` is its FLOOR_APP_MODE: "db" reads the 100,000-mentor file, "bare" an in-memory list.
    """
    env = {**os.environ, "FLOOR_APP_MODE": mode, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DATABASE_URL", None)
    popen = []
    ports = list(range(first_port, first_port + processes))
    try:
        for port in ports:
            command = [sys.executable, "-m", "streamlit", "run", str(FLOOR_DIR / "floor_app.py"),
                       "--server.port", str(port), "--server.address", "127.0.0.1",
                       "--server.headless", "true", "--browser.gatherUsageStats", "false",
                       "--server.fileWatcherType", "none", *streamlit_args]  # fmt: skip
            popen.append(_spawn(command, FLOOR_DIR, env, log_path))
        _wait(ports, popen, log_path)
        yield Servers("stand-in", ports, [psutil.Process(p.pid) for p in popen], popen)
    finally:
        _stop(popen)
