"""Migration 0016 chains the audit rows already there and gives old signatures a receipt, on
SQLite and PostgreSQL; both ways, nothing is lost."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import column, func, insert, select, table

from models import AuditEvent
from models.db import make_session_factories, migrate
from services.evidence.receipts import ALPHABET, CODE_LENGTH
from services.evidence.verify import verify
from tests.conftest import DATABASES, NOW, migrated_database
from tests.migrations.test_0003_refold_search_keys import downgrade, old_row

# the tables as they were before 0016
audit_0015 = table("audit_events", *(column(n) for n in (
    "occurred_at", "actor_kind", "moderator_id", "actor_label", "action", "mentor_id", "reason", "detail")))  # fmt: skip
versions_0015 = table("code_versions", *(column(n) for n in ("id", "sha256", "text", "first_seen_at")))
signatures_0015 = table("signatures", *(column(n) for n in (
    "mentor_id", "code_version_id", "typed_name", "agreement_text", "occasion", "signed_at")))  # fmt: skip
mentors_0015 = table("mentors", *(column(n) for n in old_row(0)))


@pytest.mark.parametrize("kind", DATABASES)
def test_existing_audit_rows_are_chained_and_signatures_get_receipts(kind: str, tmp_path: Path) -> None:
    with migrated_database(kind, tmp_path, "0015") as engine:
        with engine.begin() as connection:
            connection.execute(insert(mentors_0015), [old_row(1), old_row(2)])
            mentor_ids = connection.scalars(select(column("id")).select_from(table("mentors"))).all()
            connection.execute(insert(audit_0015), [
                {"occurred_at": NOW + timedelta(minutes=n), "actor_kind": "mentor", "moderator_id": None,
                 "actor_label": None, "action": "listing.signed_up", "mentor_id": mentor_ids[n % 2],
                 "reason": None, "detail": f"row {n}"} for n in range(5)])  # fmt: skip
            connection.execute(insert(versions_0015), [{"id": 1, "sha256": "a" * 64, "text": "Code",
                                                        "first_seen_at": NOW}])  # fmt: skip
            connection.execute(insert(signatures_0015), [
                {"mentor_id": m, "code_version_id": 1, "typed_name": "Søren", "agreement_text": "I agree",
                 "occasion": "sign_up", "signed_at": NOW + timedelta(minutes=3)} for m in mentor_ids])  # fmt: skip
        migrate(engine, "0016")
        verdict = verify(make_session_factories(engine)[0])
        assert verdict.intact and verdict.rows_checked == 5
        with engine.connect() as connection:
            signatures = connection.execute(select(column("mentor_id"), column("receipt_code"),
                                                   column("audit_event_id")).select_from(table("signatures"))
                                            .order_by(column("mentor_id"))).all()  # fmt: skip
            audit = {r.id: r for r in connection.execute(select(AuditEvent.id, AuditEvent.mentor_id,
                                                                AuditEvent.occurred_at))}  # fmt: skip
        for mentor_id, code, audit_id in signatures:
            assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
            # the mentor's last audit row at or before the signature's time
            assert audit[audit_id].mentor_id == mentor_id
            assert audit[audit_id].occurred_at <= NOW + timedelta(minutes=3)
        assert len({code for _, code, _ in signatures}) == 2

        downgrade(engine, "0015")
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(table("audit_events"))) == 5
            assert connection.scalar(select(func.count()).select_from(table("signatures"))) == 2
        migrate(engine, "head")  # and up again: chained once more
        assert verify(make_session_factories(engine)[0]).intact
