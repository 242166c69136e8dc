"""leadership trends: anonymous directory searches, and indexes for time-range measures

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Adds `directory_searches` (one row per search: the UTC day, the filters, the number of results;
nothing about who searched) and `directory_search_demand` (searches per day that asked for each
discipline, country, ..., added up as searches are written, so demand is counted without reading
text or every search). Adds indexes the trends measures read (services/trends/): each serves a
time-range count or a range of waits from the index alone, so the cost follows the range asked
for, not the length of the history. No existing row or index is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FEW = "results <= 3"  # models.search.FEW_RESULTS
# The same condition as the queries write it, so each database uses the partial index.
SPAM = {"sqlite": "suspected_spam = 1", "postgresql": "suspected_spam"}
# SQLite: a report's wait in seconds, exactly as services/trends/sql.py writes it, so the index
# holds it and a range of waits is read without parsing two timestamps per report.
SQLITE_WAIT = "ROUND((julianday({end}) - julianday(created_at)) * 86400.0, 3)"

# Indexes on existing tables that the trends measures read (services/trends/): (name, table,
# columns). Each serves a COUNT, or a range of waits, over one stretch of an index.
RANGE_INDEXES = (
    # Listing events per bucket with their move: listings gained and lost.
    ("ix_listing_events_trends", "listing_events",
     ["occurred_at", "kind", "from_status", "to_status"]),
    # The open queue now, spam left out, counted from the index alone.
    ("ix_reports_status_spam", "reports", ["status", "suspected_spam"]),
)  # fmt: skip
# Listed mentors today by seniority and by country are read from the directory's partial indexes
# (status = 'listed'); indexes led by (status, country) made SQLite's planner leave those for the
# directory's own searches, at 3x the cost (measured with benchmarks/directory.py).
WAIT_INDEXES = {"ix_reports_trends_first_action": "first_action_at",
                "ix_reports_trends_resolved": "resolved_at"}  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "directory_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("keywords", sa.String(length=200), nullable=True),
        sa.Column("disciplines", sa.String(length=400), nullable=True),
        sa.Column("seniorities", sa.String(length=200), nullable=True),
        sa.Column("languages", sa.String(length=200), nullable=True),
        sa.Column("offers", sa.String(length=300), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("open_only", sa.Boolean(), nullable=False),
        sa.Column("filter_key", sa.String(length=32), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_searches")),
    )
    op.create_index("ix_directory_searches_day", "directory_searches", ["day"])
    op.create_index(  # with the id, each search's latest example is read from the index too
        "ix_directory_searches_few_results", "directory_searches", ["day", "filter_key", "id"],
        sqlite_where=sa.text(FEW), postgresql_where=sa.text(FEW),
    )  # fmt: skip
    op.create_table(
        "directory_search_demand",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "field", "value", name=op.f("pk_directory_search_demand")),
    )
    for name, table, columns in RANGE_INDEXES:
        op.create_index(name, table, columns)
    sqlite = op.get_bind().dialect.name == "sqlite"
    # Reports received per bucket and part of the Code, and those not acted on within 7 days
    # (on SQLite with the wait itself, so lateness is read, not computed, report by report).
    first_wait = sa.text(SQLITE_WAIT.format(end="first_action_at")) if sqlite else None
    op.create_index("ix_reports_trends_received", "reports",
                    ["category", "created_at", "suspected_spam", "first_action_at",
                     *([first_wait] if first_wait is not None else [])])  # fmt: skip
    for name, end in WAIT_INDEXES.items():
        wait = sa.text(SQLITE_WAIT.format(end=end)) if sqlite else "created_at"
        op.create_index(name, "reports", [end, "suspected_spam", wait])
    # The few reports a spam trap caught, by their latest event: spam is taken out of the counts.
    op.create_index("ix_reports_spam_touched", "reports", ["updated_at"],
                    sqlite_where=sa.text(SPAM["sqlite"]), postgresql_where=sa.text(SPAM["postgresql"]))  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_reports_spam_touched", table_name="reports")
    for name in (*WAIT_INDEXES, "ix_reports_trends_received"):
        op.drop_index(name, table_name="reports")
    for name, table, _columns in reversed(RANGE_INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("directory_search_demand")
    op.drop_table("directory_searches")
