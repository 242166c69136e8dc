"""Several reads at once that all see the database as of one moment.

A page that shows many figures side by side (the trends) reads them on a few threads, each in a
session of its own. Read in separate transactions, two figures could straddle a sign-up and
disagree (the listed-mentors count against the table of who is listed). So the sessions share one
snapshot:

- PostgreSQL: the first session opens a REPEATABLE READ transaction and exports its snapshot
  (`pg_export_snapshot()`); the others open theirs on it (`SET TRANSACTION SNAPSHOT`), as
  `pg_dump --jobs` does. Every statement of every session sees the same committed rows.
- SQLite (WAL): a read transaction's snapshot is fixed by its first read. The sessions take
  their first reads while one connection holds the write lock (`BEGIN IMMEDIATE`), so no writer
  can commit in between; the lock is released at once, before the real reads start.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")


@contextmanager
def snapshot_sessions(engine: Engine, count: int) -> Iterator[list[Session]]:
    """`count` read-only sessions on `engine` that all see one moment of the database."""
    readers = engine.execution_options(sqlite_writes=False)
    with ExitStack() as stack:
        sessions = [stack.enter_context(Session(bind=readers)) for _ in range(max(count, 1))]
        if engine.dialect.name == "postgresql":
            _share_postgres_snapshot(sessions)
        else:
            _take_sqlite_snapshots(engine, sessions)
        yield sessions


def _share_postgres_snapshot(sessions: list[Session]) -> None:
    lead, *others = sessions
    lead.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    snapshot = str(lead.scalar(text("SELECT pg_export_snapshot()")))
    if not SNAPSHOT_ID.fullmatch(snapshot):  # it goes into SQL as a literal: only what PG makes
        raise ValueError("unexpected snapshot id")
    for session in others:
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        session.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))


def _take_sqlite_snapshots(engine: Engine, sessions: list[Session]) -> None:
    if len(sessions) == 1:  # one transaction is one snapshot already
        sessions[0].execute(text("SELECT 1 FROM sqlite_schema LIMIT 1"))
        return
    with engine.execution_options(sqlite_writes=True).connect() as barrier:
        barrier.begin()  # BEGIN IMMEDIATE: no other writer commits until the rollback below
        for session in sessions:
            session.execute(text("SELECT 1 FROM sqlite_schema LIMIT 1"))
        barrier.rollback()


def read_all(
    session: Session, reads: Mapping[str, Callable[[Session], Any]], *, workers: int
) -> dict[str, Any]:
    """Each read's result, by name.

    With one worker, in order on `session` (one transaction: its isolation is the caller's).
    With more, `workers` reads at a time, each worker taking the next read as it finishes one, in
    sessions of their own on `session`'s engine that share one snapshot (`session` itself is not
    read from). On SQLite, a `session` already in a transaction is read from alone: it is one
    snapshot already, and it may hold the write lock that sharing a snapshot briefly takes.
    """
    engine = session.get_bind().engine
    if workers <= 1 or (engine.dialect.name == "sqlite" and session.in_transaction()):
        return {name: read(session) for name, read in reads.items()}
    pending = iter(list(reads.items()))
    taking = threading.Lock()
    results: dict[str, Any] = {}

    def drain(on: Session) -> None:
        while True:
            with taking:
                item = next(pending, None)
            if item is None:
                return
            name, read = item
            results[name] = read(on)

    with (
        snapshot_sessions(engine, workers) as (lead, *others),
        ThreadPoolExecutor(len(others), thread_name_prefix="snapshot-read") as pool,
    ):
        helpers = [pool.submit(drain, other) for other in others]
        try:
            drain(lead)
        finally:
            errors = [h.exception() for h in helpers]
    for error in errors:
        if error is not None:
            raise error
    return results
