"""conflicts of interest: moderators' display names, declared conflicts, reporters' exclusions

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

`moderators.display_name`: what a reporter sees when keeping a moderator off their case (never
the username). `moderator_conflicts`: a moderator's declared conflict with a mentor.
`report_exclusions`: the moderators a reporter kept off their case (confidential). For the
moderator concerned, the mentor and their cases, or the case, are absent from every console query
(services/reports/conflicts.py); both tables are looked up by moderator first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("moderators", recreate="never") as batch:
        batch.add_column(sa.Column("display_name", sa.String(length=60), nullable=True))
    op.create_table(
        "moderator_conflicts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("moderator_id", sa.Integer(), sa.ForeignKey("moderators.id"), nullable=False),
        sa.Column("mentor_id", sa.Integer(), sa.ForeignKey("mentors.id"), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ux_moderator_conflicts", "moderator_conflicts", ["moderator_id", "mentor_id"], unique=True)
    op.create_index("ix_moderator_conflicts_mentor", "moderator_conflicts", ["mentor_id"])
    op.create_table(
        "report_exclusions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("moderator_id", sa.Integer(), sa.ForeignKey("moderators.id"), nullable=False),
    )
    op.create_index("ux_report_exclusions", "report_exclusions", ["moderator_id", "report_id"], unique=True)
    op.create_index("ix_report_exclusions_report", "report_exclusions", ["report_id"])


def downgrade() -> None:
    op.drop_table("report_exclusions")
    op.drop_table("moderator_conflicts")
    with op.batch_alter_table("moderators", recreate="never") as batch:
        batch.drop_column("display_name")
