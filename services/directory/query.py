"""The directory's WHERE and ORDER BY, shaped for each database's planner.

Measured with benchmarks/directory.py (read `--explain` for every filter combination):

- A place or seniority filter drives through its partial index (country, open, most recently
  confirmed first: no sort needed). "Confirmed in the last 3 months" is a range of that order. The tags are then EXISTS probes, tested on the index's candidates one by one.
- With no such filter, one tag index drives (`mentors.id IN (...)`).
- Keywords: on SQLite every word of three letters or more is looked up in a trigram full-text
  index (FTS5, table `mentor_search`, migration 0004): a rare word costs what its matches cost,
  not a scan of every listed row. Shorter words, and PostgreSQL (whose `pg_trgm` GIN index
  serves LIKE '%word%' directly), use LIKE on the search key.
- `ordered`: for the first pages of a search matching more than COUNT_CAP mentors, nothing may
  drive but the sort order's index, which is walked until one page is found.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, literal, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import InternalTraversal

from models import Mentor, MentorDiscipline, MentorLanguage, MentorOffer
from services.core.matching import city_key, contains_pattern, search_key
from services.core.text import clean_text
from services.core.vocabulary import ListingStatus

if TYPE_CHECKING:
    from services.directory.mentor_search import MentorFilter

MAX_KEYWORDS = 500  # characters of the search box read: 8 words never need more
TRIGRAM = 3  # the shortest word the full-text index can find

mentors = Mentor.__table__
disciplines = MentorDiscipline.__table__
languages = MentorLanguage.__table__
offers = MentorOffer.__table__

# Written into the SQL rather than bound: only a literal matches the partial indexes' WHERE
# status = 'listed', so SQLite answers from an index without reading each row to check the
# status again (40x on a country's mentors), and PostgreSQL can use them in a generic plan.
IS_LISTED = mentors.c.status == literal(ListingStatus.LISTED.value, literal_execute=True)


class Sort(StrEnum):
    # Most recently confirmed available first: a new listing, a resume, an edit and a "Yes, I'm
    # still available" all count, so new mentors and mentors who answer come before the silent.
    RECENT = "recent"
    NAME = "name"


SORT_LABELS = {Sort.RECENT: "Recently confirmed first", Sort.NAME: "Name A-Z"}
RECENT_DAYS = 90  # "confirmed in the last 3 months": the clock asks again after 90 days


def recent_cutoff(now: datetime | None = None) -> datetime:
    """The start of the day RECENT_DAYS ago (UTC): the same bound all day, for every visitor."""
    day = (now or datetime.now(UTC)).astimezone(UTC) - timedelta(days=RECENT_DAYS)
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


def keyword_terms(keywords: str) -> list[str]:
    """The words of a search, as search keys; every word must match somewhere."""
    return search_key(keywords[:MAX_KEYWORDS]).split()[:8]


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """Codes from the URL as the database can compare them (no NUL): unknown ones match nothing."""
    return tuple(clean_text(value) for value in values)


class _Unindexed(ColumnElement[Any]):
    """A column SQLite's planner may not look up through an index (`+column`); plain elsewhere.

    The value is unchanged: SQLite's unary + is a no-op on any value.
    """

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(_Unindexed)
def _compile_unindexed(element: _Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(_Unindexed, "sqlite")
def _compile_unindexed_sqlite(element: _Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


class _KeywordMatch(ColumnElement[bool]):
    """Every word is in the mentor's search key: FTS5 trigram on SQLite, LIKE elsewhere."""

    inherit_cache = True
    _traverse_internals = [
        ("fallback", InternalTraversal.dp_clauseelement),
        ("query", InternalTraversal.dp_clauseelement),
        ("short", InternalTraversal.dp_clauseelement),
        ("has_index_terms", InternalTraversal.dp_boolean),
        ("drives", InternalTraversal.dp_boolean),
    ]

    def __init__(self, terms: list[str], *, drives: bool) -> None:
        long_terms = [t for t in terms if len(t) >= TRIGRAM]
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        self.fallback = and_(true(), *(_like(t) for t in terms))
        self.query: BindParameter[str] = bindparam("fts_query", match, unique=True)
        self.short = and_(true(), *(_like(t) for t in terms if len(t) < TRIGRAM))
        self.has_index_terms = bool(long_terms)
        self.drives = drives
        self.type = self.fallback.type


def _like(term: str) -> ColumnElement[bool]:
    return mentors.c.search_text.like(contains_pattern(term), escape="\\")


@compiles(_KeywordMatch)
def _compile_keywords(element: _KeywordMatch, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.fallback, **kw)


@compiles(_KeywordMatch, "sqlite")
def _compile_keywords_sqlite(element: _KeywordMatch, compiler: SQLCompiler, **kw: Any) -> str:
    if not element.has_index_terms:
        return compiler.process(element.fallback, **kw)
    column = ("" if element.drives else "+") + compiler.process(mentors.c.id, **kw)
    query = compiler.process(element.query, **kw)
    # Compiled fragments only: the words travel as the bound parameter `query`.
    match = f"{column} IN (SELECT rowid FROM mentor_search WHERE mentor_search MATCH {query})"  # noqa: S608
    return f"{match} AND {compiler.process(element.short, **kw)}"


def _has_any(table: Any, column: str, values: tuple[str, ...], *, how: str) -> Any:
    """The mentor has at least one of `values` in an association table.

    "exists": a correlated EXISTS, probed for each candidate another index yields; "in":
    mentors.id IN (subquery), which SQLite can drive from the tag index, in id order.
    """
    match = table.c[column].in_(values)
    if how == "exists":
        return exists().where(table.c.mentor_id == mentors.c.id, match)
    return mentors.c.id.in_(select(table.c.mentor_id).where(match))


def filter_conditions(
    mentor_filter: MentorFilter, *, now: datetime | None = None
) -> list[ColumnElement[bool]]:
    """The WHERE clauses for a filter; only listed mentors are ever public."""
    return shaped_conditions(mentor_filter, now=now)


def shaped_conditions(
    mentor_filter: MentorFilter, *, ordered: bool = False, now: datetime | None = None
) -> list[ColumnElement[bool]]:
    """The WHERE clauses for a filter, shaped as the module docstring says (`now`: the clock)."""
    f = mentor_filter

    def column(col: ColumnElement[Any]) -> ColumnElement[Any]:
        return _Unindexed(col) if ordered else col

    driven = bool(f.seniorities or f.country or f.city)
    conditions: list[ColumnElement[bool]] = [IS_LISTED]
    if (terms := keyword_terms(f.keywords)) and ordered:
        conditions.append(and_(*(_like(t) for t in terms)))  # the walk stops after one page
    elif terms:
        conditions.append(_KeywordMatch(terms, drives=not driven))
    if f.seniorities:
        conditions.append(column(mentors.c.seniority).in_(_codes(f.seniorities)))
    if f.country:
        conditions.append(column(mentors.c.country) == clean_text(f.country))
    if f.city:
        conditions.append(column(mentors.c.city_key) == (city_key(f.city) or ""))
    if f.open_only:
        conditions.append(column(mentors.c.open_to_new_mentees).is_(True))
    if f.recent_only:  # a range of the order's own column: every listed index serves it
        conditions.append(mentors.c.available_confirmed_at >= recent_cutoff(now))
    tag_driven = driven or ordered or bool(terms)
    for table, column_name, values in (
        (disciplines, "discipline", _codes(f.disciplines)),
        (languages, "language", _codes(f.languages)),
        (offers, "offer", _codes(f.offers)),
    ):
        if values:
            conditions.append(_has_any(table, column_name, values, how="exists" if tag_driven else "in"))
            tag_driven = True  # one tag index drives at most; the others probe
    return conditions


def order_by(sort: Sort) -> tuple[Any, ...]:
    """The directory's order: most recently confirmed available first, or by name."""
    if sort is Sort.NAME:
        return (mentors.c.name_key.asc(), mentors.c.id.asc())
    return (mentors.c.available_confirmed_at.desc(), mentors.c.id.desc())
