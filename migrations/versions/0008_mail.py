"""mail: the outbox, and the single-use links mails carry

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

`outbox_mails` holds each mail from the transaction that causes it until a relay has sent it
(or given up). `listing_links` keeps the SHA-256 of each link mailed about a listing (confirm a
sign-up, manage the listing, confirm a new address) and of the browser sessions they open. A
listing may now be awaiting confirmation: `mentors.status` is a string, so no column changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_try_at", WHEN, nullable=False),
        sa.Column("claimed_until", WHEN, nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_outbox_mails_mentor_id_mentors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_mails")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_mails_message_id")),
    )
    op.create_index("ix_outbox_mails_due", "outbox_mails", ["state", "next_try_at"])
    op.create_index("ix_outbox_mails_created_at", "outbox_mails", ["created_at"])
    op.create_table(
        "listing_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_listing_links_mentor_id_mentors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_listing_links_token_hash")),
    )
    op.create_index("ix_listing_links_mentor", "listing_links", ["mentor_id", "purpose"])


def downgrade() -> None:
    op.drop_index("ix_listing_links_mentor", table_name="listing_links")
    op.drop_table("listing_links")
    op.drop_index("ix_outbox_mails_created_at", table_name="outbox_mails")
    op.drop_index("ix_outbox_mails_due", table_name="outbox_mails")
    op.drop_table("outbox_mails")
