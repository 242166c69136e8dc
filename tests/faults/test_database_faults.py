"""The database stopped or frozen while people use the app: a clear message in time, nothing lost,
and back to normal without a restart once the database is back."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from models import Mentor
from models.db import make_engine, make_session_factories, migrate
from tests.faults.conftest import Cluster
from tests.pages.conftest import open_app, shown
from tests.pages.test_become_a_mentor import fill_in, submit

pytestmark = pytest.mark.postgres
COULD_NOT_SAVE = "We couldn't save this just now"
PAGE = "pages/become_a_mentor.py"


@pytest.fixture
def app_on(private_postgres: Cluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cluster]:
    """The app's database is the private cluster (migrated), with fresh Streamlit caches."""
    engine = make_engine(private_postgres.url)
    migrate(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", private_postgres.url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield private_postgres
    st.cache_data.clear()
    st.cache_resource.clear()


def listed(cluster: Cluster) -> int:
    """How many listings the database holds (signed up, whether confirmed yet or not)."""
    engine = make_engine(cluster.url)
    try:
        with make_session_factories(engine)[0]() as session:
            return session.scalar(select(func.count()).select_from(Mentor)) or 0
    finally:
        engine.dispose()


def typed_values(app: AppTest) -> tuple[object, ...]:
    return (app.text_input(key="signup_full_name").value, app.text_area(key="signup_bio").value,
            app.multiselect(key="signup_languages").value, app.checkbox(key="signup_agreed").value,
            app.text_input(key="signup_typed_name").value)  # fmt: skip


def shown_messages(app: AppTest) -> str:
    return " ".join((*shown(app, "error"), *shown(app, "warning")))


def test_a_sign_up_while_the_database_is_down_keeps_everything_and_works_once_it_is_back(
    app_on: Cluster,
) -> None:
    app = fill_in(open_app(PAGE))
    before = typed_values(submit_ready(app))
    app_on.stop()
    app = submit(app)
    assert not app.exception
    assert COULD_NOT_SAVE in shown_messages(app)
    assert typed_values(app) == before  # every field kept
    app_on.start()
    app = submit(app)  # the same page, the same process: no restart
    assert not app.exception and "Check your inbox" in app.success[0].value
    assert listed(app_on) == 1


def test_a_frozen_database_gets_the_message_within_ten_seconds_and_nothing_is_lost(
    app_on: Cluster,
) -> None:
    app = fill_in(open_app(PAGE))
    before = typed_values(submit_ready(app))
    app_on.freeze()
    started = time.monotonic()
    try:
        app = submit(app)
        waited = time.monotonic() - started
    finally:
        app_on.thaw()
    assert not app.exception
    assert COULD_NOT_SAVE in shown_messages(app)
    assert waited < 11, f"waited {waited:.1f} s"
    assert typed_values(app) == before
    app = submit(app)
    assert "Check your inbox" in app.success[0].value and listed(app_on) == 1


def test_the_directory_says_it_is_unavailable_instead_of_failing(app_on: Cluster) -> None:
    app = open_app()
    assert not app.exception
    app_on.stop()
    st.cache_data.clear()
    app.run()
    assert not app.exception
    assert any("temporarily unavailable" in w.value for w in app.warning)
    app_on.start()
    app.run()
    assert not app.exception and not any("temporarily unavailable" in w.value for w in app.warning)


def submit_ready(app: AppTest) -> AppTest:
    """Run once so the filled-in values are the widgets' (as after typing)."""
    return app.run()
