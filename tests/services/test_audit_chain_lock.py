"""The chain's lock on PostgreSQL: a sealer that finds it taken leaves the rows to the holder, and
one that must seal (the daily check) waits for it; either way it says how many rows it sealed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from models.db import make_session_factories
from services.audit import audit_log
from services.evidence import chain
from tests.conftest import NOW, TEST_DATABASE_URL, migrated_database
from tests.services.test_audit_chain import chain_rows, verdict_of

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)"
)


def _leave_unsealed(engine: Engine, count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commit `count` audit rows whose seal right after the commit failed (the database went away)."""

    def database_gone(_bind: Engine) -> int:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    _, writer = make_session_factories(engine)
    with monkeypatch.context() as patch:
        patch.setattr(chain, "seal_committed", database_gone)
        for n in range(count):
            with writer.begin() as session:
                audit_log.record(session, action=f"left_{n}", actor=audit_log.SYSTEM, now=NOW)
    assert [r["chain_seq"] for r in chain_rows(engine)] == [None] * count


def test_a_sealer_leaves_rows_to_the_lock_holder_and_the_daily_check_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with migrated_database("postgresql", tmp_path) as engine:
        _leave_unsealed(engine, 3, monkeypatch)
        result: list[int] = []
        with engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": chain.LOCK_ID})

            assert chain.seal_committed(engine) == 0  # taken: left to the holder, no wait
            assert [r["chain_seq"] for r in chain_rows(engine)] == [None] * 3

            waiting = threading.Thread(
                target=lambda: result.append(chain.seal_committed(engine, wait=True))
            )
            waiting.start()
            waiting.join(0.5)
            assert waiting.is_alive() and result == []  # it waits for the lock
            holder.rollback()  # the holder's transaction ends: the lock is free
            waiting.join(30)
        assert result == [3]
        assert [r["chain_seq"] for r in chain_rows(engine)] == [1, 2, 3]
        assert verdict_of(engine).intact
        assert chain.seal_committed(engine, wait=True) == 0  # nothing waits any more
