"""refold the directory's search keys

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-30

The search keys stored on mentors (search_text, name_key, city_key) are now folded the way
services.core.matching describes: every Latin letter to its ASCII spelling (ø, Ł, æ, ß, đ...), invisible
characters removed, and name_key/city_key cut to fit their columns. Existing rows are rewritten
in batches of BATCH rows, ordered by id; no row is added or removed, and erased (deleted)
listings keep their empty keys. The keys are computed by the app's own functions, so they are
exactly what the app writes from now on; if those rules change again, add another migration
like this one. Downgrading writes keys the way the previous rules did.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from services.core.matching import city_key, mentor_search_text, name_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BATCH = 500
DELETED = "deleted"

mentors = sa.table(
    "mentors",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("full_name", sa.String),
    sa.column("headline", sa.String),
    sa.column("company", sa.String),
    sa.column("bio", sa.Text),
    sa.column("city", sa.String),
    sa.column("search_text", sa.Text),
    sa.column("name_key", sa.String),
    sa.column("city_key", sa.String),
)
KEYS = ("search_text", "name_key", "city_key")


def _current_keys(row: Any) -> dict[str, str | None]:
    return {
        "search_text": mentor_search_text(row.full_name, row.headline, row.company, row.bio),
        "name_key": name_key(row.full_name),
        "city_key": city_key(row.city),
    }


def _previous_search_key(text: str) -> str:
    """The rule before this revision: NFKD, combining marks dropped, case-folded, single-spaced."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def _previous_keys(row: Any) -> dict[str, str | None]:
    parts = (row.full_name, row.headline, row.company or "", row.bio or "")
    return {
        "search_text": _previous_search_key(" ".join(parts)),
        "name_key": _previous_search_key(row.full_name)[:120],
        "city_key": _previous_search_key(row.city)[:100] if row.city else None,
    }


def _rewrite(keys_of: Callable[[Any], dict[str, str | None]]) -> None:
    bind = op.get_bind()
    rewrite = (
        sa.update(mentors)
        .where(mentors.c.id == sa.bindparam("row_id"))
        .values({key: sa.bindparam(f"new_{key}") for key in KEYS})
    )
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(mentors).where(mentors.c.id > last_id).order_by(mentors.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        changes = []
        for row in rows:
            keys = keys_of(row)
            if row.status != DELETED and any(keys[k] != getattr(row, k) for k in KEYS):
                changes.append({"row_id": row.id, **{f"new_{k}": v for k, v in keys.items()}})
        if changes:
            bind.execute(rewrite, changes)
        last_id = rows[-1].id


def upgrade() -> None:
    _rewrite(_current_keys)


def downgrade() -> None:
    _rewrite(_previous_keys)
