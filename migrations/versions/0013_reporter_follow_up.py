"""reports: a private case code for the reporter, and the moderators' message to them

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

`reports.case_code_hash`: the SHA-256 of the case code shown once to whoever filed the report
(with its reference), for "Follow my report"; never the code itself. Reports filed before have
none and can't be followed. `reports.reporter_message`: what the moderators chose to tell the
reporter with their decision (shown on "Follow my report" and in the decision mail).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports", recreate="never") as batch:
        batch.add_column(sa.Column("case_code_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("reporter_message", sa.Text(), nullable=True))
    op.create_index("ix_reports_first_action_due", "reports", ["status", "first_action_at", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_reports_first_action_due", table_name="reports")
    with op.batch_alter_table("reports", recreate="never") as batch:
        batch.drop_column("reporter_message")
        batch.drop_column("case_code_hash")
