"""The README's first command: a new local database gets sample data and a sample moderator."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commands import start
from models import ListingEvent, Mentor, Moderator, RateLimitHit
from models.base import utcnow
from models.db import make_engine, make_session_factories
from services.accounts import throttle
from services.samples.year import UNCONFIRMED
from tests.history_checks import listing_history_problems, report_history_problems


def counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    with make_session_factories(engine)[0]() as session:
        mentors = session.scalar(select(func.count()).select_from(Mentor)) or 0
        sample = session.scalar(select(func.count()).where(Mentor.is_sample.is_(True))) or 0
        moderators = session.scalar(select(func.count()).select_from(Moderator)) or 0
    engine.dispose()
    return mentors, sample, moderators


def test_first_start_fills_the_embedded_database_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr("models.db.DEFAULT_SQLITE_PATH", tmp_path / "local.sqlite3")
    start.prepare_database()
    printed = capsys.readouterr().out
    assert "username: sample-moderator" in printed and "password: " in printed
    start.prepare_database()
    assert "password" not in capsys.readouterr().out  # shown only the first time
    url = f"sqlite:///{tmp_path / 'local.sqlite3'}"
    # the sample mentors, and the year's sign-ups never confirmed (deleted by the system since)
    made = start.SAMPLE_MENTORS + UNCONFIRMED
    assert counts(url) == (made, made, 1)


def test_the_first_starts_sample_history_is_made_of_moves_the_tables_allow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr("models.db.DEFAULT_SQLITE_PATH", tmp_path / "local.sqlite3")
    start.prepare_database()
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    with make_session_factories(engine)[0]() as session:
        assert listing_history_problems(session) == [] and report_history_problems(session) == []
        by = session.execute(
            select(ListingEvent.actor_kind, Moderator.username)
            .outerjoin(Moderator, Moderator.id == ListingEvent.moderator_id)
            .where(ListingEvent.kind.in_(["removed", "banned", "restored", "taken_off_on_request"]))
        ).all()
        assert by and {tuple(row) for row in by} == {("moderator", start.SAMPLE_MODERATOR)}
    engine.dispose()


def test_a_database_given_through_database_url_never_gets_sample_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    start.prepare_database()
    assert counts(url) == (0, 0, 0)


def test_start_forgets_throttle_counters_older_than_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    start.prepare_database()
    engine = make_engine(url)
    _, writer = make_session_factories(engine)
    now = utcnow()
    with writer.begin() as session:
        throttle.hit(session, scope="report_client", key="old", now=now - timedelta(days=2))
        throttle.hit(session, scope="report_client", key="new", now=now - timedelta(hours=1))
    start.prepare_database()
    with writer() as session:
        assert list(session.scalars(select(RateLimitHit.key))) == ["new"]
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "environ", "address"),
    [
        ([], {}, "http://localhost:8501"),
        (["--server.port", "8600"], {}, "http://localhost:8600"),
        (["--server.port=8601"], {}, "http://localhost:8601"),
        ([], {"STREAMLIT_SERVER_PORT": "8700"}, "http://localhost:8700"),
        (["--server.port", "8602"], {"STREAMLIT_SERVER_PORT": "8700"}, "http://localhost:8602"),
    ],
)
def test_start_says_the_address_it_will_answer_on(
    args: list[str], environ: dict[str, str], address: str
) -> None:
    assert start.local_address(args, environ) == address
