"""listings know when their mentor last said they are available, and until when they are away

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

`mentors.available_confirmed_at`: set by confirming a sign-up, resuming, editing and "Yes, I'm
still available". Existing listings count from when they were last listed (`listed_at`), so
nobody is asked on the first day; the clock asks each after 90 days. An index on (status,
available_confirmed_at) serves the clock's daily question "which listings are due?".
`mentors.paused_until` and `mentors.note_until`: the dates on which the clock lists a paused
listing again and clears an availability note ("slower replies until ...").
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentors", recreate="never") as batch:
        batch.add_column(sa.Column("available_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("paused_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("note_until", sa.Date(), nullable=True))
    op.execute(
        "UPDATE mentors SET available_confirmed_at = listed_at "
        "WHERE status IN ('listed', 'paused', 'removed', 'banned')"
    )
    op.create_index("ix_mentors_status_available", "mentors", ["status", "available_confirmed_at"])


def downgrade() -> None:
    op.drop_index("ix_mentors_status_available", table_name="mentors")
    with op.batch_alter_table("mentors", recreate="never") as batch:
        batch.drop_column("note_until")
        batch.drop_column("paused_until")
        batch.drop_column("available_confirmed_at")
