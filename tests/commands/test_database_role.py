"""The app's own PostgreSQL role can do the app's work, and can't switch off the append-only rules."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from commands.database_role import grant_statements
from models import AuditEvent
from services.evidence import chain
from tests.conftest import TEST_DATABASE_URL, migrated_database
from tests.factories import sign_up

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)"),
]


def test_the_app_role_works_but_cannot_disable_triggers_or_rewrite_history(tmp_path: Path) -> None:
    role = f"wan_app_{uuid.uuid4().hex[:8]}"
    with migrated_database("postgresql", tmp_path) as engine:
        with engine.begin() as owner:
            schema = owner.execute(text("SELECT current_schema()")).scalar_one()
            for statement in grant_statements(role, schema=schema):
                owner.execute(text(statement))
        try:
            with engine.connect() as connection:
                connection.execute(text(f"SET ROLE {role}"))
                with Session(bind=connection) as session:  # the app's work: a sign-up
                    mentor_id = sign_up(session).mentor_id
                    chain.seal(session)  # the role seals its rows into the chain
                    unsealed = select(func.count()).select_from(AuditEvent).where(AuditEvent.chain_seq.is_(None))
                    assert session.scalar(unsealed) == 0
                assert mentor_id
                # but a sealed row is sealed for good, even through the columns it may set
                refused = pytest.raises(DBAPIError, match="write-once")
                with refused, connection.begin_nested():
                    connection.execute(text("UPDATE audit_events SET row_hash = 'forged', chain_seq = 99"))
                for forbidden in (
                    "ALTER TABLE audit_events DISABLE TRIGGER ALL",
                    "ALTER TABLE listing_events DISABLE TRIGGER USER",
                    "UPDATE audit_events SET reason = 'rewritten'",
                    "DELETE FROM listing_events",
                    "TRUNCATE signatures",
                    "DROP TABLE report_events",
                    "SET session_replication_role = replica",
                ):
                    denied = pytest.raises(DBAPIError, match="permission denied|must be owner|must be superuser")
                    with denied, connection.begin_nested():
                        connection.execute(text(forbidden))
                connection.rollback()
        finally:
            with engine.begin() as owner:
                owner.execute(text(f"DROP OWNED BY {role}"))
                owner.execute(text(f"DROP ROLE {role}"))


def test_only_plain_names_reach_the_sql() -> None:
    with pytest.raises(ValueError, match="identifier"):
        grant_statements("app; DROP TABLE mentors", schema="public")
