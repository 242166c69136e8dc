"""The moderation console through the app: the gate, sign-in, and one-click removal."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import ListingEvent, Mentor, Report
from models.base import utcnow
from models.db import PROJECT_ROOT
from services.accounts.auth import add_moderator
from services.accounts.moderator_sessions import sign_out
from services.core.vocabulary import CodeClause
from services.reports.intake import ReportInput, file_report
from tests.conftest import NOW
from tests.factories import sign_up
from tests.pages.conftest import (
    DASHBOARD,
    card_names,
    field_errors,
    shown,
    sign_in_token,
    signed_in,
)  # fmt: skip
from ui import navigation
from ui.gate import SESSION_KEY

PASSWORD = "correct horse battery"
CLAUSE_LABEL = "The part of the Code of Conduct this enforces"
MODERATION_PAGES = [spec.path for spec in navigation.MODERATION_PAGES]  # every console page


@pytest.fixture
def case(app_db: sessionmaker[Session]) -> int:
    """A moderator, a listed mentor with private details, and a report about them."""
    with app_db.begin() as session:
        add_moderator(session, username="alice", password=PASSWORD, now=NOW)
        mentor_id = sign_up(
            session, full_name="Jane Doe", email="jane.private@example.org"
        ).mentor_id
        file_report(session, client_key="t", now=NOW, report=ReportInput(
            mentor_id=mentor_id, category="asking_for_payment", description="SECRET-DESCRIPTION",
            reporter_role="mentee", reporter_email="reporter.private@example.org"))  # fmt: skip
    return mentor_id


def everything_shown(app: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "text", "title", "subheader", "code")
        for e in getattr(app, kind)
    ]
    return "\n".join(str(p) for p in parts)


def sign_in(app: AppTest, password: str = PASSWORD) -> AppTest:
    return signed_in(app, "alice", password)


@pytest.mark.parametrize("page", MODERATION_PAGES)
def test_a_moderation_page_run_on_its_own_shows_only_the_sign_in_form(case: int, page: str) -> None:
    # What a freshly started server does for /moderation_queue before dashboard.py ever ran.
    app = AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=30).run()
    shown = everything_shown(app)
    assert [t.value for t in app.title] == ["Moderator sign-in"]
    assert "SECRET-DESCRIPTION" not in shown and "private@example.org" not in shown
    assert not app.dataframe and not app.metric


@pytest.mark.parametrize("page", MODERATION_PAGES)
def test_a_signed_out_bookmark_shows_the_sign_in_then_the_page_itself(case: int, page: str) -> None:
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    app.switch_page(page).run()
    assert [t.value for t in app.title] == ["Moderator sign-in"]
    assert "SECRET-DESCRIPTION" not in everything_shown(app) and not app.dataframe
    app = sign_in(app)  # the sign-in form is the server's (tests/server); back on the same page
    assert [t.value for t in app.title] != ["Moderator sign-in"] and not app.exception


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_queue(case: int) -> None:
    app = sign_in(AppTest.from_file(DASHBOARD, default_timeout=30).run(), password="wrong password")
    app.switch_page("pages/moderation_queue.py").run()
    assert [t.value for t in app.title] == ["Moderator sign-in"]
    assert "SECRET-DESCRIPTION" not in everything_shown(app)
    app = sign_in(app)
    app.switch_page("pages/moderation_queue.py").run()
    assert [t.value for t in app.title] == ["Report queue"]
    assert "SECRET-DESCRIPTION" in [t.value for t in app.text]


def test_remove_in_one_click_with_a_reason_and_the_directory_forgets_the_mentor(
    case: int, app_db: sessionmaker[Session]
) -> None:
    app = sign_in(AppTest.from_file(DASHBOARD, default_timeout=30).run())
    app.switch_page("pages/moderation_queue.py").run()
    app = next(b for b in app.button if b.label == "Remove").click().run()
    app = next(b for b in app.button if b.label == "Confirm: remove").click().run()
    assert "Please give a reason" in field_errors(app)[0]  # no removal without a reason
    reason_box(app).input("Asked a mentee for money.")
    app = next(b for b in app.button if b.label == "Confirm: remove").click().run()
    assert "Remove: done" in shown(app, "success")[0]
    with app_db() as session:
        assert session.scalar(select(Mentor.status).where(Mentor.id == case)) == "removed"
    app.switch_page("pages/find_a_mentor.py").run()
    assert "Jane Doe" not in card_names(app)


def test_signing_out_closes_the_console(case: int, app_db: sessionmaker[Session]) -> None:
    app = AppTest.from_file(DASHBOARD, default_timeout=30)
    app.session_state[SESSION_KEY] = sign_in_token("alice", PASSWORD)
    app.run()
    assert any(b.label == "Sign out" for b in app.sidebar.button)
    app.switch_page("pages/moderation_audit.py").run()
    assert [t.value for t in app.title] == ["Audit log"]
    with app_db.begin() as session:  # what the server's sign-out (or one in another tab) does
        sign_out(session, token=app.session_state[SESSION_KEY], now=utcnow())
    app.run()
    assert [t.value for t in app.title] == ["Moderator sign-in"] and not app.dataframe
    assert "Your session has ended" in shown(app, "info")[0]


def reason_box(app: AppTest) -> Any:
    """The open confirmation's reason box (its key names the action, the listing and the report)."""
    return next(box for box in app.text_area if box.label == "Reason (goes into the audit log)")


def confirm(app: AppTest, label: str, reason: str, clause: CodeClause | None = None) -> AppTest:
    """Click `label`, give the reason (and the part of the Code, where the report names none)."""
    app = next(b for b in app.button if b.label == label).click().run()
    reason_box(app).input(reason)
    if clause is not None:
        next(s for s in app.selectbox if s.label == CLAUSE_LABEL).set_value(clause)
    return next(b for b in app.button if b.label == f"Confirm: {label.lower()}").click().run()


def statuses(app_db: sessionmaker[Session]) -> dict[str, str]:
    with app_db() as session:
        return dict(session.execute(select(Mentor.full_name, Mentor.status)).all())


def test_on_the_mentors_page_the_acted_on_mentor_stays_open_and_only_it_changes(
    case: int, app_db: sessionmaker[Session]
) -> None:
    with app_db.begin() as session:
        bea = sign_up(session, full_name="Bea Brown").mentor_id
        for name in ("Amy Adams", "Cy Cole"):
            sign_up(session, full_name=name)
    app = sign_in(AppTest.from_file(DASHBOARD, default_timeout=30).run())
    app.switch_page("pages/moderation_mentors.py").run()
    picker = app.selectbox(key="roster_open")
    app = picker.set_value(bea).run()
    app = confirm(app, "Remove", "Rude to a mentee", CodeClause.RESPECTFUL)
    assert not app.exception
    assert "Remove: done for Bea Brown." in shown(app, "success")
    assert app.selectbox(key="roster_open").value == bea  # still open, although the list changed
    assert "Listing: **Removed by a moderator**" in everything_shown(app)
    app = confirm(app, "Restore", "Mistake")
    assert "Restore: done for Bea Brown." in shown(app, "success")
    assert app.selectbox(key="roster_open").value == bea
    assert set(statuses(app_db).values()) == {"listed"}
    with app_db() as session:
        acted_on = set(
            session.scalars(
                select(ListingEvent.mentor_id).where(ListingEvent.kind.in_(("removed", "restored")))
            )
        )
    assert acted_on == {bea}


def test_a_ban_from_a_report_resolves_it_and_the_report_stays_open(
    case: int, app_db: sessionmaker[Session]
) -> None:
    app = sign_in(AppTest.from_file(DASHBOARD, default_timeout=30).run())
    app.switch_page("pages/moderation_queue.py").run()
    app = confirm(app, "Ban", "Asked for money")
    assert not app.exception
    assert "Ban: done for Jane Doe." in shown(app, "success")
    with app_db() as session:
        assert session.scalar(select(Mentor.status).where(Mentor.id == case)) == "banned"
        assert session.scalar(select(Report.status)) == "resolved_action"
    everything = everything_shown(app)
    assert "SECRET-DESCRIPTION" in everything and "Resolved: action taken" in everything
    assert [b.label for b in app.button if b.label in ("Restore", "Reopen")] == [
        "Reopen",
        "Restore",
    ]


def test_after_the_idle_time_the_next_click_says_the_session_ended_and_asks_to_sign_in(
    case: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODERATOR_IDLE_MINUTES", "0.02")  # 1.2 seconds
    app = sign_in(AppTest.from_file(DASHBOARD, default_timeout=30).run())
    app.switch_page("pages/moderation_queue.py").run()
    assert [t.value for t in app.title] == ["Report queue"]
    time.sleep(1.5)
    app.switch_page("pages/moderation_mentors.py").run()
    assert [t.value for t in app.title] == ["Moderator sign-in"]
    assert "Your session has ended" in shown(app, "info")[0]
    assert not app.dataframe
