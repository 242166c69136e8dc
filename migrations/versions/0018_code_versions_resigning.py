"""a new version of the Code: re-signing within 30 days

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

`code_version_rounds`: one row per version of the Code once it is in force (code_versions stays
write-once): when, and by when listed mentors sign it again (none for the first version ever
seen: everyone signed it to sign up). The clock's job "new_code_version" writes it, mails each
listed mentor a link (listing_links, purpose "new_code"), and pauses those who haven't signed by
then (services/evidence/code_versions.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "code_version_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code_version_id", sa.Integer(), sa.ForeignKey("code_versions.id"), nullable=False),
        sa.Column("in_force_at", WHEN, nullable=False),
        sa.Column("sign_by", WHEN, nullable=True),
        sa.UniqueConstraint("code_version_id", name=op.f("uq_code_version_rounds_code_version_id")),
    )


def downgrade() -> None:
    op.drop_table("code_version_rounds")
