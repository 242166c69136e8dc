"""The engine and session factory, and schema migration: one engine per process, one session per use case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from models.watchdog import guard

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "we_are_next_mentors.sqlite3"
# A person waits at most about this long for an answer before being told to try again.
SQLITE_BUSY_TIMEOUT_MS = 8_000
POSTGRES_CONNECT_TIMEOUT_S = 3
POSTGRES_STATEMENT_TIMEOUT_MS = 5_000  # the server cancels a statement that runs longer
POSTGRES_LOCK_TIMEOUT_MS = 4_000
# The client gives up on a server that doesn't answer at all (frozen): models/watchdog.py.
POSTGRES_ANSWER_DEADLINE_S = 6.0
POOL_TIMEOUT_S = 8
# What a database that is down, unreachable, locked up or overloaded raises: the edge tells the
# person to try again (ui/actions.py), instead of showing an error box.
DATABASE_FAULTS = (OperationalError, InterfaceError, PoolTimeout)


def default_database_url() -> str:
    """The embedded default: a SQLite file under data/."""
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// spellings and point them at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout, foreign keys and real transactions."""
    url = normalise_database_url(url)
    parsed = make_url(url)
    # Errors never carry the statement's values (emails, search words) into the logs.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    timeouts = (
        f"-c statement_timeout={POSTGRES_STATEMENT_TIMEOUT_MS} "
        f"-c lock_timeout={POSTGRES_LOCK_TIMEOUT_MS} "
        "-c idle_in_transaction_session_timeout=60000 "
        # A statement prepared after 5 runs may get a generic plan that drives from the trigram
        # index whatever the word: 48 ms instead of 7.5 for one repeated search (measured).
        "-c plan_cache_mode=force_custom_plan"
    )
    options = " ".join(filter(None, (str(parsed.query.get("options") or ""), timeouts)))
    parsed = parsed.difference_update_query(["options"])
    connect_args = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S, "options": options}
    connect_args.update(kwargs.pop("connect_args", {}))
    kwargs.setdefault("pool_timeout", POOL_TIMEOUT_S)
    # Sessions of one process read at once: with the default 5 a busy process opened and closed
    # a connection on about one rerun in seven (benchmarks/server_load.py).
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    engine = create_engine(parsed, connect_args=connect_args, **kwargs)
    guard(engine, POSTGRES_ANSWER_DEADLINE_S)  # also pings each connection as it is checked out
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (needed for SAVEPOINT).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Reads of a big directory stay in memory (measured: a rare keyword 1.5x faster).
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MB
        cursor.execute("PRAGMA mmap_size=268435456")  # 256 MB
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock up front, so it waits (busy timeout) instead of failing
        # half-way when another writer got there first; readers never block each other in WAL.
        writes = connection.get_execution_options().get("sqlite_writes", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


class WriteWhileReading(RuntimeError):
    """A session made for reading tried to write: a bug, since the write would be rolled back unseen."""


# What a write starts with, in a statement written as text (compiled ones say what they are).
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "UPSERT", "CREATE", "DROP",
               "ALTER", "TRUNCATE", "GRANT", "REVOKE", "COPY", "VACUUM", "REINDEX")  # fmt: skip


def _refuse_writes(
    connection: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool
) -> None:
    """Before anything reaches the database from a reader: refuse INSERT, UPDATE, DELETE, DDL."""
    if not connection.get_execution_options().get("reads_only"):
        return
    compiled_write = context is not None and (context.isinsert or context.isupdate or context.isdelete)
    if compiled_write or statement.lstrip().upper().startswith(WRITE_VERBS):
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "a write"
        raise WriteWhileReading(
            f"{verb} in a session for reading: it would be rolled back unseen; use a writer"
        )


def make_session_factories(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(reader, writer) session factories; on SQLite the writer begins with BEGIN IMMEDIATE.

    A reader's session refuses to write (WriteWhileReading, raised before the statement is sent,
    the same on both databases): its transaction is always rolled back, so a write there would be
    lost without a word."""
    if not event.contains(engine, "before_cursor_execute", _refuse_writes):
        event.listen(engine, "before_cursor_execute", _refuse_writes)
    reader = sessionmaker(engine.execution_options(reads_only=True), expire_on_commit=False)
    writer = sessionmaker(engine.execution_options(sqlite_writes=True), expire_on_commit=False)
    return reader, writer


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is already there)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # Migrations may rewrite big tables: no client deadline (the server's is lifted in env.py).
    with engine.connect().execution_options(no_deadline=True) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if connection.dialect.name == "sqlite":  # keeps the planner's statistics current
            connection.exec_driver_sql("PRAGMA optimize")
