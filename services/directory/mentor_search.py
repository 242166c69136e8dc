"""Find a mentor: the public directory's search, in SQL, one page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, select, union_all
from sqlalchemy.orm import Session

from services.directory.query import (
    IS_LISTED,
    Sort,
    disciplines,
    filter_conditions,
    languages,
    mentors,
    offers,
    order_by,
    shaped_conditions,
)
from services.directory.query import SORT_LABELS as SORT_LABELS  # the directory's public words

PER_PAGE = 20
COUNT_CAP = 1000  # beyond this a result count says "1,000+": counting further buys nobody anything
# A search known to match more than COUNT_CAP mentors reads its first pages by walking the sort
# order's index (see services/directory/query.py): one match in every N/1,000 rows at worst, so the first
# ORDERED_SCAN_ROWS matches come after at most ~N/10 rows, and usually after a few hundred.
ORDERED_SCAN_ROWS = 100

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
    recent_only: bool = False  # confirmed available in the last 3 months (query.RECENT_DAYS)
    sort: Sort = Sort.RECENT

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
    # When the mentor last said they are available (the card names the month).
    available_confirmed_at: datetime | None = None


@dataclass(frozen=True)
class SearchResult:
    """One page of matching mentors and how many match in all (capped at COUNT_CAP + 1)."""

    total: int
    page: int
    per_page: int
    mentors: list[MentorCard] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


CARD_COLUMNS = (
    mentors.c.id, mentors.c.full_name, mentors.c.pronouns, mentors.c.headline, mentors.c.company,
    mentors.c.seniority, mentors.c.country, mentors.c.city, mentors.c.bio, mentors.c.linkedin_url,
    mentors.c.open_to_new_mentees, mentors.c.availability_note, mentors.c.is_sample,
    mentors.c.available_confirmed_at,
)  # fmt: skip


def count_matches(
    session: Session, *, mentor_filter: MentorFilter, now: datetime | None = None
) -> int:
    """How many listed mentors match, counting no further than COUNT_CAP + 1."""
    conditions = filter_conditions(mentor_filter, now=now)
    capped = select(literal(1)).where(and_(*conditions)).limit(COUNT_CAP + 1)
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
    now: datetime | None = None,
) -> list[MentorCard]:
    """One page of listed mentors matching the filter, in the filter's order.

    Given the (capped) count, the first pages of a broad search walk the sort order's index and
    stop after one page, instead of reading and sorting every match.
    """
    ordered = total is not None and total > COUNT_CAP and page * per_page <= ORDERED_SCAN_ROWS
    query: Select[Any] = (
        select(*CARD_COLUMNS)
        .where(and_(*shaped_conditions(mentor_filter, ordered=ordered, now=now)))
        .order_by(*order_by(mentor_filter.sort))
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    )
    return _with_tags(session, session.execute(query).all())


def search_mentors(
    session: Session, *, mentor_filter: MentorFilter, page: int = 1, per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> SearchResult:  # fmt: skip
    """The (capped) number of matches and one page of them; a page past the end shows the last."""
    total = count_matches(session, mentor_filter=mentor_filter, now=now)
    page = min(max(1, page), page_count(total, per_page))
    cards = find_page(
        session, mentor_filter=mentor_filter, page=page, per_page=per_page, total=total, now=now
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
