"""Migration 0002 on a populated database: every row kept, and the history the old rows tell."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from models import AuditEvent, ListingEvent, Mentor, Report, ReportEvent
from models.db import make_session_factories, migrate
from tests.conftest import DATABASES, NOW, migrated_database

T = [NOW + timedelta(hours=h) for h in range(12)]


def _mentor(connection: object, mentor_id: int, status: str, changed: int) -> None:
    connection.execute(text(  # type: ignore[attr-defined]
        "INSERT INTO mentors (id, full_name, headline, seniority, country, open_to_new_mentees, status,"
        " is_sample, search_text, name_key, email_key, created_at, updated_at, listed_at, status_changed_at)"
        " VALUES (:id, :name, 'Headline', 'senior', 'GB', true, :status, false, '', '', :email, :t0, :t, :t0, :t)"
    ), {"id": mentor_id, "name": f"Mentor {mentor_id}", "status": status,
        "email": f"m{mentor_id}@example.org", "t0": T[0], "t": T[changed]})  # fmt: skip


def _audit(connection: object, when: int, action: str, actor: str, *, mentor: int | None = None,
           report: int | None = None, moderator: int | None = None, reason: str | None = None,
           detail: str | None = None) -> None:  # fmt: skip
    connection.execute(text(  # type: ignore[attr-defined]
        "INSERT INTO audit_events (occurred_at, actor_kind, moderator_id, action, mentor_id, report_id,"
        " reason, detail) VALUES (:t, :actor, :moderator, :action, :mentor, :report, :reason, :detail)"
    ), {"t": T[when], "actor": actor, "moderator": moderator, "action": action, "mentor": mentor,
        "report": report, "reason": reason, "detail": detail})  # fmt: skip


def _report(connection: object, report_id: int, mentor_id: int, status: str) -> None:
    connection.execute(text(  # type: ignore[attr-defined]
        "INSERT INTO reports (id, reference, kind, mentor_id, category, description, suspected_spam,"
        " status, version, created_at, updated_at) VALUES (:id, :ref, 'violation', :mentor,"
        " 'asking_for_payment', 'What happened', false, :status, 3, :t0, :t)"
    ), {"id": report_id, "ref": f"WAN-TEST-000{report_id}", "mentor": mentor_id, "status": status,
        "t0": T[1], "t": T[9]})  # fmt: skip


def _populate_the_old_way(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO moderators (id, username, created_at) VALUES (1, 'alice', :t)"),
                           {"t": T[0]})  # fmt: skip
        _mentor(connection, 1, "listed", 3)
        _audit(connection, 0, "signed_up", "mentor", mentor=1)
        _audit(connection, 2, "paused", "mentor", mentor=1)
        _audit(connection, 3, "resumed", "mentor", mentor=1)
        _mentor(connection, 2, "banned", 6)
        _report(connection, 1, 2, "in_review")
        _audit(connection, 0, "signed_up", "mentor", mentor=2)
        _audit(connection, 1, "report_filed", "public", mentor=2, report=1)
        _audit(connection, 2, "report_status_changed", "moderator", moderator=1, report=1, detail="status=in_review")
        _audit(connection, 3, "mentor_removed", "moderator", mentor=2, moderator=1, report=1, reason="Payment")
        _audit(connection, 4, "report_status_changed", "moderator", moderator=1, report=1, detail="status=resolved_action")
        _audit(connection, 5, "mentor_restored", "moderator", mentor=2, moderator=1, reason="Appeal",
               detail="restored_to=listed")  # fmt: skip
        _audit(connection, 6, "mentor_banned", "moderator", mentor=2, moderator=1, reason="Again")
        _audit(connection, 7, "report_status_changed", "moderator", moderator=1, report=1, detail="status=in_review")
        _mentor(connection, 3, "paused", 8)  # sample data: no audit row at all
        _report(connection, 2, 3, "dismissed")  # nor for this report
        _mentor(connection, 4, "listed", 0)
        _audit(connection, 0, "signed_up", "mentor", mentor=4)
        _audit(connection, 1, "edited", "mentor", mentor=4, detail="open_to_new_mentees=False")


@pytest.mark.parametrize("kind", DATABASES)
def test_the_migration_keeps_every_row_and_tells_each_history(kind: str, tmp_path: Path) -> None:
    with migrated_database(kind, tmp_path, revision="0001") as engine:
        _populate_the_old_way(engine)
        migrate(engine)
        reader, _ = make_session_factories(engine)
        with reader() as session:
            assert session.scalar(select(func.count()).select_from(Mentor)) == 4
            assert session.scalar(select(func.count()).select_from(Report)) == 2
            assert session.scalar(select(func.count()).select_from(AuditEvent)) == 13
            assert set(session.scalars(select(Mentor.version))) == {1}

            def listing(mentor_id: int) -> list[tuple[object, ...]]:
                rows = session.execute(
                    select(ListingEvent.kind, ListingEvent.from_status, ListingEvent.to_status,
                           ListingEvent.actor_kind, ListingEvent.reason, ListingEvent.report_id)
                    .where(ListingEvent.mentor_id == mentor_id).order_by(ListingEvent.occurred_at, ListingEvent.id)
                )  # fmt: skip
                return [tuple(row) for row in rows]

            assert [r[:3] for r in listing(1)] == [
                ("signed_up", None, "listed"), ("paused", "listed", "paused"), ("resumed", "paused", "listed")]
            assert listing(2) == [
                ("signed_up", None, "listed", "mentor", None, None),
                ("removed", "listed", "removed", "moderator", "Payment", 1),
                ("restored", "removed", "listed", "moderator", "Appeal", None),
                ("banned", "listed", "banned", "moderator", "Again", None),
            ]
            [(signed, *_), (paused_kind, before, after, actor, *_)] = listing(3)
            assert (signed, paused_kind, before, after, actor) == ("signed_up", "paused", "listed", "paused", "system")
            assert [r[0] for r in listing(4)] == ["signed_up", "availability_changed"]

            def report(report_id: int) -> list[tuple[object, ...]]:
                rows = session.execute(
                    select(ReportEvent.kind, ReportEvent.from_status, ReportEvent.to_status)
                    .where(ReportEvent.report_id == report_id).order_by(ReportEvent.occurred_at, ReportEvent.id)
                )  # fmt: skip
                return [tuple(row) for row in rows]

            assert report(1) == [("filed", None, "new"), ("review_started", "new", "in_review"),
                                 ("resolved_with_action", "in_review", "resolved_action"),
                                 ("reopened", "resolved_action", "in_review")]  # fmt: skip
            assert report(2) == [("filed", None, "new"), ("dismissed", "new", "dismissed")]
        with engine.connect() as connection, pytest.raises(Exception, match="write-once"):
            connection.execute(text("DELETE FROM listing_events"))
