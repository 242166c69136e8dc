"""The audit log's hash chain: every row carries the SHA-256 of its own content and of the row
before it, so a row changed, deleted or moved by anyone who can write the table shows.

Rows are written by services/audit/audit_log.py as before, and sealed when their transaction
commits (a `before_commit` hook): the sealer takes the chain's lock (a transaction-scoped advisory
lock on PostgreSQL; SQLite's writers are serial already), reads the head, and gives each of the
transaction's rows, in id order, the next position, the head's hash and its own hash. The lock is
held only from there to the commit, while nothing else waits, so appends never deadlock with row
locks, and a unique position makes a fork impossible even if a lock were missed. The write-once
trigger lets a row be sealed once and never changed after (migration 0016).

What is hashed (`canonical`): a JSON array, in this order, of the row's id, position, the hash
before it, its time in UTC (microseconds, "Z"), actor kind, moderator id, actor label, action,
mentor id, report id, reason and detail. The first row follows GENESIS.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, event, select, text, update
from sqlalchemy.orm import Session

from models import AuditEvent

GENESIS = "0" * 64
# pg_advisory_xact_lock key of the chain: the bytes of "audit_ch" (other locks hash their names).
LOCK_ID = int.from_bytes(b"audit_ch", "big")
PENDING = "audit_chain_pending"  # Session.info: this session wrote rows still to seal
SEAL_BATCH = 5_000

CONTENT = (AuditEvent.id, AuditEvent.occurred_at, AuditEvent.actor_kind, AuditEvent.moderator_id,
           AuditEvent.actor_label, AuditEvent.action, AuditEvent.mentor_id, AuditEvent.report_id,
           AuditEvent.reason, AuditEvent.detail)  # fmt: skip


def canonical(row: Mapping[str, Any], *, position: int, previous: str) -> bytes:
    """The bytes a row's hash is taken of (see the module's docstring)."""
    moment: datetime = row["occurred_at"]
    return json.dumps(
        [row["id"], position, previous, moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
         row["actor_kind"], row["moderator_id"], row["actor_label"], row["action"],
         row["mentor_id"], row["report_id"], row["reason"], row["detail"]],
        ensure_ascii=False, separators=(",", ":"),
    ).encode("utf-8")  # fmt: skip


def row_hash(row: Mapping[str, Any], *, position: int, previous: str) -> str:
    return hashlib.sha256(canonical(row, position=position, previous=previous)).hexdigest()


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
    return Head(int(row[0]), int(row[1]), str(row[2]), row[3]) if row else None


def mark_pending(session: Session) -> None:
    """Called by the audit log after writing rows: seal them when this transaction commits."""
    session.info[PENDING] = True


def lock(session: Session) -> None:
    """Hold the chain until this transaction ends (PostgreSQL; SQLite's writers are serial)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:lock_id)"), {"lock_id": LOCK_ID})


def seal(session: Session) -> int:
    """Chain this transaction's unsealed rows after the head, in id order; how many."""
    session.flush()
    pending = _unsealed(session, after_id=0)
    if not pending:
        return 0
    lock(session)
    top = head(session)
    position, previous = (top.position, top.row_hash) if top else (0, GENESIS)
    sealed = 0
    while pending:
        values = []
        for row in pending:
            position += 1
            digest = row_hash(row, position=position, previous=previous)
            values.append({"row_id": row["id"], "seq": position, "prev": previous, "hash": digest})
            previous = digest
        _write_seals(session, values)
        sealed += len(values)
        pending = _unsealed(session, after_id=pending[-1]["id"])
    return sealed


def _unsealed(session: Session, *, after_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(*CONTENT)
        .where(AuditEvent.chain_seq.is_(None), AuditEvent.id > after_id)
        .order_by(AuditEvent.id)
        .limit(SEAL_BATCH)
    ).mappings()
    return [dict(row) for row in rows]


def _write_seals(session: Session, values: Sequence[dict[str, Any]]) -> None:
    statement = (
        update(AuditEvent)
        .where(AuditEvent.id == bindparam("row_id"))
        .values(chain_seq=bindparam("seq"), prev_hash=bindparam("prev"), row_hash=bindparam("hash"))
    )
    session.connection().execute(statement, list(values))


@event.listens_for(Session, "before_commit")
def _seal_before_commit(session: Session) -> None:
    if session.info.pop(PENDING, False):
        seal(session)
