"""leadership trends: anonymous directory searches, and indexes for time-range measures

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01

Adds `directory_searches` (one row per search: the UTC day, the filters, the number of results;
nothing about who searched) and `directory_search_choices` (one row per value a search asked for,
so demand is counted per discipline or country without reading text). Adds indexes the trends
measures read (services/trends/): each serves a time-range count or duration from the index
alone, so the cost follows the range asked for, not the length of the history. No existing row
or index is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

FEW = "results <= 3"  # models.search.FEW_RESULTS
# The same condition as the queries write it, so each database uses the partial index.
SPAM = {"sqlite": "suspected_spam = 1", "postgresql": "suspected_spam"}

# Time-range indexes on existing tables: (name, table, columns), read by services/trends/.
RANGE_INDEXES = (
    # Reports received per bucket, by part of the Code, and those not acknowledged in 7 days.
    ("ix_reports_trends_created", "reports",
     ["created_at", "suspected_spam", "category", "first_action_at"]),
    # Time to first action and to resolution, bucketed by when that happened.
    ("ix_reports_trends_first_action", "reports", ["first_action_at", "suspected_spam", "created_at"]),
    ("ix_reports_trends_resolved", "reports", ["resolved_at", "suspected_spam", "created_at"]),
    # Every report event in a range by kind (backlog, outcomes, workload), spam left out by id.
    ("ix_report_events_trends", "report_events", ["occurred_at", "kind", "report_id"]),
    # Every listing event in a range with its move (flow, and listed mentors at a time).
    ("ix_listing_events_trends", "listing_events",
     ["occurred_at", "kind", "from_status", "to_status"]),
)  # fmt: skip


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
    op.create_index(
        "ix_directory_searches_few_results", "directory_searches", ["day", "filter_key"],
        sqlite_where=sa.text(FEW), postgresql_where=sa.text(FEW),
    )  # fmt: skip
    op.create_table(
        "directory_search_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_search_choices")),
    )
    op.create_index(
        "ix_directory_search_choices_demand", "directory_search_choices", ["field", "day", "value"]
    )
    op.create_index("ix_directory_search_choices_day", "directory_search_choices", ["day"])
    for name, table, columns in RANGE_INDEXES:
        op.create_index(name, table, columns)
    # The few reports a spam trap caught, left out of every measure by id.
    op.create_index("ix_reports_spam", "reports", ["id"], sqlite_where=sa.text(SPAM["sqlite"]),
                    postgresql_where=sa.text(SPAM["postgresql"]))  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_reports_spam", table_name="reports")
    for name, table, _columns in reversed(RANGE_INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("directory_search_choices")
    op.drop_table("directory_searches")
