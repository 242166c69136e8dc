"""the public transparency report: published periods

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

`published_periods`: a quarter ("2026-Q3") or a year ("2026") of the public "Reports and
outcomes" page, published once by a moderator (an audited action), with its figures frozen as
published: after suppression, never the counts behind them (services/evidence/transparency.py).
The unique period key makes two moderators publishing at once end with one row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_periods",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period_key", sa.String(length=10), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Integer(), sa.ForeignKey("moderators.id"), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.UniqueConstraint("period_key", name="uq_published_periods_period_key"),
    )


def downgrade() -> None:
    op.drop_table("published_periods")
