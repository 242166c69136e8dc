"""mentees' anonymous "no reply" signals about a listing

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

`no_reply_signals`: one row per "reached out and heard nothing for two weeks", with no address or
session, only a one-way key of (client address, listing) so that one address counts once per
listing. Kept 60 days.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "no_reply_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("sender_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_no_reply_signals_mentor_id_mentors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_no_reply_signals")),
    )
    op.create_index("ix_no_reply_signals_mentor", "no_reply_signals", ["mentor_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_no_reply_signals_mentor", table_name="no_reply_signals")
    op.drop_table("no_reply_signals")
