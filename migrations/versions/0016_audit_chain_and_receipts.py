"""the audit log's hash chain and signature receipts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

`audit_events.chain_seq`, `prev_hash`, `row_hash`: each row's position in the chain, the hash of
the row before it and of its own content (services/evidence/chain.py); the rows already there
are chained here, in id order. The write-once trigger now lets a row be sealed once (its three
chain columns set from NULL, nothing else changed) and refuses every other change, as before.
`signatures.receipt_code` (the code "Check a receipt" looks up) and `audit_event_id` (the audit
row that recorded the signing); signatures already there get a code and the mentor's last audit
row at their time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from migrations.write_once import allow_changes, forbid_changes

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

CONTENT = ("id", "occurred_at", "actor_kind", "moderator_id", "actor_label", "action",
           "mentor_id", "report_id", "reason", "detail")  # fmt: skip
UNCHANGED = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in CONTENT)
SEALING = ("OLD.chain_seq IS NULL AND OLD.prev_hash IS NULL AND OLD.row_hash IS NULL AND "
           "NEW.chain_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.row_hash IS NOT NULL")  # fmt: skip

SEAL_ONLY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_events_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {SEALING} AND {UNCHANGED} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events rows are write-once';
END $$
"""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("audit_events", recreate="never") as batch:
        batch.add_column(sa.Column("chain_seq", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    op.create_index("ux_audit_events_chain", "audit_events", ["chain_seq"], unique=True)
    op.create_index("ix_audit_events_unsealed", "audit_events", ["id"],
                    postgresql_where=sa.text("chain_seq IS NULL"),
                    sqlite_where=sa.text("chain_seq IS NULL"))  # fmt: skip
    _seal_only(postgres=postgres)
    _chain_existing_rows()

    with op.batch_alter_table("signatures", recreate="never") as batch:
        batch.add_column(sa.Column("receipt_code", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("audit_event_id", sa.Integer(), nullable=True))
    op.create_index("ux_signatures_receipt_code", "signatures", ["receipt_code"], unique=True)
    if postgres:  # SQLite can't add a constraint to a table
        op.create_foreign_key("fk_signatures_audit_event_id_audit_events", "signatures",
                              "audit_events", ["audit_event_id"], ["id"])  # fmt: skip
    _give_receipts(postgres=postgres)


def _seal_only(*, postgres: bool) -> None:
    """Replace the audit log's write-once trigger by one that also lets a row be sealed once."""
    allow_changes("audit_events", postgres=postgres)
    if postgres:
        op.execute(SEAL_ONLY_FUNCTION)
        op.execute("CREATE TRIGGER audit_events_write_once BEFORE UPDATE OR DELETE ON audit_events "
                   "FOR EACH ROW EXECUTE FUNCTION audit_events_seal_only()")  # fmt: skip
        return
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in CONTENT)
    op.execute("CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
               f"WHEN NOT ({SEALING} AND {unchanged}) "
               "BEGIN SELECT RAISE(ABORT, 'audit_events rows are write-once'); END")  # fmt: skip
    op.execute("CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
               "BEGIN SELECT RAISE(ABORT, 'audit_events rows are write-once'); END")  # fmt: skip


def _chain_existing_rows() -> None:
    from services.evidence.chain import seal

    seal(Session(bind=op.get_bind()))


def _give_receipts(*, postgres: bool) -> None:
    from services.evidence.receipts import new_receipt_code

    bind = op.get_bind()
    ids = bind.scalars(sa.text("SELECT id FROM signatures ORDER BY id")).all()
    if not ids:
        return
    allow_changes("signatures", postgres=postgres)
    # the mentor's last audit row at the signature's time, in one statement
    op.execute("UPDATE signatures SET audit_event_id = (SELECT max(a.id) FROM audit_events a "
               "WHERE a.mentor_id = signatures.mentor_id AND a.occurred_at <= signatures.signed_at)")  # fmt: skip
    bind.execute(sa.text("UPDATE signatures SET receipt_code = :code WHERE id = :id"),
                 [{"code": new_receipt_code(), "id": signature_id} for signature_id in ids])  # fmt: skip
    forbid_changes("signatures", postgres=postgres)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.drop_constraint("fk_signatures_audit_event_id_audit_events", "signatures",
                           type_="foreignkey")  # fmt: skip
    op.drop_index("ux_signatures_receipt_code", table_name="signatures")
    allow_changes("signatures", postgres=postgres)
    with op.batch_alter_table("signatures", recreate="never") as batch:
        batch.drop_column("audit_event_id")
        batch.drop_column("receipt_code")
    forbid_changes("signatures", postgres=postgres)
    allow_changes("audit_events", postgres=postgres)
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS audit_events_seal_only()")
    op.drop_index("ix_audit_events_unsealed", table_name="audit_events")
    op.drop_index("ux_audit_events_chain", table_name="audit_events")
    with op.batch_alter_table("audit_events", recreate="never") as batch:
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
        batch.drop_column("chain_seq")
    forbid_changes("audit_events", postgres=postgres)
