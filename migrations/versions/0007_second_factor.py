"""moderators may have a second factor (TOTP) and single-use recovery codes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09

`moderators.totp_secret` holds the base32 secret of a moderator's authenticator app (None: no
second factor), `moderators.totp_last_step` the time step of the last code accepted, so a code
is never accepted twice. `moderator_recovery_codes` keeps the SHA-256 of each single-use
recovery code. `moderator_sessions.awaiting_second_factor` marks a session whose password was
right but whose code is still to come; existing sessions are complete (false).

On SQLite the columns are added and dropped in place (ALTER TABLE, SQLite 3.35 or later): the
batch's "copy and move" would drop and recreate `moderators`, which other tables refer to.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("moderators", recreate="never") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("moderator_sessions", recreate="never") as batch:
        batch.add_column(
            sa.Column(
                "awaiting_second_factor", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.create_table(
        "moderator_recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["moderators.id"],
            name=op.f("fk_moderator_recovery_codes_moderator_id_moderators"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderator_recovery_codes")),
    )
    op.create_index(
        op.f("ix_moderator_recovery_codes_moderator_id"),
        "moderator_recovery_codes",
        ["moderator_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_moderator_recovery_codes_moderator_id"), table_name="moderator_recovery_codes"
    )
    op.drop_table("moderator_recovery_codes")
    with op.batch_alter_table("moderator_sessions", recreate="never") as batch:
        batch.drop_column("awaiting_second_factor")
    with op.batch_alter_table("moderators", recreate="never") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")
