"""The audit log's hash chain, on SQLite and PostgreSQL: sealed at commit, checked by the verifier,
which finds a row changed, deleted, swapped or written past the chain by the table's owner (the
test switches the write-once triggers off, as only an owner can), at the right row."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from commands import verify_audit
from models import AuditEvent, OutboxMail
from models.db import make_session_factories
from services.audit import audit_log
from services.core.vocabulary import ActorKind
from services.evidence import chain
from services.evidence.sealer import SealerThread
from services.evidence.verify import BROKEN, check_daily, verify
from tests.conftest import DATABASES, NOW, TEST_DATABASE_URL, migrated_database, postgres_schema_url
from tests.factories import make_profile, sign_up


@pytest.fixture(params=DATABASES)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database of its own: the chain is global, so these tests don't share one."""
    with migrated_database(request.param, tmp_path) as engine:
        yield engine


def populate(engine: Engine, mentors: int = 4) -> None:
    """Sign-ups and confirmations (audit rows by the lifecycle's door), each its own transaction."""
    _, writer = make_session_factories(engine)
    for n in range(mentors):
        with writer.begin() as session:
            sign_up(session, make_profile(email=f"chain{n}@example.org",
                                          linkedin_url=f"https://www.linkedin.com/in/chain-{n}"))  # fmt: skip


def chain_rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(select(AuditEvent).order_by(AuditEvent.chain_seq))
        return [dict(row._mapping) for row in rows]


def expected_hash(row: dict[str, Any], previous: str) -> str:
    """The hash as the chain's docstring specifies it, computed here independently."""
    when = row["occurred_at"]
    if when.tzinfo is None:  # SQLite hands back the stored text's naive time (UTC)
        when = when.replace(tzinfo=UTC)
    content = [row["id"], row["chain_seq"], previous,
               when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), row["actor_kind"],
               row["moderator_id"], row["actor_label"], row["action"], row["mentor_id"],
               row["report_id"], row["reason"], row["detail"]]  # fmt: skip
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


@contextmanager
def as_owner(engine: Engine) -> Iterator[Connection]:
    """The table's owner, with the write-once triggers switched off."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_events_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
        yield connection


def verdict_of(engine: Engine) -> Any:
    return verify(make_session_factories(engine)[0], batch=3)  # small batches: the seams too


def test_every_row_joins_the_chain_when_its_transaction_commits(fresh: Engine) -> None:
    populate(fresh)
    rows = chain_rows(fresh)
    assert len(rows) == 8  # a sign-up and a confirmation each
    previous = "0" * 64
    for position, row in enumerate(rows, start=1):
        assert row["chain_seq"] == position
        assert row["prev_hash"] == previous
        assert row["row_hash"] == expected_hash(row, previous)
        previous = row["row_hash"]
    verdict = verdict_of(fresh)
    assert verdict.intact and verdict.rows_checked == 8
    assert verdict.head is not None and verdict.head.row_hash == rows[-1]["row_hash"]


def test_a_row_written_in_a_savepoint_that_rolled_back_leaves_no_hole(fresh: Engine) -> None:
    _, writer = make_session_factories(fresh)
    with writer.begin() as session:
        audit_log.record(session, action="kept_1", actor=audit_log.SYSTEM, now=NOW)
        nested = session.begin_nested()
        audit_log.record(session, action="rolled_back", actor=audit_log.SYSTEM, now=NOW)
        session.flush()
        nested.rollback()
        audit_log.record(session, action="kept_2", actor=audit_log.SYSTEM, now=NOW)
    assert [r["action"] for r in chain_rows(fresh)] == ["kept_1", "kept_2"]
    assert verdict_of(fresh).intact


def test_a_row_changed_by_the_owner_is_named(fresh: Engine) -> None:
    populate(fresh)
    target = chain_rows(fresh)[4]
    with as_owner(fresh) as owner:
        owner.execute(text("UPDATE audit_events SET reason = 'nothing happened' WHERE id = :id"),
                      {"id": target["id"]})  # fmt: skip
    verdict = verdict_of(fresh)
    assert not verdict.intact
    assert verdict.row_id == target["id"] and "changed" in (verdict.problem or "")
    assert verdict.rows_checked == 4  # the four before it still match


def test_a_row_deleted_by_the_owner_is_named_at_the_row_after_the_gap(fresh: Engine) -> None:
    populate(fresh)
    rows = chain_rows(fresh)
    with as_owner(fresh) as owner:
        # a confirmation's row (a sign-up's is named by its signature's receipt)
        owner.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": rows[3]["id"]})
    verdict = verdict_of(fresh)
    assert not verdict.intact
    assert verdict.row_id == rows[4]["id"] and "position 4 is missing" in (verdict.problem or "")


def test_two_rows_swapped_by_the_owner_are_named_at_the_first(fresh: Engine) -> None:
    populate(fresh)
    rows = chain_rows(fresh)
    first, second = rows[2], rows[5]
    with as_owner(fresh) as owner:  # each row takes the other's place, hashes and all
        for row, other in ((first, second), (second, first)):
            owner.execute(text(
                "UPDATE audit_events SET action = :action, mentor_id = :mentor, chain_seq = -chain_seq "
                "WHERE id = :id"), {"action": other["action"], "mentor": other["mentor_id"], "id": row["id"]})
        owner.execute(text("UPDATE audit_events SET chain_seq = :seq, prev_hash = :prev, row_hash = :hash "
                           "WHERE id = :id"), [
            {"seq": second["chain_seq"], "prev": second["prev_hash"], "hash": second["row_hash"], "id": first["id"]},
            {"seq": first["chain_seq"], "prev": first["prev_hash"], "hash": first["row_hash"], "id": second["id"]},
        ])  # fmt: skip
    verdict = verdict_of(fresh)
    assert not verdict.intact
    assert verdict.row_id == second["id"]  # now at the first of the two positions
    assert verdict.rows_checked == 2


def test_a_row_written_past_the_chain_is_named(fresh: Engine) -> None:
    populate(fresh, mentors=1)
    with fresh.begin() as connection:  # no audit_log door: no seal
        connection.execute(AuditEvent.__table__.insert().values(
            occurred_at=NOW, actor_kind=ActorKind.SYSTEM.value, action="slipped_in"))  # fmt: skip
        stray = connection.scalar(select(func.max(AuditEvent.id)))
    verdict = verdict_of(fresh)
    assert not verdict.intact and verdict.row_id == stray and "not in the chain" in (verdict.problem or "")


def test_a_sealed_row_can_be_neither_changed_nor_resealed_nor_deleted(fresh: Engine) -> None:
    populate(fresh, mentors=1)
    row = chain_rows(fresh)[0]
    for statement in ("UPDATE audit_events SET reason = 'rewritten' WHERE id = :id",
                      "UPDATE audit_events SET row_hash = 'x', prev_hash = 'y' WHERE id = :id",
                      "UPDATE audit_events SET chain_seq = NULL, row_hash = NULL, prev_hash = NULL WHERE id = :id",
                      "DELETE FROM audit_events WHERE id = :id"):  # fmt: skip
        with pytest.raises(DatabaseError, match="write-once"), fresh.begin() as connection:
            connection.execute(text(statement), {"id": row["id"]})
    assert chain_rows(fresh)[0] == row and verdict_of(fresh).intact


def test_the_command_says_intact_or_names_the_row_with_its_exit_code(
    fresh: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    populate(fresh, mentors=2)
    url = fresh.url.render_as_string(hide_password=False)
    if fresh.dialect.name == "postgresql":  # the test's own schema, not public
        with fresh.connect() as connection:
            schema = connection.scalar(text("SELECT current_schema()"))
        url = postgres_schema_url(TEST_DATABASE_URL, str(schema))
    assert verify_audit.main(["--database-url", url]) == 0
    assert "intact: 4 rows" in capsys.readouterr().out
    target = chain_rows(fresh)[1]
    with as_owner(fresh) as owner:
        owner.execute(text("UPDATE audit_events SET detail = 'edited' WHERE id = :id"), {"id": target["id"]})
    assert verify_audit.main(["--database-url", url]) == 1
    assert f"broken at row {target['id']}" in capsys.readouterr().err


def test_the_daily_check_mails_the_contact_address_only_when_broken(fresh: Engine) -> None:
    populate(fresh, mentors=1)
    _, writer = make_session_factories(fresh)
    said = check_daily(writer, contact_email="team@example.org", now=NOW)
    assert said.startswith("The audit log's chain is intact")
    target = chain_rows(fresh)[0]
    with as_owner(fresh) as owner:
        owner.execute(text("UPDATE audit_events SET action = 'edited' WHERE id = :id"), {"id": target["id"]})
    said = check_daily(writer, contact_email="team@example.org", now=NOW)
    assert said.startswith(BROKEN) and "mailed" in said
    with writer() as session:
        mails = session.scalars(select(OutboxMail).where(OutboxMail.kind == "audit_chain_broken")).all()
    assert [(m.recipient, m.values["row"]) for m in mails] == [("team@example.org", target["id"])]
    assert "nobody was mailed" in check_daily(writer, contact_email=None, now=NOW)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_fifty_concurrent_writers_leave_one_unbroken_chain(tmp_path: Path) -> None:
    with migrated_database("postgresql", tmp_path) as engine:
        _, writer = make_session_factories(engine.execution_options())
        engine.pool.dispose()
        barrier, errors = threading.Barrier(50), []

        def write(n: int, factory: sessionmaker[Session]) -> None:
            barrier.wait()
            try:
                for round_ in range(4):
                    with factory.begin() as session:
                        for part in range(2):
                            audit_log.record(session, action=f"w{n}.{round_}.{part}",
                                             actor=audit_log.SYSTEM, now=NOW)  # fmt: skip
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(repr(error))

        threads = [threading.Thread(target=write, args=(n, writer)) for n in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        verdict = verify(make_session_factories(engine)[0])
        assert verdict.intact and verdict.rows_checked == 400
        rows = chain_rows(engine)
        assert [r["chain_seq"] for r in rows] == list(range(1, 401))  # no fork, no gap
        assert {r["action"] for r in rows} == {f"w{n}.{round_}.{part}" for n in range(50)
                                               for round_ in range(4) for part in range(2)}  # fmt: skip


def test_rows_a_failed_sealer_left_are_sealed_by_the_next_commit(
    fresh: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL seals after the commit; SQLite seals in the writer's transaction, so a failed
    seal there fails the commit and leaves nothing behind."""
    if fresh.dialect.name == "sqlite":
        pytest.skip("SQLite seals before the commit: nothing can be left unsealed")
    _, writer = make_session_factories(fresh)
    real = chain.seal_committed

    def database_gone(_bind: Engine) -> int:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(chain, "seal_committed", database_gone)
    with writer.begin() as session:  # committed, but the sealer right after it failed
        audit_log.record(session, action="while_down", actor=audit_log.SYSTEM, now=NOW)
    assert [r["chain_seq"] for r in chain_rows(fresh)] == [None]
    assert not verdict_of(fresh).intact  # named as not in the chain, until sealed
    monkeypatch.setattr(chain, "seal_committed", real)
    with writer.begin() as session:
        audit_log.record(session, action="back_up", actor=audit_log.SYSTEM, now=NOW)
    assert [(r["action"], r["chain_seq"]) for r in chain_rows(fresh)] == [("while_down", 1), ("back_up", 2)]
    assert verdict_of(fresh).intact


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_the_sealer_thread_seals_what_commits_wake_it_for(tmp_path: Path) -> None:
    with migrated_database("postgresql", tmp_path) as engine:
        _, writer = make_session_factories(engine)
        sealer = SealerThread(writer.kw["bind"], poll=3600)  # only commits wake it
        sealer.start()
        try:
            for n in range(5):
                with writer.begin() as session:
                    audit_log.record(session, action=f"woke_{n}", actor=audit_log.SYSTEM, now=NOW)
            deadline = time.monotonic() + 10
            while any(r["chain_seq"] is None for r in chain_rows(engine)) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert [r["action"] for r in chain_rows(engine)] == [f"woke_{n}" for n in range(5)]
        finally:
            assert sealer.stop()
        assert verdict_of(engine).intact
        assert chain.SEALERS == {}  # stopped: commits seal their own rows again
        with writer.begin() as session:
            audit_log.record(session, action="after_stop", actor=audit_log.SYSTEM, now=NOW)
        assert chain_rows(engine)[-1]["chain_seq"] == 6
