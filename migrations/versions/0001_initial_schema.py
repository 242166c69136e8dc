"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Every table of the core. Signatures, Code versions and the audit log are write-once: triggers
refuse UPDATE and DELETE on them, whatever code runs against the database.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.write_once import allow_changes, forbid_changes

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WRITE_ONCE_TABLES = ("code_versions", "signatures", "audit_events")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # Trigram search for the directory's keyword box; created in public so it outlives schemas.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    op.create_table(
        "code_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_versions")),
        sa.UniqueConstraint("sha256", name=op.f("uq_code_versions_sha256")),
    )
    op.create_table(
        "mentors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("pronouns", sa.String(length=40), nullable=True),
        sa.Column("headline", sa.String(length=120), nullable=False),
        sa.Column("company", sa.String(length=120), nullable=True),
        sa.Column("seniority", sa.String(length=30), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("linkedin_url", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("open_to_new_mentees", sa.Boolean(), nullable=False),
        sa.Column("availability_note", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_before_takedown", sa.String(length=20), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("name_key", sa.String(length=120), nullable=False),
        sa.Column("city_key", sa.String(length=100), nullable=True),
        sa.Column("email_key", sa.String(length=254), nullable=True),
        sa.Column("linkedin_key", sa.String(length=200), nullable=True),
        sa.Column("manage_token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentors")),
        sa.UniqueConstraint("email_key", name=op.f("uq_mentors_email_key")),
        sa.UniqueConstraint("linkedin_key", name=op.f("uq_mentors_linkedin_key")),
        sa.UniqueConstraint("manage_token_hash", name=op.f("uq_mentors_manage_token_hash")),
    )
    with op.batch_alter_table("mentors", schema=None) as batch_op:
        batch_op.create_index("ix_mentors_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_mentors_listed_name",
            ["name_key", "id"],
            unique=False,
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
        )
        batch_op.create_index(
            "ix_mentors_listed_newest",
            ["listed_at", "id"],
            unique=False,
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
        )
        batch_op.create_index(
            "ix_mentors_listed_open",
            ["open_to_new_mentees", "listed_at"],
            unique=False,
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
            postgresql_include=["id"],
        )
        batch_op.create_index(
            "ix_mentors_listed_place",
            ["country", "city_key", "listed_at", "open_to_new_mentees", "seniority"],
            unique=False,
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
            postgresql_include=["id"],
        )
        batch_op.create_index(
            "ix_mentors_listed_seniority",
            ["seniority", "listed_at"],
            unique=False,
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
            postgresql_include=["id"],
        )
        batch_op.create_index(
            "ix_mentors_status_changed", ["status", "status_changed_at"], unique=False
        )

    op.create_table(
        "moderators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderators")),
        sa.UniqueConstraint("username", name=op.f("uq_moderators_username")),
    )
    op.create_table(
        "rate_limit_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_hits")),
    )
    with op.batch_alter_table("rate_limit_hits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rate_limit_hits_lookup", ["scope", "key", "created_at"], unique=False
        )

    op.create_table(
        "blocked_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value_key", sa.String(length=254), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_blocked_identities_mentor_id_mentors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocked_identities")),
    )
    with op.batch_alter_table("blocked_identities", schema=None) as batch_op:
        batch_op.create_index("ix_blocked_identities_lookup", ["kind", "value_key"], unique=False)

    op.create_table(
        "mentor_disciplines",
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("discipline", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["mentors.id"],
            name=op.f("fk_mentor_disciplines_mentor_id_mentors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mentor_id", "discipline", name=op.f("pk_mentor_disciplines")),
    )
    with op.batch_alter_table("mentor_disciplines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mentor_disciplines_value", ["discipline", "mentor_id"], unique=False
        )

    op.create_table(
        "mentor_languages",
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["mentors.id"],
            name=op.f("fk_mentor_languages_mentor_id_mentors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mentor_id", "language", name=op.f("pk_mentor_languages")),
    )
    with op.batch_alter_table("mentor_languages", schema=None) as batch_op:
        batch_op.create_index("ix_mentor_languages_value", ["language", "mentor_id"], unique=False)

    op.create_table(
        "mentor_offers",
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("offer", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["mentors.id"],
            name=op.f("fk_mentor_offers_mentor_id_mentors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mentor_id", "offer", name=op.f("pk_mentor_offers")),
    )
    with op.batch_alter_table("mentor_offers", schema=None) as batch_op:
        batch_op.create_index("ix_mentor_offers_value", ["offer", "mentor_id"], unique=False)

    op.create_table(
        "moderator_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["moderators.id"],
            name=op.f("fk_moderator_sessions_moderator_id_moderators"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderator_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_moderator_sessions_token_hash")),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("named_person", sa.String(length=200), nullable=True),
        sa.Column("named_linkedin_url", sa.String(length=300), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reporter_role", sa.String(length=20), nullable=True),
        sa.Column("reporter_email", sa.String(length=254), nullable=True),
        sa.Column("suspected_spam", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("assigned_moderator_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_action_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_moderator_id"],
            ["moderators.id"],
            name=op.f("fk_reports_assigned_moderator_id_moderators"),
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_reports_mentor_id_mentors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("reference", name=op.f("uq_reports_reference")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reports_category_created", ["category", "created_at"], unique=False
        )
        batch_op.create_index("ix_reports_created", ["created_at"], unique=False)
        batch_op.create_index("ix_reports_mentor", ["mentor_id", "created_at"], unique=False)
        batch_op.create_index("ix_reports_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("code_version_id", sa.Integer(), nullable=False),
        sa.Column("typed_name", sa.String(length=200), nullable=False),
        sa.Column("agreement_text", sa.Text(), nullable=False),
        sa.Column("occasion", sa.String(length=20), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["code_version_id"],
            ["code_versions.id"],
            name=op.f("fk_signatures_code_version_id_code_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_signatures_mentor_id_mentors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signatures")),
    )
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.create_index("ix_signatures_mentor", ["mentor_id", "signed_at"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=60), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_audit_events_mentor_id_mentors")
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["moderators.id"],
            name=op.f("fk_audit_events_moderator_id_moderators"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_audit_events_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_action_time", ["action", "occurred_at"], unique=False
        )
        batch_op.create_index("ix_audit_events_mentor", ["mentor_id", "occurred_at"], unique=False)
        batch_op.create_index("ix_audit_events_report", ["report_id", "occurred_at"], unique=False)
        batch_op.create_index("ix_audit_events_time", ["occurred_at"], unique=False)

    op.create_table(
        "report_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["moderators.id"],
            name=op.f("fk_report_notes_moderator_id_moderators"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_notes_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_notes")),
    )
    with op.batch_alter_table("report_notes", schema=None) as batch_op:
        batch_op.create_index("ix_report_notes_report", ["report_id", "created_at"], unique=False)

    if postgres:
        op.execute(
            "CREATE INDEX ix_mentors_listed_search_trgm ON mentors "
            "USING gin (search_text public.gin_trgm_ops) WHERE status = 'listed'"
        )
    for table in WRITE_ONCE_TABLES:
        forbid_changes(table, postgres=postgres)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in WRITE_ONCE_TABLES:
        allow_changes(table, postgres=postgres)
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS refuse_change()")
        op.execute("DROP INDEX IF EXISTS ix_mentors_listed_search_trgm")
    with op.batch_alter_table("report_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_report_notes_report")

    op.drop_table("report_notes")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_time")
        batch_op.drop_index("ix_audit_events_report")
        batch_op.drop_index("ix_audit_events_mentor")
        batch_op.drop_index("ix_audit_events_action_time")

    op.drop_table("audit_events")
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.drop_index("ix_signatures_mentor")

    op.drop_table("signatures")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_status_created")
        batch_op.drop_index("ix_reports_mentor")
        batch_op.drop_index("ix_reports_created")
        batch_op.drop_index("ix_reports_category_created")

    op.drop_table("reports")
    op.drop_table("moderator_sessions")
    with op.batch_alter_table("mentor_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_offers_value")

    op.drop_table("mentor_offers")
    with op.batch_alter_table("mentor_languages", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_languages_value")

    op.drop_table("mentor_languages")
    with op.batch_alter_table("mentor_disciplines", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_disciplines_value")

    op.drop_table("mentor_disciplines")
    with op.batch_alter_table("blocked_identities", schema=None) as batch_op:
        batch_op.drop_index("ix_blocked_identities_lookup")

    op.drop_table("blocked_identities")
    with op.batch_alter_table("rate_limit_hits", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_limit_hits_lookup")

    op.drop_table("rate_limit_hits")
    op.drop_table("moderators")
    with op.batch_alter_table("mentors", schema=None) as batch_op:
        batch_op.drop_index("ix_mentors_status_changed")
        batch_op.drop_index(
            "ix_mentors_listed_seniority",
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
            postgresql_include=["id"],
        )
        batch_op.drop_index(
            "ix_mentors_listed_place",
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
            postgresql_include=["id"],
        )
        batch_op.drop_index(
            "ix_mentors_listed_open",
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
            postgresql_include=["id"],
        )
        batch_op.drop_index(
            "ix_mentors_listed_newest",
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
        )
        batch_op.drop_index(
            "ix_mentors_listed_name",
            sqlite_where=sa.text("status = 'listed'"),
            postgresql_where=sa.text("status = 'listed'"),
        )
        batch_op.drop_index("ix_mentors_created_at")

    op.drop_table("mentors")
    op.drop_table("code_versions")
