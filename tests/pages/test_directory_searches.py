"""The directory notes what mentees look for: once per new search, anonymously, in batches."""

from __future__ import annotations

import functools

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from models import DirectorySearch
from services.directory.search_log import SearchBuffer
from tests.factories import make_mentor
from tests.pages.conftest import card_names, open_app


@pytest.fixture
def directory(
    app_db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> sessionmaker[Session]:
    """Two listed mentors; searches written as soon as one is noted (a batch of one)."""
    monkeypatch.setattr("ui.search_noting.SearchBuffer", functools.partial(SearchBuffer, size=1))
    with app_db.begin() as session:
        make_mentor(session, full_name="Ada Brand", disciplines=("brand",), country="FR")
        make_mentor(
            session, full_name="Bo Media", disciplines=("media_planning_buying",), country="GB"
        )
    return app_db


def kept(app_db: sessionmaker[Session]) -> list[tuple[str | None, str | None, int]]:
    with app_db() as session:
        rows = session.execute(select(DirectorySearch.disciplines, DirectorySearch.keywords,
                                      DirectorySearch.results).order_by(DirectorySearch.id))  # fmt: skip
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_each_new_search_is_kept_once_with_its_results(directory: sessionmaker[Session]) -> None:
    app = open_app()
    assert kept(directory) == []  # the landing view is not a search
    app.multiselect(key="discipline").set_value(["brand"]).run()
    app.selectbox(key="sort").set_value("name").run()  # the same search, sorted
    app.run()
    app.text_input(key="q").input("Data scientist jane@example.org").run()
    assert not app.exception
    assert kept(directory) == [("brand", None, 1), ("brand", "data scientist", 0)]


def test_a_search_the_database_cannot_keep_still_shows_its_results(
    directory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_: object, **__: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr("ui.search_noting.record_searches", down)
    app = open_app()
    app.multiselect(key="discipline").set_value(["brand"]).run()
    assert not app.exception
    assert card_names(app) == ["Ada Brand"]
