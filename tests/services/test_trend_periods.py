"""Ranges of the viewer's local days: days or weeks, edges at local midnight, the period before."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Float, Integer, Select, column, func, select, values
from sqlalchemy.orm import Session

from services.trends.periods import AFTER, PREVIOUS, WHOLE, Grain, Period, local_midnight, locate
from services.trends.sql import percentiles
from tests.services.trend_data import LONDON, UTC_ZONE, at

NEW_YORK = ZoneInfo("America/New_York")


def test_up_to_31_days_are_shown_day_by_day_and_longer_ranges_week_by_week() -> None:
    four_weeks = Period(date(2026, 10, 26), date(2026, 11, 22), UTC_ZONE)
    twelve_weeks = Period(date(2026, 8, 31), date(2026, 11, 22), UTC_ZONE)
    assert (four_weeks.grain, len(four_weeks.buckets())) == (Grain.DAY, 28)
    assert (twelve_weeks.grain, len(twelve_weeks.buckets())) == (Grain.WEEK, 12)
    assert [b.first_day for b in twelve_weeks.buckets()][:2] == [
        date(2026, 8, 31),
        date(2026, 9, 7),
    ]


def test_a_custom_range_ends_with_a_shorter_last_week() -> None:
    buckets = Period(date(2026, 9, 1), date(2026, 10, 10), UTC_ZONE).buckets()
    assert (buckets[-1].first_day, buckets[-1].last_day) == (date(2026, 10, 6), date(2026, 10, 10))


def test_the_previous_period_is_as_long_and_ends_the_day_before() -> None:
    before = Period(date(2026, 11, 2), date(2026, 11, 8), UTC_ZONE).previous()
    assert (before.start, before.end, before.days) == (date(2026, 10, 26), date(2026, 11, 1), 7)


def test_a_range_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends on or after"):
        Period(date(2026, 11, 8), date(2026, 11, 2), UTC_ZONE)


def test_the_day_the_clocks_go_forward_lasts_23_hours_and_ends_at_local_midnight() -> None:
    days = {b.first_day: b for b in Period(date(2026, 3, 28), date(2026, 3, 30), LONDON).buckets()}
    spring = days[date(2026, 3, 29)]
    assert (spring.starts, spring.ends) == (at("2026-03-29", 0), at("2026-03-29", 23))
    assert days[date(2026, 3, 30)].starts == at("2026-03-29", 23)


def test_a_week_across_the_autumn_clock_change_lasts_7_days_and_one_hour() -> None:
    weeks = Period(date(2026, 10, 19), date(2026, 11, 22), NEW_YORK).buckets()  # 5 weeks
    assert [b.ends - b.starts for b in weeks[:3]] == [
        timedelta(days=7),
        timedelta(days=7, hours=1),
        timedelta(days=7),  # 1 November in the 2nd
    ]
    assert weeks[2].starts == at("2026-11-02", 5)  # midnight in New York, on winter time


def test_local_midnight_is_the_utc_moment_the_viewers_day_begins() -> None:
    assert local_midnight(date(2026, 7, 1), LONDON) == at("2026-06-30", 23)
    assert local_midnight(date(2026, 12, 1), LONDON) == at("2026-12-01", 0)


def test_an_instant_belongs_to_its_week_the_period_before_or_after_the_range() -> None:
    period = Period(date(2026, 8, 31), date(2026, 11, 22), LONDON)
    assert locate(period, at("2026-09-06", 22, 59)) == 0  # 23:59 on Sunday in London
    assert locate(period, at("2026-09-06", 23, 0)) == 1  # Monday has begun there
    assert locate(period, at("2026-08-30", 12)) == PREVIOUS
    assert locate(period, at("2026-11-23", 12)) == AFTER
    assert locate(period, at("2026-06-07", 22)) is None


def _durations(rows: list[tuple[int, float]]) -> tuple[Select[Any], Select[Any], Select[Any]]:
    """(idx, seconds) per bucket, the seconds of every bucket together, and (idx, seconds joined
    by commas) per bucket: the three shapes `percentiles` reads."""
    table = values(column("idx", Integer), column("seconds", Float), name="d").data(rows).cte("d")
    return (select(table.c.idx.label("idx"), table.c.seconds.label("seconds")),
            select(table.c.seconds).where(table.c.idx >= 0),
            select(table.c.idx, func.group_concat(table.c.seconds)).group_by(table.c.idx))  # fmt: skip


@pytest.mark.parametrize(
    ("seconds", "median", "p90"),
    [
        ([3600, 7200, 10800, 14400, 36000], 10800, 27360),  # p90 at rank 4.6: 14400 + 0.6 * 21600
        ([1, 2, 3, 4], 2.5, 3.7),  # an even count: between the middle two; rank 3.7
        ([42], 42, 42),  # one report: every percentile is its wait
        ([5, 1, 9, 1, 5], 5, 7.4),  # unsorted, with ties; rank 4.6: 5 + 0.6 * 4
    ],
)
def test_the_database_computes_the_median_and_90th_percentile_as_percentile_cont(
    session: Session, seconds: list[int], median: float, p90: float
) -> None:
    rows = [(0, float(s)) for s in seconds] + [(1, 100.0), (1, 200.0)]
    per_bucket, whole, joined = _durations(rows)
    found = percentiles(session, per_bucket, whole=whole, joined=joined)
    assert found[0].count == len(seconds)
    assert found[0].percentiles == pytest.approx((median, p90))
    assert found[1].percentiles == pytest.approx((150, 190))
    assert found[WHOLE].count == len(seconds) + 2  # both buckets together
    every = sorted([*seconds, 100, 200])
    assert found[WHOLE].percentiles[0] == pytest.approx(
        (every[(len(every) - 1) // 2] + every[len(every) // 2]) / 2  # the median of them all
    )
