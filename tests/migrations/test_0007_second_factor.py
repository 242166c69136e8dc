"""Migration 0007 adds the second factor and keeps every moderator, session and audit row."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import column, func, insert, inspect, select, table

from models import AuditEvent, Moderator, ModeratorSession
from models.db import migrate
from tests.conftest import DATABASES, NOW, migrated_database
from tests.migrations.test_0003_refold_search_keys import downgrade

moderators = Moderator.__table__
sessions = ModeratorSession.__table__
# the sessions table as it was before 0007
sessions_0006 = table("moderator_sessions", *(column(name) for name in (
    "token_hash", "moderator_id", "started_at", "last_seen_at")))  # fmt: skip
ALICE = {"id": 1, "username": "alice", "password_hash": "$argon2id$x", "created_at": NOW}
OPEN_SESSION = {"token_hash": "a" * 64, "moderator_id": 1, "started_at": NOW, "last_seen_at": NOW}
ADDED = {"occurred_at": NOW, "actor_kind": "system", "moderator_id": 1, "action": "moderator_added"}


@pytest.mark.parametrize("kind", DATABASES)
def test_moderators_and_their_sessions_survive_0007_both_ways(kind: str, tmp_path: Path) -> None:
    with migrated_database(kind, tmp_path, "0006") as engine:
        with engine.begin() as connection:
            connection.execute(insert(moderators), [ALICE])
            connection.execute(insert(sessions_0006), [OPEN_SESSION])
            connection.execute(insert(AuditEvent.__table__), [ADDED])
        migrate(engine, "0007")
        with engine.connect() as connection:
            alice = connection.execute(select(moderators.c.username, moderators.c.totp_secret,
                                              moderators.c.totp_last_step)).one()  # fmt: skip
            awaiting = connection.scalar(select(sessions.c.awaiting_second_factor))
        assert (alice.username, alice.totp_secret, alice.totp_last_step) == ("alice", None, None)
        assert awaiting is False  # a session opened before 0007 stays signed in
        assert "moderator_recovery_codes" in inspect(engine).get_table_names()

        downgrade(engine, "0006")
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(AuditEvent.__table__)) == 1
            assert connection.scalar(select(func.count()).select_from(sessions)) == 1
        assert "moderator_recovery_codes" not in inspect(engine).get_table_names()
        assert "totp_secret" not in {c["name"] for c in inspect(engine).get_columns("moderators")}
