# ruff: noqa: F811 - `case` is a fixture imported from test_moderation
"""Where a second factor is required, a moderator without one sees how to set it up and nothing
of the console; with one, the console."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Moderator
from models.base import utcnow
from services.accounts import second_factor
from services.accounts.moderator_sessions import complete_second_factor
from tests.pages.conftest import DASHBOARD, sign_in_token
from tests.pages.test_moderation import MODERATION_PAGES, PASSWORD, case, everything_shown  # noqa: F401
from ui.gate import SESSION_KEY


@pytest.mark.parametrize("page", MODERATION_PAGES)
def test_without_a_second_factor_the_console_shows_only_how_to_set_one_up(
    case: int, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUIRE_SECOND_FACTOR", "1")
    app = AppTest.from_file(DASHBOARD, default_timeout=30)
    app.session_state[SESSION_KEY] = sign_in_token("alice", PASSWORD)
    app.run()
    app.switch_page(page).run()
    assert [t.value for t in app.title] == ["Set up your second factor"] and not app.exception
    assert (
        "SECRET-DESCRIPTION" not in everything_shown(app) and not app.dataframe and not app.metric
    )
    assert [b.label for b in app.main.button] == ["Set up my second factor"]


def test_with_a_second_factor_the_console_opens(
    case: int, app_db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUIRE_SECOND_FACTOR", "1")
    with app_db.begin() as session:
        alice = session.scalar(select(Moderator.id).where(Moderator.username == "alice"))
        second_factor.enrol(session, moderator_id=alice, secret=pyotp.random_base32(), now=utcnow())
    pending = sign_in_token("alice", PASSWORD)  # the password step: it waits for its code
    app = AppTest.from_file(DASHBOARD, default_timeout=30)
    app.session_state[SESSION_KEY] = pending
    app.run()
    app.switch_page("pages/moderation_queue.py").run()
    assert [t.value for t in app.title] == ["Moderator sign-in"]  # a password alone opens nothing
    with app_db.begin() as session:  # the code step (through the server: tests/server)
        app.session_state[SESSION_KEY] = complete_second_factor(
            session, token=pending, now=utcnow()
        )
    app.run()
    assert [t.value for t in app.title] == ["Report queue"]
