"""Find a mentor: the public directory's search, in SQL, one page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from models import Mentor, MentorDiscipline, MentorLanguage, MentorOffer
from services.matching import city_key, contains_pattern, search_key
from services.text import clean_text
from services.vocabulary import ListingStatus

PER_PAGE = 20
COUNT_CAP = 1000  # beyond this a result count says "1,000+": counting further buys nobody anything
# A search known to match more than COUNT_CAP mentors reads its first pages by walking the sort
# order's index (see _conditions): one match in every N/1,000 rows at worst, so the first
# ORDERED_SCAN_ROWS matches come after at most ~N/10 rows, and usually after a few hundred.
ORDERED_SCAN_ROWS = 100
MAX_KEYWORDS = 500  # characters of the search box read: 8 words never need more

mentors = Mentor.__table__
disciplines = MentorDiscipline.__table__
languages = MentorLanguage.__table__
offers = MentorOffer.__table__

# Written into the SQL rather than bound: only a literal matches the partial indexes' WHERE
# status = 'listed', so SQLite answers from an index without reading each row to check the
# status again (40x on a country's mentors), and PostgreSQL can use them in a generic plan.
IS_LISTED = mentors.c.status == literal(ListingStatus.LISTED.value, literal_execute=True)


class Sort(StrEnum):
    NEWEST = "newest"
    NAME = "name"


SORT_LABELS = {Sort.NEWEST: "Newest first", Sort.NAME: "Name A-Z"}


@dataclass(frozen=True)
class MentorFilter:
    """What a mentee is looking for. Empty fields don't filter; values within a field are OR-ed."""

    keywords: str = ""
    disciplines: tuple[str, ...] = ()
    seniorities: tuple[str, ...] = ()
    country: str | None = None
    city: str | None = None
    languages: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    open_only: bool = False
    sort: Sort = Sort.NEWEST

    def is_empty(self) -> bool:
        """True when nothing narrows the directory (sorting doesn't count)."""
        return self == MentorFilter(sort=self.sort)


@dataclass(frozen=True)
class MentorCard:
    """What the directory shows of one mentor. No email: that is never public."""

    id: int
    full_name: str
    pronouns: str | None
    headline: str
    company: str | None
    seniority: str
    country: str
    city: str | None
    bio: str | None
    linkedin_url: str | None
    open_to_new_mentees: bool
    availability_note: str | None
    is_sample: bool
    disciplines: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """One page of matching mentors and how many match in all (capped at COUNT_CAP + 1)."""

    total: int
    page: int
    per_page: int
    mentors: list[MentorCard] = field(default_factory=list)

    @property
    def total_is_capped(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


CARD_COLUMNS = (
    mentors.c.id, mentors.c.full_name, mentors.c.pronouns, mentors.c.headline, mentors.c.company,
    mentors.c.seniority, mentors.c.country, mentors.c.city, mentors.c.bio, mentors.c.linkedin_url,
    mentors.c.open_to_new_mentees, mentors.c.availability_note, mentors.c.is_sample,
)  # fmt: skip


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


def _has_any(table: Any, column: str, values: tuple[str, ...], *, how: str) -> Any:
    """The mentor has at least one of `values` in an association table.

    SQLite plans the three shapes differently (PostgreSQL makes the same semi-join of each):
    - "exists": a correlated EXISTS, probed for each candidate mentor another index yields;
    - "in": mentors.id IN (subquery), which SQLite can drive from the tag index, in id order;
    - "member": the same on `+mentors.id`, so it can't drive: another index does, and the tags
      become a set, tested before the mentor's row is read (other terms need the row).
    """
    match = table.c[column].in_(values)
    if how == "exists":
        return exists().where(table.c.mentor_id == mentors.c.id, match)
    tagged = select(table.c.mentor_id).where(match)
    if how == "member":
        return _Unindexed(mentors.c.id).in_(tagged)
    return mentors.c.id.in_(tagged)


def filter_conditions(mentor_filter: MentorFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses for a filter; only listed mentors are ever public."""
    return _conditions(mentor_filter)


def _conditions(mentor_filter: MentorFilter, *, ordered: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE clauses for a filter, shaped for SQLite's planner (measured: benchmarks/directory.py).

    With a place or seniority filter its index drives. Disciplines are then a set test (each
    tags about one mentor in eight, a set smaller than a country); languages and offers are
    EXISTS probes (English and each offer tag a third of mentors or more: probing stops at the
    count's cap, a set would be built whole). With no such filter, one tag index drives.
    With `ordered`, for the first pages of a search matching more than COUNT_CAP mentors, no
    filter may drive: SQLite walks the sort order's index and stops after one page, instead of
    reading and sorting every match. PostgreSQL plans each shape alike.
    """
    f = mentor_filter

    def column(col: ColumnElement[Any]) -> ColumnElement[Any]:
        return _Unindexed(col) if ordered else col

    conditions: list[ColumnElement[bool]] = [IS_LISTED]
    for term in keyword_terms(f.keywords):
        conditions.append(mentors.c.search_text.like(contains_pattern(term), escape="\\"))
    if f.seniorities:
        conditions.append(column(mentors.c.seniority).in_(_codes(f.seniorities)))
    if f.country:
        conditions.append(column(mentors.c.country) == clean_text(f.country))
    if f.city:
        conditions.append(column(mentors.c.city_key) == (city_key(f.city) or ""))
    if f.open_only:
        conditions.append(column(mentors.c.open_to_new_mentees).is_(True))
    driven = bool(f.seniorities or f.country or f.city)
    for table, column_name, values, common in (
        (disciplines, "discipline", _codes(f.disciplines), False),
        (languages, "language", _codes(f.languages), True),
        (offers, "offer", _codes(f.offers), True),
    ):
        if values:
            how = "exists" if ordered or (driven and common) else "member" if driven else "in"
            conditions.append(_has_any(table, column_name, values, how=how))
    return conditions


def _order(sort: Sort) -> tuple[Any, ...]:
    if sort is Sort.NAME:
        return (mentors.c.name_key.asc(), mentors.c.id.asc())
    return (mentors.c.listed_at.desc(), mentors.c.id.desc())


def count_matches(session: Session, *, mentor_filter: MentorFilter) -> int:
    """How many listed mentors match, counting no further than COUNT_CAP + 1."""
    capped = select(literal(1)).where(and_(*filter_conditions(mentor_filter))).limit(COUNT_CAP + 1)
    return session.execute(select(func.count()).select_from(capped.subquery())).scalar_one()


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    """How many pages a (capped) number of matches fills; always at least one."""
    return max(1, -(-min(total, COUNT_CAP) // per_page))


def find_page(
    session: Session,
    *,
    mentor_filter: MentorFilter,
    page: int = 1,
    per_page: int = PER_PAGE,
    total: int | None = None,
) -> list[MentorCard]:
    """One page of listed mentors matching the filter, in the filter's order.

    Given the (capped) count, the first pages of a broad search walk the sort order's index and
    stop after one page, instead of reading and sorting every match.
    """
    ordered = total is not None and total > COUNT_CAP and page * per_page <= ORDERED_SCAN_ROWS
    query: Select[Any] = (
        select(*CARD_COLUMNS)
        .where(and_(*_conditions(mentor_filter, ordered=ordered)))
        .order_by(*_order(mentor_filter.sort))
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    )
    return _with_tags(session, session.execute(query).all())


def search_mentors(
    session: Session, *, mentor_filter: MentorFilter, page: int = 1, per_page: int = PER_PAGE
) -> SearchResult:
    """The (capped) number of matches and one page of them; a page past the end shows the last."""
    total = count_matches(session, mentor_filter=mentor_filter)
    page = min(max(1, page), page_count(total, per_page))
    cards = find_page(
        session, mentor_filter=mentor_filter, page=page, per_page=per_page, total=total
    )
    return SearchResult(total=total, page=page, per_page=per_page, mentors=cards)


def _with_tags(session: Session, rows: Sequence[Any]) -> list[MentorCard]:
    """Attach disciplines, languages and offers to a page of mentors in one round trip."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    tags_query = union_all(
        select(disciplines.c.mentor_id, literal("d"), disciplines.c.discipline).where(
            disciplines.c.mentor_id.in_(ids)
        ),
        select(languages.c.mentor_id, literal("l"), languages.c.language).where(
            languages.c.mentor_id.in_(ids)
        ),
        select(offers.c.mentor_id, literal("o"), offers.c.offer).where(offers.c.mentor_id.in_(ids)),
    )
    tags: dict[tuple[int, str], list[str]] = {}
    for mentor_id, kind, value in session.execute(tags_query):
        tags.setdefault((mentor_id, kind), []).append(value)
    return [
        MentorCard(
            **row._asdict(),
            disciplines=tuple(sorted(tags.get((row.id, "d"), []))),
            languages=tuple(sorted(tags.get((row.id, "l"), []))),
            offers=tuple(sorted(tags.get((row.id, "o"), []))),
        )
        for row in rows
    ]


def mentor_card(session: Session, *, mentor_id: int) -> MentorCard | None:
    """One mentor's card, whatever the listing status (for the mentor's own confirmation)."""
    rows = session.execute(select(*CARD_COLUMNS).where(mentors.c.id == mentor_id)).all()
    cards = _with_tags(session, rows)
    return cards[0] if cards else None


def listed_countries(session: Session) -> list[str]:
    """Country codes that have at least one listed mentor."""
    query = select(mentors.c.country).where(IS_LISTED).group_by(mentors.c.country)
    return list(session.scalars(query))


def listed_cities(session: Session, *, country: str) -> list[str]:
    """The cities of one country that have listed mentors, one spelling per city, A-Z."""
    query = (
        select(func.min(mentors.c.city))
        .where(
            IS_LISTED,
            mentors.c.country == country,
            mentors.c.city_key.is_not(None),
        )
        .group_by(mentors.c.city_key)
        .order_by(mentors.c.city_key)
    )
    return [city for city in session.scalars(query) if city]


def shows_sample_data(session: Session) -> bool:
    """True when any listed mentor is made-up sample data, so the page can say so."""
    query = select(exists().where(IS_LISTED, mentors.c.is_sample.is_(True)))
    return bool(session.scalar(query))
