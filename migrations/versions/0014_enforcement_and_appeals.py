"""mentors: removed for a number of days, until a date; reports: a mentor's appeal of a decision

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

The enforcement ladder's temporary removal: `mentors.removed_until` is the day the clock lists the
listing again, as it was before (services/listings/enforcement.py). Any other move of the listing
clears it, so a ban in the meantime keeps the listing down. The clock finds the ones due by
(status, removed_until).

An appeal is a report of kind "appeal" (services/reports/appeals.py): `reports.appeal_of_event_id`
names the listing event it appeals (a warning, a removal for days, a removal or a ban), and is
unique: one appeal per decision, whoever files it first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentors", recreate="never") as batch:
        batch.add_column(sa.Column("removed_until", sa.Date(), nullable=True))
    op.create_index("ix_mentors_removed_until", "mentors", ["status", "removed_until"])
    with op.batch_alter_table("reports", recreate="never") as batch:
        batch.add_column(sa.Column("appeal_of_event_id", sa.Integer(), nullable=True))
    op.create_index("ux_reports_appeal_of_event", "reports", ["appeal_of_event_id"], unique=True)
    if op.get_bind().dialect.name == "postgresql":  # SQLite can't add a constraint to a table
        op.create_foreign_key("fk_reports_appeal_of_event", "reports", "listing_events",
                              ["appeal_of_event_id"], ["id"])  # fmt: skip


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_reports_appeal_of_event", "reports", type_="foreignkey")
    op.drop_index("ux_reports_appeal_of_event", table_name="reports")
    with op.batch_alter_table("reports", recreate="never") as batch:
        batch.drop_column("appeal_of_event_id")
    op.drop_index("ix_mentors_removed_until", table_name="mentors")
    with op.batch_alter_table("mentors", recreate="never") as batch:
        batch.drop_column("removed_until")
