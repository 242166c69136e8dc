"""The process's search buffer writes, later and from another thread, to the database it was made for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select

from models import DirectorySearch
from models.db import make_engine, make_session_factories
from services.directory.mentor_search import MentorFilter
from services.directory.search_log import SearchRecord
from ui import search_noting

RECORD = SearchRecord.of(MentorFilter(country="FR"), results=1, day=date(2026, 11, 3))


def test_a_late_write_uses_the_kept_factory_no_new_engine_nor_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", first)
    st.cache_resource.clear()
    buffer = search_noting.search_buffer()  # made during a run: the app's engine exists
    buffer.add(RECORD)
    # Later: the caches were cleared and the settings changed (a test, a redeploy).
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'second.sqlite3'}")
    st.cache_resource.clear()
    migrations: list[object] = []
    monkeypatch.setattr("ui.db.migrate", lambda *args, **_: migrations.append(args))
    # Alembic is not thread-safe: a timer that made (and migrated) an engine could collide
    # with another migration in the process.
    assert buffer.flush() == 1
    assert migrations == []
    engine = make_engine(first)
    with make_session_factories(engine)[0]() as session:
        assert session.scalar(select(func.count()).select_from(DirectorySearch)) == 1
    engine.dispose()
    st.cache_resource.clear()
