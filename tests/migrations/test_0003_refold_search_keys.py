"""Migration 0003 rewrites the stored search keys of existing mentors, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, func, insert, select, text

from models import Mentor
from models.db import PROJECT_ROOT, make_engine
from services.matching import city_key, mentor_search_text, name_key
from tests.conftest import DATABASES, NOW, TEST_DATABASE_URL, postgres_schema_url

ROWS = 1_203  # more than two batches
mentors = Mentor.__table__


def alembic(engine: Engine, verb: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, revision)


@contextmanager
def database_at_0002(kind: str, directory: Path) -> Iterator[Engine]:
    """A new database migrated to revision 0002 only, gone afterwards."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{directory / 'refold.sqlite3'}")
    else:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        admin = make_engine(TEST_DATABASE_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = make_engine(postgres_schema_url(TEST_DATABASE_URL, schema))
    try:
        alembic(engine, "upgrade", "0002")
        yield engine
    finally:
        engine.dispose()
        if kind != "sqlite":
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def old_row(n: int, **values: object) -> dict[str, object]:
    """A mentor as the app stored it before 0003: keys still spelled with ø, ł, æ, ß."""
    row: dict[str, object] = {
        "full_name": f"Søren Łukasz {n}", "headline": "Straße Æsir", "company": None, "bio": None,
        "city": "Łódź", "seniority": "senior", "country": "PL", "open_to_new_mentees": True,
        "status": "listed", "is_sample": False, "search_text": f"søren łukasz {n} straße æsir",
        "name_key": f"søren łukasz {n}", "city_key": "łodz", "created_at": NOW, "updated_at": NOW,
        "listed_at": NOW, "status_changed_at": NOW,
    }  # fmt: skip
    row.update(values)
    return row


@pytest.mark.parametrize("kind", DATABASES)
def test_stored_keys_are_refolded_and_every_row_is_kept(kind: str, tmp_path: Path) -> None:
    with database_at_0002(kind, tmp_path) as engine:
        with engine.begin() as connection:
            connection.execute(insert(mentors), [old_row(n) for n in range(ROWS)])
            connection.execute(insert(mentors), [old_row(
                ROWS, full_name="Deleted mentor", headline="", city=None, status="deleted",
                search_text="", name_key="", city_key=None)])  # fmt: skip
        alembic(engine, "upgrade", "0003")
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(mentors)) == ROWS + 1
            rows = connection.execute(select(mentors).order_by(mentors.c.id)).all()
        for n, row in enumerate(rows[:ROWS]):
            assert row.name_key == name_key(f"Søren Łukasz {n}") == f"soren lukasz {n}"
            assert row.city_key == city_key("Łódź") == "lodz"
            assert row.search_text == mentor_search_text(row.full_name, "Straße Æsir")
            assert row.search_text == f"soren lukasz {n} strasse aesir"
        erased = rows[ROWS]
        assert (erased.search_text, erased.name_key, erased.city_key) == ("", "", None)

        alembic(engine, "downgrade", "0002")
        with engine.connect() as connection:
            first = connection.execute(select(mentors).order_by(mentors.c.id)).first()
            assert connection.scalar(select(func.count()).select_from(mentors)) == ROWS + 1
        assert first is not None and first.name_key == "søren łukasz 0"
