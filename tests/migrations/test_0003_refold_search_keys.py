"""Migration 0003 rewrites the stored search keys of existing mentors, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, func, insert, select

from models import Mentor
from models.db import PROJECT_ROOT, migrate
from services.core.matching import city_key, mentor_search_text, name_key
from tests.conftest import DATABASES, NOW, migrated_database

ROWS = 1_203  # more than two batches
mentors = Mentor.__table__
# The columns the table had then (later migrations add more).
THEN = [c for c in mentors.c if c.name not in ("available_confirmed_at", "paused_until", "note_until",
                                               "removed_until")]


def downgrade(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


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
    with migrated_database(kind, tmp_path, "0002") as engine:
        with engine.begin() as connection:
            connection.execute(insert(mentors), [old_row(n) for n in range(ROWS)])
            connection.execute(insert(mentors), [old_row(
                ROWS, full_name="Deleted mentor", headline="", city=None, status="deleted",
                search_text="", name_key="", city_key=None)])  # fmt: skip
        migrate(engine, "0003")
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(mentors)) == ROWS + 1
            rows = connection.execute(select(*THEN).order_by(mentors.c.id)).all()
        for n, row in enumerate(rows[:ROWS]):
            assert row.name_key == name_key(f"Søren Łukasz {n}") == f"soren lukasz {n}"
            assert row.city_key == city_key("Łódź") == "lodz"
            assert row.search_text == mentor_search_text(row.full_name, "Straße Æsir")
            assert row.search_text == f"soren lukasz {n} strasse aesir"
        erased = rows[ROWS]
        assert (erased.search_text, erased.name_key, erased.city_key) == ("", "", None)

        downgrade(engine, "0002")
        with engine.connect() as connection:
            first = connection.execute(select(*THEN).order_by(mentors.c.id)).first()
            assert connection.scalar(select(func.count()).select_from(mentors)) == ROWS + 1
        assert first is not None and first.name_key == "søren łukasz 0"
