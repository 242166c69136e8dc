"""Page tests: the real app script through AppTest, on a SQLite file of its own per test."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models.base import utcnow
from models.db import PROJECT_ROOT, make_engine, make_session_factories, migrate
from services.accounts import auth
from ui import gate

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    """The database the app under test uses, as a committing session factory for arranging data."""
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    # A database given this way asks moderators for a second factor; the page tests that are
    # about it switch it back on (tests/pages/test_second_factor_gate.py).
    monkeypatch.setenv("REQUIRE_SECOND_FACTOR", "0")
    st.cache_data.clear()
    st.cache_resource.clear()
    engine = make_engine(url)
    migrate(engine)
    yield make_session_factories(engine)[1]
    engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()


def sign_in_token(username: str, password: str) -> str | None:
    """A moderator session on the app's database, as the server's sign-in form makes one (None:
    refused). AppTest can't carry the cookie, so tests hand the token to the gate's session key."""
    engine = make_engine(os.environ["DATABASE_URL"])
    writer = make_session_factories(engine)[1]
    try:
        granted = auth.sign_in(writer.begin, username=username, password=password,
                               client_key="page-test", secret_hashes={}, now=utcnow())  # fmt: skip
    finally:
        engine.dispose()
    return granted.token if granted else None


def signed_in(app: AppTest, username: str, password: str) -> AppTest:
    """`app` with a moderator's session (if the password is right), run again."""
    if token := sign_in_token(username, password):
        app.session_state[gate.SESSION_KEY] = token
    return app.run()


def open_app(switch_to: str | None = None, **query: str | list[str]) -> AppTest:
    """Run the app once, optionally on another page and with URL query parameters."""
    app = AppTest.from_file(DASHBOARD, default_timeout=30)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if switch_to:
        app.switch_page(switch_to).run()
    return app


def unescape(markdown: str) -> str:
    """What a reader sees of markdown written by ui.plain.md_escape."""
    unbolded = re.sub(r"(?<!\\)\*\*", "", markdown)  # our own bold markers, not escaped ones
    return re.sub(r"\\(.)", r"\1", unbolded).replace("\u2060", "")


def card_texts(app: AppTest) -> list[str]:
    """What each mentor card says, as a reader sees it (Markdown escapes undone)."""
    return [unescape(m.value) for m in app.markdown if m.value.startswith("### ")]


def card_names(app: AppTest) -> list[str]:
    """The names on the cards, in order (without pronouns)."""
    return [text.splitlines()[0][4:].split(" (")[0] for text in card_texts(app)]


def shown(app: AppTest, kind: str) -> list[str]:
    """The messages of one kind (success, info, warning, error), as a reader sees them."""
    return [unescape(element.value) for element in getattr(app, kind)]


def field_errors(app: AppTest) -> list[str]:
    """The messages shown under fields, as a reader sees them."""
    prefix = ":material/error: Error: "
    return [
        text[len(prefix) :] for m in app.markdown if (text := unescape(m.value)).startswith(prefix)
    ]
