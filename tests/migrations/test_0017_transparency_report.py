"""Migration 0017 adds the published periods of the transparency report, one row per period."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import column, insert, inspect, table
from sqlalchemy.exc import IntegrityError

from models.db import migrate
from tests.conftest import DATABASES, NOW, migrated_database
from tests.migrations.test_0003_refold_search_keys import downgrade

moderators = table("moderators", column("id"), column("username"), column("created_at"))
published = table("published_periods", *(column(name) for name in (
    "period_key", "published_at", "published_by", "figures")))  # fmt: skip
Q3 = {"period_key": "2026-Q3", "published_at": NOW, "published_by": 1, "figures": "{}"}


@pytest.mark.parametrize("kind", DATABASES)
def test_0017_keeps_one_row_per_period_and_goes_both_ways(kind: str, tmp_path: Path) -> None:
    with migrated_database(kind, tmp_path, "0017") as engine:
        with engine.begin() as connection:
            connection.execute(
                insert(moderators), [{"id": 1, "username": "alice", "created_at": NOW}]
            )
            connection.execute(insert(published), [Q3])
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(insert(published), [{**Q3, "figures": "[]"}])
        downgrade(engine, "0016")
        assert "published_periods" not in inspect(engine).get_table_names()
        migrate(engine, "0017")
        assert "published_periods" in inspect(engine).get_table_names()
