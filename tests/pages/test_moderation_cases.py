"""A case in the console: what the confirmation says before a take-down, and what each case shows."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Report
from services.accounts.auth import add_moderator
from services.reports.intake import ReportInput, file_report
from tests.conftest import NOW
from tests.factories import sign_up
from tests.pages.conftest import DASHBOARD, unescape
from tests.pages.test_moderation import PASSWORD, sign_in


def report(session: Session, mentor_id: int, n: int) -> None:
    file_report(session, client_key=f"t{n}", now=NOW, report=ReportInput(
        mentor_id=mentor_id, category="harassment", description=f"Report number {n}.",
        reporter_role="mentee"))  # fmt: skip


@pytest.fixture
def jane(app_db: sessionmaker[Session]) -> int:
    """A moderator, and Jane, reported three times."""
    with app_db.begin() as session:
        add_moderator(session, username="alice", password=PASSWORD, now=NOW)
        jane = sign_up(session, full_name="Jane Doe").mentor_id
        for n in range(3):
            report(session, jane, n)
    return jane


def console(page: str) -> AppTest:
    app = sign_in(AppTest.from_file(DASHBOARD, default_timeout=30).run())
    return app.switch_page(page).run()


def said(app: AppTest) -> list[str]:
    return [unescape(m.value) for m in app.markdown]


def test_the_ban_confirmation_says_how_many_other_reports_it_closes(
    jane: int, app_db: sessionmaker[Session]
) -> None:
    app = console("pages/moderation_queue.py")
    app = next(b for b in app.button if b.label == "Ban").click().run()
    closed_too = "2 other open reports about this mentor will be closed as well"
    assert any(text.startswith(closed_too) for text in said(app))
    app.text_area(key="mentor_action_reason").input("Harassed three mentees")
    app = next(b for b in app.button if b.label == "Confirm: ban").click().run()
    assert not app.exception
    with app_db() as session:
        assert set(session.scalars(select(Report.status))) == {"resolved_action"}


def test_from_the_roster_the_confirmation_counts_every_open_report(jane: int) -> None:
    app = console("pages/moderation_mentors.py")
    app.selectbox(key="roster_open").set_value(jane).run()
    app = next(b for b in app.button if b.label == "Remove").click().run()
    assert any(t.startswith("3 open reports about this mentor will be closed") for t in said(app))
    app = next(b for b in app.button if b.label == "Cancel").click().run()
    app = next(b for b in app.button if b.label == "Ban").click().run()
    assert any(t.startswith("3 open reports about this mentor will be closed") for t in said(app))
