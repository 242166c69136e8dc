"""Migration 0018 adds the rounds of the Code's versions, and goes back without touching the
versions or the signatures."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from models.db import migrate
from tests.conftest import DATABASES, migrated_database
from tests.migrations.test_0003_refold_search_keys import downgrade


@pytest.mark.parametrize("kind", DATABASES)
def test_0018_adds_the_rounds_table_both_ways(kind: str, tmp_path: Path) -> None:
    with migrated_database(kind, tmp_path, "0017") as engine:
        assert "code_version_rounds" not in inspect(engine).get_table_names()
        migrate(engine, "0018")
        columns = {c["name"] for c in inspect(engine).get_columns("code_version_rounds")}
        assert columns == {"id", "code_version_id", "in_force_at", "sign_by"}
        downgrade(engine, "0017")
        tables = inspect(engine).get_table_names()
        assert "code_version_rounds" not in tables and {"code_versions", "signatures"} <= set(tables)
