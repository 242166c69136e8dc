"""the search box finds places, disciplines, languages and offers too

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

A listing's search key (`mentors.search_text`) now holds, besides its name, headline, company
and bio, its city, its country (in English and in its own language), its disciplines, its
languages and what it offers, by their labels (services/directory/keywords.py). Existing rows
are rewritten in batches of BATCH, ordered by id, with the app's own function, so they hold
exactly what the app writes from now on; erased (deleted) listings keep their empty key. On
SQLite the full-text index follows through its triggers (migration 0004). Downgrading writes
the narrower key of before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from services.core.matching import mentor_search_text
from services.directory.keywords import listing_search_text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 500
DELETED = "deleted"

mentors = sa.table(
    "mentors",
    *(sa.column(name) for name in ("id", "status", "full_name", "headline", "company", "bio",
                                   "city", "country", "search_text")),
)  # fmt: skip
TAGS = {"disciplines": ("mentor_disciplines", "discipline"),
        "languages": ("mentor_languages", "language"), "offers": ("mentor_offers", "offer")}  # fmt: skip


def _broad(row: Any, tags: dict[str, list[str]]) -> str:
    return listing_search_text(
        full_name=row.full_name, headline=row.headline, company=row.company, bio=row.bio,
        city=row.city, country=row.country, disciplines=tags["disciplines"],
        languages=tags["languages"], offers=tags["offers"],
    )  # fmt: skip


def _narrow(row: Any, _tags: dict[str, list[str]]) -> str:
    return mentor_search_text(row.full_name, row.headline, row.company, row.bio)


def _tags_of(bind: Any, ids: list[int]) -> dict[int, dict[str, list[str]]]:
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: {k: [] for k in TAGS})
    for key, (table_name, column) in TAGS.items():
        table = sa.table(table_name, sa.column("mentor_id"), sa.column(column))
        rows = bind.execute(
            sa.select(table.c.mentor_id, table.c[column])
            .where(table.c.mentor_id.in_(ids))
            .order_by(table.c.mentor_id, table.c[column])
        )
        for mentor_id, value in rows:
            found[mentor_id][key].append(value)
    return found


def _rewrite(text_of: Callable[[Any, dict[str, list[str]]], str]) -> None:
    bind = op.get_bind()
    rewrite = (
        sa.update(mentors)
        .where(mentors.c.id == sa.bindparam("row_id"))
        .values(search_text=sa.bindparam("new_text"))
    )
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(mentors).where(mentors.c.id > last_id).order_by(mentors.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        tags = _tags_of(bind, [row.id for row in rows])
        changes = [
            {"row_id": row.id, "new_text": new}
            for row in rows
            if row.status != DELETED and (new := text_of(row, tags[row.id])) != row.search_text
        ]
        if changes:
            bind.execute(rewrite, changes)
        last_id = rows[-1].id


def upgrade() -> None:
    _rewrite(_broad)


def downgrade() -> None:
    _rewrite(_narrow)
