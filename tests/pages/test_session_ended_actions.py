# ruff: noqa: F811 - `case` is a fixture imported from test_moderation
"""A click that arrives after the moderator's session ended changes nothing.

Streamlit runs a button's callback before the page script, with the identity captured at the
last render. Each console action checks the session itself, in its own transaction: here the
session ends between the render and the click (signed out in another tab, idle too long, or the
account disabled) and the database stays as it was, what was typed stays, and the console shows
the way back in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Mentor, Moderator, ModeratorSession, Report, ReportNote
from models.base import utcnow
from services.accounts.moderator_sessions import sign_out
from tests.pages.conftest import DASHBOARD, sign_in_token
from tests.pages.test_moderation import PASSWORD, case, reason_box  # noqa: F401 - `case` is a fixture
from ui.gate import SESSION_KEY

Ender = Callable[[Session, str], None]


def signed_out_elsewhere(session: Session, token: str) -> None:
    sign_out(session, token=token, now=utcnow())


def idle_too_long(session: Session, _token: str) -> None:
    session.execute(update(ModeratorSession).values(last_seen_at=utcnow() - timedelta(hours=2)))


def account_disabled(session: Session, _token: str) -> None:
    session.execute(update(Moderator).values(disabled_at=utcnow()))


ENDINGS = [signed_out_elsewhere, idle_too_long, account_disabled]


def queue(app_db: sessionmaker[Session]) -> AppTest:
    app = AppTest.from_file(DASHBOARD, default_timeout=30)
    app.session_state[SESSION_KEY] = sign_in_token("alice", PASSWORD)
    app.run()
    app.switch_page("pages/moderation_queue.py").run()
    assert [t.value for t in app.title] == ["Report queue"]
    return app


def end_session(app: AppTest, app_db: sessionmaker[Session], ending: Ender) -> None:
    with app_db.begin() as session:
        ending(session, app.session_state[SESSION_KEY])


def state(app_db: sessionmaker[Session]) -> tuple[object, ...]:
    """Everything a console action could change."""
    with app_db() as session:
        return (
            session.execute(
                select(Report.status, Report.assigned_moderator_id, Report.version)
            ).all(),
            session.execute(select(Mentor.status, Mentor.version)).all(),
            session.scalar(select(func.count()).select_from(ReportNote)),
        )


def shows_sign_in(app: AppTest) -> bool:
    return [t.value for t in app.title] == ["Moderator sign-in"] and not app.exception


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_report_step_after_the_session_ended(case: int, app_db, ending: Ender) -> None:
    app = queue(app_db)
    before = state(app_db)
    end_session(app, app_db, ending)
    app = button(app, "Start review").click().run()
    assert state(app_db) == before and shows_sign_in(app)


@pytest.mark.parametrize("ending", ENDINGS)
def test_an_assignment_after_the_session_ended(case: int, app_db, ending: Ender) -> None:
    app = queue(app_db)
    with app_db() as session:
        alice = session.scalar(select(Moderator.id).where(Moderator.username == "alice"))
    app = next(s for s in app.selectbox if s.label == "Assigned to").set_value(alice).run()
    before = state(app_db)
    end_session(app, app_db, ending)
    app = button(app, "Assign").click().run()
    assert state(app_db) == before and shows_sign_in(app)


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_note_after_the_session_ended_is_not_saved_and_its_text_is_kept(
    case: int, app_db, ending: Ender
) -> None:
    app = queue(app_db)
    box = next(b for b in app.text_area if b.label.startswith("Add a note"))
    box.input("Called the mentee back.")
    before = state(app_db)
    end_session(app, app_db, ending)
    app = button(app, "Add note").click().run()
    assert state(app_db) == before and shows_sign_in(app)
    with app_db() as session:
        report_id = session.scalar(select(Report.id))
    assert app.session_state[f"note_body_{report_id}"] == "Called the mentee back."


@pytest.mark.parametrize("action", ["Remove", "Ban"])
@pytest.mark.parametrize("ending", ENDINGS)
def test_a_removal_or_ban_confirmed_after_the_session_ended(
    case: int, app_db, ending: Ender, action: str
) -> None:
    app = queue(app_db)
    app = button(app, action).click().run()
    reason_box(app).input("Asked a mentee for money.")
    before = state(app_db)
    end_session(app, app_db, ending)
    app = button(app, f"Confirm: {action.lower()}").click().run()
    assert state(app_db) == before and shows_sign_in(app)
    with app_db() as session:
        assert session.scalar(select(Mentor.status).where(Mentor.id == case)) == "listed"


def timer_page(token: str) -> None:
    """The console's timeout warning on its own, as its timed fragment draws it (AppTest can't
    wait for a fragment's run_every; a full rerun would itself count as activity)."""
    from ui.session_timer import time_notice

    time_notice(token)


def test_a_few_minutes_before_the_idle_timeout_the_console_warns_and_can_keep_the_session(
    case: int, app_db: sessionmaker[Session]
) -> None:
    token = sign_in_token("alice", PASSWORD)
    app = AppTest.from_function(timer_page, args=(token,), default_timeout=30).run()
    assert not app.warning  # 30 idle minutes left: nothing to say
    with app_db.begin() as session:  # 27 of the 30 idle minutes have gone
        session.execute(
            update(ModeratorSession).values(last_seen_at=utcnow() - timedelta(minutes=27))
        )
    app.run()
    assert "You'll be signed out in about 3 minutes" in app.warning[0].value
    with app_db() as session:  # looking at the clock is not activity
        assert utcnow() - session.scalar(select(ModeratorSession.last_seen_at)) > timedelta(
            minutes=26
        )
    app = button(app, "Stay signed in").click().run()
    with app_db() as session:
        assert utcnow() - session.scalar(select(ModeratorSession.last_seen_at)) < timedelta(
            minutes=1
        )
    assert not app.warning


def test_once_the_session_has_ended_the_warning_says_so(
    case: int, app_db: sessionmaker[Session]
) -> None:
    token = sign_in_token("alice", PASSWORD)
    with app_db.begin() as session:
        session.execute(
            update(ModeratorSession).values(last_seen_at=utcnow() - timedelta(minutes=31))
        )
    app = AppTest.from_function(timer_page, args=(token,), default_timeout=30).run()
    assert "Your session has ended" in app.warning[0].value and not app.button
