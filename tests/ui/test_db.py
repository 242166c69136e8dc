"""The app's own sessions: ui.db.reading() refuses a write that it would otherwise throw away."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select

from models import Moderator
from models.db import WriteWhileReading
from tests.conftest import NOW
from ui.db import reading, writing


@pytest.fixture
def app_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite3'}")
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def moderators() -> int:
    with reading() as session:
        return int(session.scalar(select(func.count()).select_from(Moderator)) or 0)


def test_a_write_inside_reading_is_an_error_not_a_silent_rollback(app_database: None) -> None:
    with pytest.raises(WriteWhileReading), reading() as session:
        session.add(Moderator(username="lost", password_hash="x", created_at=NOW))
        session.flush()
    assert moderators() == 0
    with writing() as session:
        session.add(Moderator(username="kept", password_hash="x", created_at=NOW))
    assert moderators() == 1
