"""The audit log's hash chain: every row carries the SHA-256 of its own content and of the row
before it, so a row changed, deleted or moved by anyone who can write the table shows.

Rows are written by services/audit/audit_log.py as before, unsealed, and sealed when their
transaction commits: each is given, in id order, the next position, the hash of the row before
it and its own hash, under the chain's lock, from the head read under that lock. On PostgreSQL,
where writers commit side by side, that happens right after the commit, in a short transaction
of the sealer's own (an `after_transaction_end` hook) that takes a transaction-scoped advisory
lock and seals every committed row still waiting: no transaction holds the lock while it works,
waits for a row lock or commits, and one sealer seals what several writers committed. On SQLite,
whose writers hold the only write lock until they commit anyway, it happens just before the
commit, in the writer's own transaction. A unique position makes a fork impossible even if a
lock were missed. The write-once trigger lets a row be sealed once and never changed after
(migration 0016). Rows a sealer could not seal (the database went away in between) are sealed
by the next one, or by the clock's daily check.

What is hashed (`canonical`): a JSON array, in this order, of the row's id, position, the hash
before it, its time in UTC (microseconds, "Z"), actor kind, moderator id, actor label, action,
mentor id, report id, reason and detail. The first row follows GENESIS.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Text,
    bindparam,
    event,
    exists,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import Pool

from models import AuditEvent
from models.db import DATABASE_FAULTS

log = logging.getLogger("wan.audit_chain")

GENESIS = "0" * 64
# pg_advisory_xact_lock key of the chain: the bytes of "audit_ch" (other locks hash their names).
LOCK_ID = int.from_bytes(b"audit_ch", "big")
PENDING = "audit_chain_pending"  # Session.info: this transaction wrote rows still to seal
SEAL_NEXT = "audit_chain_seal_next"  # Session.info: committed; seal once the connection is back
SEAL_BATCH = 5_000
# The running sealer thread of each engine's pool, by its wake-up (services/evidence/sealer.py).
SEALERS: dict[Pool, Callable[[], None]] = {}
MAX_ROUNDS = 20  # a sealer looks again after its commit, while others keep committing rows

CONTENT = (AuditEvent.id, AuditEvent.occurred_at, AuditEvent.actor_kind, AuditEvent.moderator_id,
           AuditEvent.actor_label, AuditEvent.action, AuditEvent.mentor_id, AuditEvent.report_id,
           AuditEvent.reason, AuditEvent.detail)  # fmt: skip


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def canonical(content: Sequence[Any], *, position: int, previous: str) -> bytes:
    """The bytes a row's hash is taken of (see the module's docstring); `content` holds the
    row's CONTENT columns, in that order."""
    row_id, moment, *rest = content
    when = moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return _ENCODER.encode([row_id, position, previous, when, *rest]).encode("utf-8")


def row_hash(content: Sequence[Any], *, position: int, previous: str) -> str:
    return hashlib.sha256(canonical(content, position=position, previous=previous)).hexdigest()


@dataclass(frozen=True)
class Head:
    """The chain's last row: its position (the number of rows chained), id, hash and time."""

    position: int
    row_id: int
    row_hash: str
    occurred_at: datetime


def head(session: Session) -> Head | None:
    """The chain's head as this transaction sees it; None before the first row."""
    row = session.execute(
        select(AuditEvent.chain_seq, AuditEvent.id, AuditEvent.row_hash, AuditEvent.occurred_at)
        .where(AuditEvent.chain_seq.is_not(None))
        .order_by(AuditEvent.chain_seq.desc())
        .limit(1)
    ).first()
    return Head(int(row[0] or 0), int(row[1]), str(row[2]), row[3]) if row else None


def mark_pending(session: Session) -> None:
    """Called by the audit log after writing rows: seal them once this transaction commits."""
    session.info[PENDING] = True


def lock(session: Session) -> None:
    """Hold the chain until this transaction ends (PostgreSQL; SQLite's writers are serial)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:lock_id)"), {"lock_id": LOCK_ID})


def seal(session: Session) -> int:
    """Chain every unsealed row this transaction sees after the head, in id order; how many.
    The caller commits (the chain's lock is held until then)."""
    session.flush()
    pending = _unsealed(session, after_id=0)
    if not pending:  # the usual case when called without rows of its own: no lock taken
        return 0
    if session.get_bind().dialect.name == "postgresql":
        lock(session)
        pending = _unsealed(session, after_id=0)  # another sealer may have sealed some meanwhile
    return _seal_locked(session, pending)


def _seal_locked(session: Session, pending: list[Sequence[Any]]) -> int:
    top = head(session)  # read under the lock: the previous holder's rows are committed
    position, previous = (top.position, top.row_hash) if top else (0, GENESIS)
    sealed = 0
    while pending:
        values = []
        for row in pending:
            position += 1
            digest = row_hash(row, position=position, previous=previous)
            values.append({"row_id": row[0], "seq": position, "prev": previous, "hash": digest})
            previous = digest
        _write_seals(session, values)
        sealed += len(values)
        pending = _unsealed(session, after_id=pending[-1][0]) if len(pending) == SEAL_BATCH else []
    return sealed


def seal_committed(bind: Engine, *, wait: bool = False) -> int:
    """Seal the committed rows still waiting, in short transactions of their own; how many.

    Without `wait` (right after a commit) a sealer that finds the lock taken leaves its rows to
    the one holding it, which looks again once it has committed and seals what came meanwhile:
    no writer queues behind another's seal, and no committed row is left behind."""
    sealed = 0
    for _ in range(MAX_ROUNDS):
        # SQLite: BEGIN IMMEDIATE, as every writer (models/db.py)
        with Session(bind=bind.execution_options(sqlite_writes=True)) as session, session.begin():
            if not _lock_if_unsealed(session, wait=wait):
                return sealed
            sealed += _seal_locked(session, _unsealed(session, after_id=0))
    return sealed


def _lock_if_unsealed(session: Session, *, wait: bool) -> bool:
    """Whether rows wait to be sealed and this transaction now holds the chain's lock to seal
    them (on PostgreSQL, one round trip: the usual answer is "nothing waits")."""
    waiting = exists().where(AuditEvent.chain_seq.is_(None))
    if session.get_bind().dialect.name != "postgresql":
        return bool(session.scalar(select(waiting)))
    take = func.pg_advisory_xact_lock if wait else func.pg_try_advisory_xact_lock
    if wait:  # a blocking lock returns void: taken once the row comes back
        return session.execute(select(take(LOCK_ID).cast(Text)).where(waiting)).first() is not None
    return bool(session.scalar(select(take(LOCK_ID)).where(waiting)))


def _unsealed(session: Session, *, after_id: int, limit: int = SEAL_BATCH) -> list[Sequence[Any]]:
    """Rows without a position, in id order: their CONTENT columns."""
    return list(session.execute(
        select(*CONTENT)
        .where(AuditEvent.chain_seq.is_(None), AuditEvent.id > after_id)
        .order_by(AuditEvent.id)
        .limit(limit)
    ).all())  # fmt: skip


def _write_seals(session: Session, values: Sequence[dict[str, Any]]) -> None:
    statement = (
        update(AuditEvent)
        .where(AuditEvent.id == bindparam("row_id"))
        .values(chain_seq=bindparam("seq"), prev_hash=bindparam("prev"), row_hash=bindparam("hash"))
    )
    session.connection().execute(statement, list(values))


def _seals_before_commit(bind: Engine | Connection) -> bool:
    """SQLite: a writer holds the database's only write lock until it commits anyway, so its rows
    are sealed in its own transaction, at no extra wait. A session inside a transaction it
    doesn't own (a migration, a test's rolled-back transaction) too: nobody else could see its
    rows to seal them. PostgreSQL's writers commit side by side: theirs are sealed after."""
    return isinstance(bind, Connection) or bind.dialect.name == "sqlite"


@event.listens_for(Session, "before_commit")
def _seal_before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: its rows wait for the real commit
        return
    if _seals_before_commit(session.get_bind()) and session.info.pop(PENDING, False):
        seal(session)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: its rows wait for the real commit
        return
    if session.info.pop(PENDING, False):
        session.info[SEAL_NEXT] = True  # once the connection is back in the pool


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # the whole transaction: its rows are gone
        session.info.pop(PENDING, None)
        session.info.pop(SEAL_NEXT, None)


@event.listens_for(Session, "after_transaction_end")
def _seal_after_commit(session: Session, transaction: SessionTransaction) -> None:
    """Rows committed by a session of the app's engine are sealed right after, in a transaction
    of their own, once the session's connection is back in the pool (a busy pool never waits on
    itself), so no transaction holds the chain's lock while it works or commits. If that fails
    (the database went away meanwhile), the rows wait for the next seal: any later commit's, or
    the clock's daily check."""
    if transaction.parent is not None or not session.info.pop(SEAL_NEXT, False):
        return
    bind = session.get_bind()
    if _seals_before_commit(bind):  # sealed before its commit (above); a Connection's is too
        return
    engine = bind.engine  # an Engine's own
    wake = SEALERS.get(engine.pool)
    if wake is not None:  # this process's sealer seals it, with what others committed
        wake()
        return
    try:
        seal_committed(engine)
    except DATABASE_FAULTS as fault:
        log.warning("audit rows left to seal later: %s", type(fault).__name__)
