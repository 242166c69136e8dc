"""Forgetting on schedule (python -m commands.maintenance, and every start), and the sample year."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commands import maintenance, start
from models import DirectorySearch, Mentor, Report, ReportEvent
from models.base import utcnow
from models.db import make_engine, make_session_factories, migrate
from services.directory.mentor_search import MentorFilter
from services.directory.search_log import SearchRecord, record_searches
from tests.factories import make_profile, sign_up, submit_sign_up


def searches_by_age(url: str, *days_ago: int) -> None:
    engine = make_engine(url)
    migrate(engine)
    today = utcnow().date()
    with make_session_factories(engine)[1].begin() as session:
        record_searches(session, searches=[
            SearchRecord.of(MentorFilter(country="FR"), results=1, day=today - timedelta(days=d))
            for d in days_ago])  # fmt: skip
    engine.dispose()


def kept(url: str) -> int:
    engine = make_engine(url)
    with make_session_factories(engine)[0]() as session:
        count = session.scalar(select(func.count()).select_from(DirectorySearch)) or 0
    engine.dispose()
    return count


@pytest.fixture(autouse=True)
def mail_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mail job's folder (never the project's data/mail)."""
    monkeypatch.setenv("MAIL_DIR", str(tmp_path / "mail"))
    return tmp_path / "mail"


def test_maintenance_forgets_searches_older_than_13_months_once_a_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    searches_by_age(url, 1, 200, 400, 500)
    maintenance.main(["--database-url", url])
    assert ("Forget old directory searches and no-reply signals: Forgot 2 directory searches older "
            "than 13 months, and who sent the 0 no-reply signals older than 60 days.") in capsys.readouterr().out.splitlines()
    assert kept(url) == 2
    searches_by_age(url, 600)
    maintenance.main(["--database-url", url])  # run again at once: not due before tomorrow
    assert "Forget old directory searches" not in capsys.readouterr().out
    assert kept(url) == 3
    maintenance.main(["--database-url", url, "--all"])
    assert kept(url) == 2


def test_maintenance_deletes_sign_ups_never_confirmed_within_a_week(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    with make_session_factories(engine)[1].begin() as session:
        for days in (8, 6):
            submit_sign_up(session, make_profile(email=f"waited{days}@example.org"),
                           now=utcnow() - timedelta(days=days))  # fmt: skip
        sign_up(session, now=utcnow() - timedelta(days=30))  # confirmed: stays
    maintenance.main(["--database-url", url])
    out = capsys.readouterr().out
    assert "Delete sign-ups never confirmed: Deleted 1 sign-ups never confirmed within 7 days." in out
    assert "Send or retry the mail that is due: sent 3" in out  # the confirmation links
    with make_session_factories(engine)[0]() as session:
        statuses = dict(session.execute(select(Mentor.email, Mentor.status)).all())  # type: ignore[arg-type]
    engine.dispose()
    assert statuses == {None: "deleted", "waited6@example.org": "unconfirmed",
                        next(e for e in statuses if e and e.startswith("mentor")): "listed"}  # fmt: skip


def test_start_forgets_old_searches_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    searches_by_age(url, 3, 450)
    start.prepare_database()
    assert kept(url) == 1


def test_the_first_local_start_also_makes_a_year_of_sample_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr("models.db.DEFAULT_SQLITE_PATH", tmp_path / "local.sqlite3")
    start.prepare_database()
    assert "and a made-up year of history" in capsys.readouterr().out
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    with make_session_factories(engine)[0]() as session:
        reports = session.scalar(select(func.count()).select_from(Report)) or 0
        moderated = session.scalar(
            select(func.count())
            .select_from(ReportEvent)
            .where(ReportEvent.moderator_id.is_not(None))
        )
        oldest = session.scalar(select(func.min(Report.created_at)))
    engine.dispose()
    assert reports > 150 and moderated
    assert oldest is not None and utcnow() - oldest > timedelta(days=330)
    assert kept(f"sqlite:///{tmp_path / 'local.sqlite3'}") > 3000
