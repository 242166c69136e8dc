"""The console's scheduled jobs: each job's last run, its outcome and the next one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from models import ScheduledJob
from models.base import utcnow
from services.accounts.auth import add_moderator
from services.jobs.catalogue import JOBS
from tests.conftest import NOW
from tests.pages.conftest import open_app, signed_in

PAGE = "pages/moderation_jobs.py"


def test_every_job_is_shown_with_its_last_run_outcome_and_next_run(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        add_moderator(session, username="alice", password="correct horse battery", now=NOW)
        session.add(ScheduledJob(name="old_searches", next_run_at=utcnow() + timedelta(hours=20),
                                 last_started_at=utcnow() - timedelta(hours=4),
                                 last_finished_at=utcnow() - timedelta(hours=4), last_outcome="failed",
                                 last_detail="Failed: OperationalError"))  # fmt: skip
    app = signed_in(open_app(PAGE), "alice", "correct horse battery")
    assert not app.exception
    [table] = app.dataframe
    rows = table.value.set_index("job")
    assert list(rows.index) == [job.label for job in JOBS]
    searches = rows.loc["Forget old directory searches and no-reply signals"]
    assert (searches["outcome"], searches["detail"], searches["every"]) == ("Failed", "Failed: OperationalError", "1 d")
    assert rows.loc["Send or retry the mail that is due"]["outcome"] == "Not run yet"
