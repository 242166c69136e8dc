"""Triggers that make a table append-only on SQLite and PostgreSQL, shared by the migrations."""

from __future__ import annotations

from alembic import op

REFUSE_CHANGE_FUNCTION = """
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are write-once', TG_TABLE_NAME;
END $$
"""


def forbid_changes(table: str, *, postgres: bool) -> None:
    """Refuse UPDATE and DELETE on `table`, whatever code runs against the database."""
    if postgres:
        op.execute(REFUSE_CHANGE_FUNCTION)
        op.execute(
            f"CREATE TRIGGER {table}_write_once BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are write-once'); END"
        )


def allow_changes(table: str, *, postgres: bool) -> None:
    """Drop the triggers `forbid_changes` made."""
    if postgres:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_write_once ON {table}")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
