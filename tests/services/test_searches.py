"""Directory searches: kept anonymously and in batches, forgotten after 13 months, and what they show."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from models import DirectorySearch, DirectorySearchDemand
from services.core.vocabulary import ListingStatus
from services.directory.mentor_search import MentorFilter
from services.directory.search_log import (
    SearchBuffer,
    SearchRecord,
    months_before,
    prune_searches,
    record_search,
    record_searches,
    search_words,
)
from services.trends.demand import demand_against_supply, unmet_searches
from tests.factories import make_mentor
from tests.services.trend_data import UTC_ZONE, Listing, at

DAY = date(2026, 11, 3)


def searched(
    session: Session, mentor_filter: MentorFilter, results: int = 0, day: date = DAY
) -> None:
    record_searches(session, searches=[SearchRecord.of(mentor_filter, results=results, day=day)])


def test_a_search_is_kept_as_its_day_filters_and_results_and_nothing_about_the_searcher(
    session: Session,
) -> None:
    record_search(session, now=at("2026-11-03", 17, 45), results=2, mentor_filter=MentorFilter(
        keywords="Brand  STRATEGIST jane.doe@example.com https://evil.example/x +44 7700 900123",
        disciplines=("strategy", "data_analytics"), country="BR", languages=("pt",),
        open_only=True))  # fmt: skip
    columns = {c["name"] for c in inspect(session.get_bind()).get_columns("directory_searches")}
    assert columns == {"id", "day", "keywords", "disciplines", "seniorities", "languages", "offers",
                       "country", "city", "open_only", "filter_key", "results"}  # fmt: skip
    row = session.scalars(select(DirectorySearch)).one()
    assert (row.day, row.keywords, row.disciplines, row.country, row.languages, row.results) == (
        DAY,
        "brand strategist",
        "data_analytics strategy",
        "BR",
        "pt",
        2,
    )
    demand = session.execute(select(DirectorySearchDemand.field, DirectorySearchDemand.value,
                                    DirectorySearchDemand.searches)).all()  # fmt: skip
    assert sorted(demand) == [("country", "BR", 1), ("discipline", "data_analytics", 1),
                              ("discipline", "strategy", 1), ("language", "pt", 1)]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Copywriter", ("copywriter",)),
        ("café  Crème", ("cafe", "creme")),
        ("mentor@example.org copywriter", ("copywriter",)),
        ("www.example.org linkedin.com/in/jane-doe", ()),
        ("http://x.y/z data/analytics", ("analytics", "data")),
        ("+44 07700 900123 call me", ("call", "me")),
        ("a b2b", ("b2b",)),
    ],
)
def test_keywords_are_kept_as_normalised_words_without_addresses_links_or_numbers(
    typed: str, kept: tuple[str, ...]
) -> None:
    assert search_words(typed) == kept


def test_only_codes_of_the_vocabulary_are_kept(session: Session) -> None:
    searched(session, MentorFilter(disciplines=("<script>", "social"), country="ZZ",
                                   languages=("xx",), offers=("bribes",)))  # fmt: skip
    row = session.scalars(select(DirectorySearch)).one()
    assert (row.disciplines, row.country, row.languages, row.offers) == ("social", None, None, None)


def test_the_landing_view_is_not_a_search(session: Session) -> None:
    assert (
        record_searches(session, searches=[SearchRecord.of(MentorFilter(), results=120, day=DAY)])
        == 0
    )
    assert session.scalar(select(func.count()).select_from(DirectorySearch)) == 0


def test_a_batch_of_searches_is_written_with_one_statement_per_table(session: Session) -> None:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement.split()[0].upper())

    batch = [SearchRecord.of(MentorFilter(country="FR", disciplines=("social",)), results=n, day=DAY)
             for n in range(30)]  # fmt: skip
    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert record_searches(session, searches=batch) == 30
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert statements.count("INSERT") == 2
    assert session.execute(select(DirectorySearchDemand.value, DirectorySearchDemand.searches)
                           .order_by(DirectorySearchDemand.value)).all() == [("FR", 30), ("social", 30)]  # fmt: skip
    record_searches(session, searches=batch[:5])  # another batch adds to the same day's demand
    assert session.scalar(select(func.sum(DirectorySearchDemand.searches))) == 70


def test_the_buffer_is_due_after_25_searches_or_once_the_oldest_has_waited_a_minute() -> None:
    record = SearchRecord.of(MentorFilter(country="FR"), results=1, day=DAY)
    buffer = SearchBuffer()
    assert [buffer.add(record, now=float(second)) for second in range(25)][-2:] == [False, True]
    assert len(buffer.drain()) == 25 and buffer.drain() == []
    assert buffer.add(record, now=100.0) is False
    assert buffer.add(record, now=160.0) is True


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [(date(2026, 11, 3), date(2025, 10, 3)), (date(2027, 3, 31), date(2026, 2, 28))],
)
def test_thirteen_months_before_is_the_same_day_or_the_months_last(
    today: date, cutoff: date
) -> None:
    assert months_before(today, 13) == cutoff


def test_searches_older_than_13_months_are_forgotten_and_newer_ones_kept(session: Session) -> None:
    wanted = MentorFilter(country="FR", disciplines=("social",))
    for day in (date(2025, 10, 2), date(2025, 10, 3), DAY):
        searched(session, wanted, day=day)
    assert prune_searches(session, now=at("2026-11-03", 1)) == 1
    assert sorted(session.scalars(select(DirectorySearch.day))) == [date(2025, 10, 3), DAY]
    assert session.scalar(select(func.min(DirectorySearchDemand.day))) == date(2025, 10, 3)


def test_the_most_frequent_searches_that_found_few_mentors_are_listed_in_words(
    session: Session,
) -> None:
    brazil = MentorFilter(disciplines=("data_analytics",), country="BR", languages=("pt",))
    for results in (0, 0, 1):
        searched(session, brazil, results)
    searched(session, MentorFilter(keywords="Luxury", open_only=True), 3)
    searched(session, MentorFilter(country="GB"), 40)  # found plenty
    searched(session, MentorFilter(country="NG"), 0, day=DAY + timedelta(days=30))  # outside
    unmet = unmet_searches(session, start=date(2026, 11, 2), end=date(2026, 11, 8), tz=UTC_ZONE)
    assert unmet.values.tolist() == [
        ["Data / analytics · Brazil · Portuguese", 3, 1],
        ['"luxury" · open to new mentees', 1, 3],
    ]


def test_demand_against_supply_puts_the_most_sought_and_least_offered_first(
    session: Session,
) -> None:
    for country in ("GB", "GB", "GB", "FR"):
        Listing(session, at("2026-10-01"), country=country)
    for country, times in (("BR", 3), ("GB", 4), ("FR", 1)):
        for _ in range(times):
            searched(session, MentorFilter(country=country))
    frame = demand_against_supply(session, start=date(2026, 11, 2), end=date(2026, 11, 8),
                                  tz=UTC_ZONE, field="country")  # fmt: skip
    assert frame[["label", "searches", "mentors", "gap"]].values.tolist() == [
        ["Brazil", 3, 0, 37.5],  # 3 of 8 searches, none of the 4 mentors
        ["France", 1, 1, -12.5],  # 12.5% of searches, 25% of mentors
        ["United Kingdom", 4, 3, -25.0],
    ]


def test_a_search_for_a_mentor_by_name_is_not_unmet_demand_and_is_not_kept(
    session: Session,
) -> None:
    make_mentor(session, full_name="Sofía Arthur-Núñez")
    make_mentor(session, full_name="Paused Pérez", status=ListingStatus.PAUSED)
    for words, results in [("sofia arthur-nunez", 1), ("Núñez", 1), ("paused perez", 0)]:
        searched(session, MentorFilter(keywords=words), results=results)
    assert session.scalar(select(func.count()).select_from(DirectorySearch)) == 0
    searched(session, MentorFilter(keywords="art"), results=0)  # a topic, though in a name
    searched(session, MentorFilter(keywords="nunez"), results=12)  # many found: not read as unmet
    searched(session, MentorFilter(keywords="sofia", country="FR"), results=0)  # a name again
    kept = session.scalars(select(DirectorySearch.keywords).order_by(DirectorySearch.id)).all()
    assert kept == ["art", "nunez"]
    table = unmet_searches(session, start=DAY, end=DAY, tz=UTC_ZONE)
    assert list(table["search"]) == ['"art"']
