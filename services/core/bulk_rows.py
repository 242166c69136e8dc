"""Rows written many at a time with ids chosen beforehand: what the lifecycles' bulk paths share.

`listing_batch.ListingBatch` and `report_lifecycle.ReportBatch` make each move with their
door's own check and row builders, keep the rows here (`MoveBatch`), then write them in one go.
Ids are handed out before the rows exist (a report event names the listing event that resolved
it), so a batch is for filling a database nobody else writes to meanwhile: sample data and
benchmarks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from models import Base
from services.audit import audit_log

RowT = TypeVar("RowT")


class IdCounter:
    """The next ids of one table, counted from its highest one when first asked."""

    def __init__(self, session: Session, model: type[Base]) -> None:
        self.session, self.model = session, model
        self._next: int | None = None

    def take(self) -> int:
        if self._next is None:
            column = self.model.__table__.c.id
            self._next = int(self.session.scalar(select(func.max(column))) or 0) + 1
        taken, self._next = self._next, self._next + 1
        return taken


class MoveBatch(Generic[RowT]):
    """What a lifecycle's batch keeps until it writes: each row as its moves leave it (a copy, by
    id), the columns of rows made here, and each move's event row (with its id) and audit row.
    `audit=False` leaves the audit rows out (a benchmark that never reads them)."""

    def __init__(self, session: Session, model: type[Base], events: type[Base],
                 state: tuple[str, ...], *, audit: bool = True) -> None:  # fmt: skip
        self.session, self.events_model, self.state, self.audit = session, events, state, audit
        self.ids, self.event_ids = IdCounter(session, model), IdCounter(session, events)
        self.forget()

    def forget(self) -> None:
        """Start empty (after writing)."""
        self.rows: dict[int, RowT] = {}
        self._new: dict[int, dict[str, Any]] = {}
        self._moved: set[int] = set()
        self._events: list[dict[str, Any]] = []
        self._audit: list[dict[str, Any]] = []

    def add(self, row: RowT, row_id: int, columns: dict[str, Any]) -> None:
        """A row made here: its copy, and the columns it is inserted with (besides its state)."""
        self.rows[row_id], self._new[row_id] = row, columns

    def keep(self, row_id: int, event: dict[str, Any], audit: dict[str, Any]) -> int:
        """Keep one move's event and audit rows; the event's id."""
        event_id = self.event_ids.take()
        self._moved.add(row_id)
        self._events.append({"id": event_id, **event})
        if self.audit:
            self._audit.append(audit)
        return event_id

    def moved_rows(self) -> list[dict[str, Any]]:
        """The state columns of each row moved here that was not made here, by id."""
        return [self._state(i) for i in sorted(self._moved) if i not in self._new]

    def take_new_rows(self) -> list[dict[str, Any]]:
        """The rows made here, each with its state as its moves left it (given out once)."""
        rows = [columns | self._state(i) for i, columns in self._new.items()]
        self._new = {}
        return rows

    def _state(self, row_id: int) -> dict[str, Any]:
        return {"id": row_id, **{name: getattr(self.rows[row_id], name) for name in self.state}}

    def write_history(self) -> int:
        """Insert the events and audit rows kept, in this transaction; how many moves."""
        insert_rows(self.session, self.events_model, self._events)
        continue_sequence(self.session, self.events_model)
        audit_log.record_many(self.session, self._audit)
        count = len(self._events)
        self._events, self._audit = [], []
        return count


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows that all name the same columns: one Core executemany on the model's table
    (without the ORM's work per row, which a bulk path doesn't need)."""
    if rows:
        session.execute(insert(model.__table__), list(rows))  # type: ignore[arg-type]


def continue_sequence(session: Session, model: type[Base]) -> None:
    """After explicit ids, PostgreSQL's sequence must go on from the highest (SQLite does)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    table = model.__tablename__
    session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                         f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))  # fmt: skip


def rows_changed(result: Any) -> int:
    """How many rows an UPDATE or DELETE changed (its result's rowcount)."""
    return int(getattr(result, "rowcount", 0) or 0)
