"""The range a viewer asked for, cut into their own local days or weeks, as UTC instants SQL compares.

A range is whole local days, `start` to `end` inclusive, in the viewer's time zone. Its buckets
are local days (up to DAILY_UP_TO_DAYS days) or runs of seven local days counted from `start`
(the last may be shorter). Each bucket's edges are local midnights turned into UTC, so a day on
which the clocks change lasts 23 or 25 hours and every event still lands in the day the viewer
lived it. Measures join their rows to `bucket_table`, a few constant rows of (index, from, to):
the database seeks each bucket's stretch of an index, and the cost follows the range.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import CTE, Integer, column, literal, select, union_all, values
from sqlalchemy.types import TypeEngine

from models.base import UTCDateTime

DAILY_UP_TO_DAYS = 31
# Bucket indexes beside the range's own (0, 1, ...): the period of equal length just before it,
# and everything after its end (to walk a state back from now to the range's end).
PREVIOUS = -1
AFTER = -2
WHOLE = -3  # every bucket of the range together (a percentile over the range)
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)
UNION_LIMIT = 400


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which `day` begins where the viewer is."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Bucket:
    """One local day or week of the range: its days, and its UTC edges (`ends` excluded)."""

    index: int
    first_day: date
    last_day: date
    starts: datetime
    ends: datetime


@dataclass(frozen=True)
class Period:
    """Local days `start` to `end` (inclusive) in `tz`."""

    start: date
    end: date
    tz: ZoneInfo

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after the day it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def grain(self) -> Grain:
        return Grain.DAY if self.days <= DAILY_UP_TO_DAYS else Grain.WEEK

    @property
    def starts(self) -> datetime:
        return local_midnight(self.start, self.tz)

    @property
    def ends(self) -> datetime:
        """The UTC instant just after the range: the local midnight after its last day."""
        return local_midnight(self.end + timedelta(days=1), self.tz)

    def previous(self) -> Period:
        """The period of the same number of days just before this one."""
        return Period(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.tz
        )

    def buckets(self) -> list[Bucket]:
        """The range's local days or weeks, in order."""
        return list(self._buckets)

    @cached_property
    def edges(self) -> tuple[datetime, ...]:
        """Where the period before begins, where each bucket begins, and where the range ends."""
        return (self.previous().starts, *(b.starts for b in self.buckets()), self.ends)

    @cached_property
    def _buckets(self) -> tuple[Bucket, ...]:
        step = 1 if self.grain is Grain.DAY else 7
        result: list[Bucket] = []
        first = self.start
        while first <= self.end:
            last = min(first + timedelta(days=step - 1), self.end)
            result.append(Bucket(len(result), first, last, local_midnight(first, self.tz),
                                 local_midnight(last + timedelta(days=1), self.tz)))  # fmt: skip
            first = last + timedelta(days=1)
        return tuple(result)


def locate(period: Period, moment: datetime) -> int | None:
    """The index of the bucket (or PREVIOUS, AFTER) an instant falls in; None before them all."""
    edges = period.edges
    position = bisect_right(edges, moment) - 1
    if position < 0:
        return None
    return PREVIOUS if position == 0 else AFTER if position == len(edges) - 1 else position - 1


def bucket_table(period: Period, *, previous: bool = True, after: bool = False) -> CTE:
    """The range's buckets as rows (idx, lo, hi), plus PREVIOUS and AFTER when asked for."""
    rows = [(b.index, b.starts, b.ends) for b in period.buckets()]
    if previous:
        rows.append((PREVIOUS, period.previous().starts, period.starts))
    if after:
        rows.append((AFTER, period.ends, FAR_FUTURE))
    return rows_table(
        "buckets", [("idx", Integer()), ("lo", UTCDateTime()), ("hi", UTCDateTime())], rows
    )


def rows_table(
    name: str, columns: Sequence[tuple[str, TypeEngine[Any]]], rows: Sequence[tuple[Any, ...]]
) -> CTE:
    """Constant rows as a named CTE: a UNION ALL of one-row SELECTs of bound values, which
    SQLAlchemy compiles once and caches (a VALUES list is compiled afresh every time). SQLite
    takes at most 500 SELECTs in one compound: longer lists stay a VALUES list."""
    if len(rows) > UNION_LIMIT:
        return values(*(column(n, t) for n, t in columns), name=name).data(rows).cte(name)
    one_row = [
        select(*(literal(v, t).label(n) for v, (n, t) in zip(row, columns, strict=True)))
        for row in rows
    ]
    return union_all(*one_row).cte(name)


def series_frame(period: Period, counts: Mapping[int, float | None], *, series: str,
                 fill: float | None = 0) -> pd.DataFrame:  # fmt: skip
    """A tidy frame (bucket, series, value) with one row per bucket; missing buckets get `fill`."""
    return pd.DataFrame(
        {
            "bucket": [b.first_day for b in period.buckets()],
            "series": series,
            "value": [counts.get(b.index, fill) for b in period.buckets()],
        }
    )
