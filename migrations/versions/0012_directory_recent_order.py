"""directory: most recently confirmed first, and "confirmed in the last 3 months"; no-reply
signals by time

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

The directory's default order becomes `available_confirmed_at` (set when a mentor joins, resumes,
edits or answers "Yes, I'm still available"), newest first, and a filter keeps only mentors who
confirmed in the last 3 months. Every partial index that follows the directory's order takes the
new column in the place of `listed_at`, so each search keeps its plan (no sort) and the filter is a
range of the same index. A listed mentor always has the column: it is filled from `listed_at`
where a row has none.

No-reply signals are kept 13 months for the trends (their sender keys only 60 days): an index on
their time serves the trends' weeks.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

LISTED = sa.text("status = 'listed'")


def _indexes(time: str) -> dict[str, tuple[list[str], list[str]]]:
    """name -> (columns, PostgreSQL INCLUDE columns), in the order `time` names."""
    newest = "ix_mentors_listed_recent" if time == "available_confirmed_at" else "ix_mentors_listed_newest"
    return {
        newest: ([time, "id"], []),
        "ix_mentors_listed_country_open": (["country", "open_to_new_mentees", time, "id"], []),
        "ix_mentors_listed_country": (["country", time, "id"], []),
        "ix_mentors_listed_city": (["country", "city_key", time, "id"], []),
        "ix_mentors_listed_seniority": (["seniority", time], ["id"]),
        "ix_mentors_listed_open": (["open_to_new_mentees", time], ["id"]),
    }


def _replace(old: str, new: str) -> None:
    for name in _indexes(old):
        op.drop_index(name, table_name="mentors")
    for name, (columns, include) in _indexes(new).items():
        op.create_index(
            name, "mentors", columns, sqlite_where=LISTED, postgresql_where=LISTED,
            postgresql_include=include,
        )  # fmt: skip
    op.execute("ANALYZE mentors")  # a planner without statistics may pick another index


def upgrade() -> None:
    op.execute(
        "UPDATE mentors SET available_confirmed_at = listed_at "
        "WHERE available_confirmed_at IS NULL AND status = 'listed'"
    )
    _replace("listed_at", "available_confirmed_at")
    op.create_index("ix_no_reply_signals_created_at", "no_reply_signals", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_no_reply_signals_created_at", table_name="no_reply_signals")
    _replace("available_confirmed_at", "listed_at")
