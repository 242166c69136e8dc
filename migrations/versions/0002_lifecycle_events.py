"""typed lifecycle history for listings and reports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Adds `listing_events` and `report_events` (append-only, like the audit log) and a version number
on mentors, then backfills the history of every existing listing and report from the audit log
and the rows themselves. No existing row is changed or dropped. Where the audit log can't explain
a row's current state (e.g. sample data inserted straight into a status), one event by "the
system" records the state the row was in when its history began.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from migrations.write_once import allow_changes, forbid_changes

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EVENT_TABLES = ("listing_events", "report_events")
BATCH = 5000
BACKFILLED = "Recorded when the history began: the state this was in then."

audit = sa.table(
    "audit_events", sa.column("id"), sa.column("occurred_at"), sa.column("actor_kind"),
    sa.column("moderator_id"), sa.column("action"), sa.column("mentor_id"),
    sa.column("report_id"), sa.column("reason"), sa.column("detail"),
)  # fmt: skip
mentors = sa.table(
    "mentors", sa.column("id"), sa.column("status"), sa.column("created_at"),
    sa.column("status_changed_at"),
)  # fmt: skip
reports = sa.table(
    "reports", sa.column("id"), sa.column("status"), sa.column("created_at"),
    sa.column("updated_at"),
)  # fmt: skip

# Audit action -> listing event kind (the status it leads to is worked out while replaying).
LISTING_KINDS = {
    "signed_up": "signed_up", "resubmitted": "resumed", "paused": "paused", "resumed": "resumed",
    "edited": "edited", "deleted": "deleted", "mentor_removed": "removed",
    "mentor_banned": "banned", "mentor_restored": "restored",
}  # fmt: skip
# A listing's state as the event that last put it there.
KIND_FOR_LISTING_STATUS = {
    "listed": "resumed", "paused": "paused", "removed": "removed", "banned": "banned",
    "deleted": "deleted",
}  # fmt: skip
KIND_FOR_REPORT_STATUS = {
    "in_review": "review_started", "resolved_action": "resolved_with_action",
    "resolved_no_action": "resolved_without_action", "dismissed": "dismissed", "new": "reopened",
}  # fmt: skip
CLOSED = {"resolved_action", "resolved_no_action", "dismissed"}


def _common() -> list[sa.Column[Any]]:
    return [
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("code_clause", sa.String(length=10), nullable=True),
    ]


def _create_tables() -> None:
    op.create_table(
        "listing_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        *_common(),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["mentor_id"], ["mentors.id"], name=op.f("fk_listing_events_mentor_id_mentors")),
        sa.ForeignKeyConstraint(["moderator_id"], ["moderators.id"], name=op.f("fk_listing_events_moderator_id_moderators")),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=op.f("fk_listing_events_report_id_reports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_events")),
    )  # fmt: skip
    op.create_index("ix_listing_events_time", "listing_events", ["occurred_at"])
    op.create_index("ix_listing_events_kind_time", "listing_events", ["kind", "occurred_at"])
    op.create_index("ix_listing_events_mentor", "listing_events", ["mentor_id", "occurred_at"])
    op.create_table(
        "report_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        *_common(),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=False),
        sa.Column("listing_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=op.f("fk_report_events_report_id_reports")),
        sa.ForeignKeyConstraint(["moderator_id"], ["moderators.id"], name=op.f("fk_report_events_moderator_id_moderators")),
        sa.ForeignKeyConstraint(["listing_event_id"], ["listing_events.id"], name=op.f("fk_report_events_listing_event_id_listing_events")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_events")),
    )  # fmt: skip
    op.create_index("ix_report_events_time", "report_events", ["occurred_at"])
    op.create_index("ix_report_events_kind_time", "report_events", ["kind", "occurred_at"])
    op.create_index("ix_report_events_report", "report_events", ["report_id", "occurred_at"])


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    # A plain ALTER TABLE: SQLite's batch mode would copy and drop `mentors`, which the foreign
    # keys of a populated database refuse.
    op.add_column(
        "mentors", sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
    )
    _create_tables()
    bind = op.get_bind()
    _insert(bind, "listing_events", _listing_history(bind))
    _insert(bind, "report_events", _report_history(bind))
    for table in EVENT_TABLES:
        forbid_changes(table, postgres=postgres)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in EVENT_TABLES:
        allow_changes(table, postgres=postgres)
    op.drop_table("report_events")
    op.drop_table("listing_events")
    op.drop_column("mentors", "version")


def _insert(bind: sa.Connection, table: str, rows: Iterator[dict[str, Any]]) -> None:
    target = sa.table(table, *(sa.column(name) for name in _COLUMNS[table]))
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            bind.execute(sa.insert(target), batch)
            batch = []
    if batch:
        bind.execute(sa.insert(target), batch)


_COLUMNS = {
    "listing_events": ("mentor_id", "occurred_at", "kind", "from_status", "to_status",
                       "actor_kind", "moderator_id", "reason", "code_clause", "report_id"),
    "report_events": ("report_id", "occurred_at", "kind", "from_status", "to_status",
                      "actor_kind", "moderator_id", "reason", "code_clause", "listing_event_id"),
}  # fmt: skip


def _event(kind: str, when: datetime, before: str | None, after: str, **extra: Any) -> dict[str, Any]:
    row = {"occurred_at": when, "kind": kind, "from_status": before, "to_status": after,
           "actor_kind": "system", "moderator_id": None, "reason": None, "code_clause": None}  # fmt: skip
    row.update(extra)
    return row


def _listing_history(bind: sa.Connection) -> Iterator[dict[str, Any]]:
    """Replay each listing's audit rows in order; close any gap to its current status."""
    entries = bind.execute(
        sa.select(audit).where(audit.c.mentor_id.is_not(None), audit.c.action.in_(LISTING_KINDS))
        .order_by(audit.c.mentor_id, audit.c.occurred_at, audit.c.id)
    )  # fmt: skip
    pending = iter(entries)
    entry = next(pending, None)
    for mentor in bind.execute(sa.select(mentors).order_by(mentors.c.id)):
        state: str | None = None
        while entry is not None and entry.mentor_id < mentor.id:
            entry = next(pending, None)
        while entry is not None and entry.mentor_id == mentor.id:
            kind = LISTING_KINDS[entry.action]
            after = _listing_target(kind, state, entry.detail)
            yield _event(kind if kind != "edited" or "open_to_new" not in (entry.detail or "")
                         else "availability_changed", entry.occurred_at, state, after,
                         mentor_id=mentor.id, actor_kind=entry.actor_kind if entry.actor_kind != "public" else "mentor",
                         moderator_id=entry.moderator_id, reason=entry.reason, report_id=entry.report_id)  # fmt: skip
            state = after
            entry = next(pending, None)
        if state is None:
            yield _event("signed_up", mentor.created_at, None, "listed", mentor_id=mentor.id,
                         report_id=None, reason=BACKFILLED)  # fmt: skip
            state = "listed"
        if state != mentor.status:
            yield _event(KIND_FOR_LISTING_STATUS[mentor.status], mentor.status_changed_at, state,
                         mentor.status, mentor_id=mentor.id, report_id=None, reason=BACKFILLED)  # fmt: skip


def _listing_target(kind: str, state: str | None, detail: str | None) -> str:
    if kind == "restored":
        return (detail or "").partition("restored_to=")[2] or "listed"
    if kind == "edited":
        return state or "listed"
    return {"signed_up": "listed", "resumed": "listed", "paused": "paused", "deleted": "deleted",
            "removed": "removed", "banned": "banned"}[kind]  # fmt: skip


def _report_history(bind: sa.Connection) -> Iterator[dict[str, Any]]:
    """Each report's filing, then its audit rows in order; close any gap to its current status."""
    entries = bind.execute(
        sa.select(audit).where(audit.c.report_id.is_not(None))
        .order_by(audit.c.report_id, audit.c.occurred_at, audit.c.id)
    )  # fmt: skip
    pending = iter(entries)
    entry = next(pending, None)
    for report in bind.execute(sa.select(reports).order_by(reports.c.id)):
        yield _event("filed", report.created_at, None, "new", report_id=report.id,
                     actor_kind="public", listing_event_id=None)  # fmt: skip
        state = "new"
        while entry is not None and entry.report_id < report.id:
            entry = next(pending, None)
        while entry is not None and entry.report_id == report.id:
            kind, after = _report_step(entry.action, state, entry.detail)
            if kind is not None:
                yield _event(kind, entry.occurred_at, state, after, report_id=report.id,
                             actor_kind=entry.actor_kind, moderator_id=entry.moderator_id,
                             reason=entry.reason, listing_event_id=None)  # fmt: skip
                state = after
            entry = next(pending, None)
        if state != report.status:
            yield _event(KIND_FOR_REPORT_STATUS[report.status], report.updated_at, state,
                         report.status, report_id=report.id, reason=BACKFILLED,
                         listing_event_id=None)  # fmt: skip


def _report_step(action: str, state: str, detail: str | None) -> tuple[str | None, str]:
    if action == "report_status_changed":
        after = (detail or "").partition("status=")[2] or state
        kind = "reopened" if state in CLOSED else KIND_FOR_REPORT_STATUS.get(after, "review_started")
        return kind, after
    if action == "report_assigned":
        return "assigned", state
    if action == "report_note_added":
        return "note_added", state
    return None, state  # filing (already recorded), and listing actions taken from the report
