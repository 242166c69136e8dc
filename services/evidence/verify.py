"""Walk the audit log's hash chain and name the first row that doesn't match.

The walk reads the chain in positions, a batch per short read (keyset: nothing is held open while
it runs, and rows appended meanwhile are simply walked too): each row must come at the next
position, name the hash of the row before it, and hash to its own hash. A row changed shows at
that row, a row deleted at the row after the gap, two rows swapped at the first of them (the
id is hashed too). Afterwards, a committed row without a position (written past the chain) is
named as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEvent, ScheduledJob
from services.evidence.chain import CONTENT, GENESIS, Head, head, row_hash, seal_committed
from services.mail import outbox
from services.mail.templates import Kind

BATCH = 20_000


@dataclass(frozen=True)
class Verdict:
    intact: bool
    rows_checked: int
    head: Head | None  # the last row that matched
    row_id: int | None = None  # the first row that doesn't match
    problem: str | None = None

    def describe(self) -> str:
        if not self.intact:
            return f"The audit log's chain is broken at row {self.row_id}: {self.problem}"
        if self.head is None:
            return "The audit log is empty: nothing to verify."
        return (f"The audit log's chain is intact: {self.rows_checked:,} rows, head at position "
                f"{self.head.position:,} (row {self.head.row_id}, SHA-256 {self.head.row_hash}).")  # fmt: skip


def verify(reader: sessionmaker[Session], *, batch: int = BATCH) -> Verdict:
    """Check the whole chain, reading `batch` rows at a time in separate short reads."""
    position, previous, last, checked = 0, GENESIS, None, 0
    while True:
        with reader() as session:
            rows = _after(session, position, batch)
        for row in rows:
            problem = _mismatch(row, position=position, previous=previous)
            if problem:
                return Verdict(False, checked, last, row_id=row[0], problem=problem)
            position, previous = row[SEQ], row[HASH]
            checked += 1
        if rows:
            last = Head(position, rows[-1][0], previous, rows[-1][1])
        if len(rows) < batch:
            break
    with reader() as session:
        stray = session.scalar(select(func.min(AuditEvent.id)).where(AuditEvent.chain_seq.is_(None)))
    if stray is not None:
        return Verdict(False, checked, last, row_id=stray,
                       problem="it is not in the chain (it has no position and no hash).")  # fmt: skip
    return Verdict(True, checked, last)


SEQ, PREV, HASH = len(CONTENT), len(CONTENT) + 1, len(CONTENT) + 2  # after the CONTENT columns


def _after(session: Session, position: int, batch: int) -> list[Any]:
    return list(session.execute(
        select(*CONTENT, AuditEvent.chain_seq, AuditEvent.prev_hash, AuditEvent.row_hash)
        .where(AuditEvent.chain_seq > position)
        .order_by(AuditEvent.chain_seq)
        .limit(batch)
    ).all())  # fmt: skip


def _mismatch(row: Any, *, position: int, previous: str) -> str | None:
    """What is wrong with this row, coming after `position` whose hash is `previous`."""
    if row[SEQ] != position + 1:
        return (f"position {position + 1} is missing (the row there was deleted, or moved); this "
                f"row is at position {row[SEQ]}.")  # fmt: skip
    if row[PREV] != previous:
        return (f"at position {row[SEQ]}, it does not name the hash of the row before it "
                "(a row before it was changed, removed or replaced).")  # fmt: skip
    if row_hash(row[:SEQ], position=row[SEQ], previous=previous) != row[HASH]:
        return f"at position {row[SEQ]}, its content no longer matches its hash (it was changed)."
    return None


def seal_and_verify(writer: sessionmaker[Session]) -> Verdict:
    """Seal the committed rows still waiting (a sealer that failed), then walk the chain."""
    seal_committed(writer.kw["bind"], wait=True)
    return verify(reader_of(writer))


def reader_of(writer: sessionmaker[Session]) -> sessionmaker[Session]:
    """Short reads on a writer's engine that never take SQLite's write lock (the clock's job)."""
    bind = writer.kw["bind"]
    return sessionmaker(bind.execution_options(sqlite_writes=False, reads_only=True),
                        expire_on_commit=False)  # fmt: skip


BROKEN = "The audit log's chain is broken"
JOB_NAME = "audit_chain"  # the clock's daily check (services/jobs/catalogue.py)


def check_daily(writer: sessionmaker[Session], *, contact_email: str | None, now: datetime) -> str:
    """The clock's check: verify, and on a break mail the team's contact address (once a day,
    while it stays broken). What it found, for the console (starts with BROKEN on a break)."""
    verdict = seal_and_verify(writer)
    if verdict.intact:
        return verdict.describe()
    if not contact_email:
        return f"{verdict.describe()} No contact address is set, so nobody was mailed."
    with writer.begin() as session:
        outbox.queue(session, kind=Kind.AUDIT_CHAIN_BROKEN, recipient=contact_email, now=now,
                     values={"row": verdict.row_id, "problem": verdict.problem})  # fmt: skip
    return f"{verdict.describe()} The contact address was mailed."


@dataclass(frozen=True)
class ChainStatus:
    """What the console shows: the chain's head now, and the clock's last check of it."""

    head: Head | None
    checked_at: datetime | None
    finding: str | None
    broken: bool


def chain_status(session: Session) -> ChainStatus:
    job = session.get(ScheduledJob, JOB_NAME)
    finding = job.last_detail if job else None
    return ChainStatus(head=head(session), checked_at=job.last_finished_at if job else None,
                       finding=finding, broken=bool(finding and finding.startswith(BROKEN)))  # fmt: skip
