"""Migration 0006 widens the stored search key of existing listings, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from models import Mentor, MentorDiscipline, MentorLanguage, MentorOffer
from models.db import migrate
from services.core.matching import mentor_search_text
from tests.conftest import DATABASES, NOW, migrated_database
from tests.migrations.test_0003_refold_search_keys import downgrade

ROWS = 1_003  # more than two batches
mentors = Mentor.__table__


def row(n: int, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": n + 1, "full_name": f"Rui Costa {n}", "headline": "Copywriter", "company": None,
        "bio": None, "city": "Porto", "seniority": "senior", "country": "PT",
        "open_to_new_mentees": True, "status": "listed", "is_sample": False,
        "search_text": f"rui costa {n} copywriter", "name_key": f"rui costa {n}",
        "city_key": "porto", "created_at": NOW, "updated_at": NOW, "listed_at": NOW,
        "status_changed_at": NOW,
    }  # fmt: skip
    base.update(values)
    return base


@pytest.mark.parametrize("kind", DATABASES)
def test_existing_listings_are_found_by_place_language_and_offer_after_0006(
    kind: str, tmp_path: Path
) -> None:
    with migrated_database(kind, tmp_path, "0005") as engine:
        with engine.begin() as connection:
            connection.execute(insert(mentors), [row(n) for n in range(ROWS)])
            connection.execute(insert(mentors), [row(ROWS, full_name="Deleted mentor", headline="",
                               city=None, status="deleted", search_text="", name_key="")])  # fmt: skip
            ids = range(1, ROWS + 1)
            connection.execute(insert(MentorDiscipline.__table__),
                               [{"mentor_id": i, "discipline": "creative_copywriting"} for i in ids])
            connection.execute(insert(MentorLanguage.__table__),
                               [{"mentor_id": i, "language": "pt"} for i in ids])
            connection.execute(insert(MentorOffer.__table__),
                               [{"mentor_id": i, "offer": "portfolio_reviews"} for i in ids])  # fmt: skip
        migrate(engine, "0006")
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(mentors)) == ROWS + 1
            texts = connection.scalars(select(mentors.c.search_text).order_by(mentors.c.id)).all()
        for n, text in enumerate(texts[:ROWS]):
            assert text == (f"rui costa {n} copywriter porto portugal creative / copywriting "
                            "portuguese portfolio / book reviews")  # fmt: skip
        assert texts[ROWS] == ""  # an erased listing stays erased
        downgrade(engine, "0005")
        with engine.connect() as connection:
            first = connection.scalar(select(mentors.c.search_text).where(mentors.c.id == 1))
        assert first == mentor_search_text("Rui Costa 0", "Copywriter") == "rui costa 0 copywriter"
