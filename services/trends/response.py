"""How long reports wait: from received to a moderator's first action, and to a decision.

Each report is timed in the bucket in which the action happened ("of the reports first acted on
this week, how long had they waited"), so a week's figure is final once the week is over. The
median and the 90th percentile are computed by the database (services/trends/sql.py), per
bucket, over the whole range and over the period before it; a bucket with no report to time
has no value rather than zero. Removal requests count (they are moderators' work too); reports
the spam trap caught don't.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from models import Report
from services.trends.measure import Better, Measure, Unit
from services.trends.periods import PREVIOUS, WHOLE, Period, bucket_table, series_frame
from services.trends.sql import FRACTIONS, Spread, percentiles, seconds_between

reports = Report.__table__
STATISTICS = ("Median", "90th percentile")
HOUR = 3600.0
# wait -> (what the wait is called, when it ends, how it is explained)
WAITS: dict[str, tuple[str, ColumnElement[Any], str]] = {
    "first_action": ("to first action", reports.c.first_action_at,
                     "from a report's arrival to the first thing a moderator did with it"),
    "resolution": ("to a decision", reports.c.resolved_at,
                   "from a report's arrival to its resolution or dismissal"),
}  # fmt: skip


@dataclass(frozen=True)
class ResponseTimes:
    """Median and 90th percentile, in hours, of one wait; `frame` holds both series for a chart."""

    median: Measure
    p90: Measure
    frame: pd.DataFrame  # bucket, series (Median / 90th percentile), value (hours), reports


def response_times(session: Session, period: Period, wait: str) -> ResponseTimes:
    """The median and 90th percentile of one wait (`first_action` or `resolution`) per bucket."""
    words, moment, explained = WAITS[wait]
    spreads = percentiles(session, durations(period, moment), whole=range_waits(period, moment),
                          joined=joined_waits(period, moment))  # fmt: skip
    buckets = period.buckets()
    measures = [
        Measure(
            key=f"{wait}_p{round(fraction * 100)}", label=f"{statistic} time {words}",
            total=_hours(spreads.get(WHOLE), which), previous=_hours(spreads.get(PREVIOUS), which),
            frame=series_frame(period, {b.index: _hours(spreads.get(b.index), which) for b in buckets},
                               series=statistic, fill=None),
            unit=Unit.HOURS, better=Better.LOWER,
            help=f"{statistic} of the hours {explained}, over the reports acted on in the range.",
        )
        for which, (statistic, fraction) in enumerate(zip(STATISTICS, FRACTIONS, strict=True))
    ]  # fmt: skip
    frame = pd.concat([m.frame for m in measures], ignore_index=True)
    timed = [spreads[b.index].count if b.index in spreads else 0 for b in buckets]
    frame["reports"] = timed * len(measures)
    return ResponseTimes(measures[0], measures[1], frame)


def durations(period: Period, moment: ColumnElement[Any]) -> Select[Any]:
    """(idx, seconds) of every report whose wait ended in a bucket or in the period before."""
    b = bucket_table(period, previous=True)
    return (
        select(b.c.idx.label("idx"), seconds_between(moment, reports.c.created_at).label("seconds"))
        .select_from(b.join(reports, and_(moment >= b.c.lo, moment < b.c.hi)))
        .where(~reports.c.suspected_spam)
    )  # fmt: skip


def joined_waits(period: Period, moment: ColumnElement[Any]) -> Select[Any]:
    """(idx, seconds joined by commas) per bucket and for the period before: the waits of
    `durations`, one text per bucket, each read from one stretch of the index that holds them."""
    b = bucket_table(period, previous=True)
    waits = (
        select(func.group_concat(seconds_between(moment, reports.c.created_at)))
        .where(moment >= b.c.lo, moment < b.c.hi, ~reports.c.suspected_spam)
        .scalar_subquery()
    )
    return select(b.c.idx, waits)


def range_waits(period: Period, moment: ColumnElement[Any]) -> Select[Any]:
    """(seconds) of every report whose wait ended in the range."""
    return select(seconds_between(moment, reports.c.created_at).label("seconds")).where(
        moment >= period.starts, moment < period.ends, ~reports.c.suspected_spam
    )


def _hours(spread: Spread | None, which: int) -> float | None:
    value = spread.percentiles[which] if spread else None
    return None if value is None else value / HOUR


def time_to_first_action(
    session: Session, *, start: date, end: date, tz: ZoneInfo
) -> ResponseTimes:
    """Hours from a report's arrival to a moderator's first action: median and 90th percentile."""
    return response_times(session, Period(start, end, tz), "first_action")


def time_to_resolution(session: Session, *, start: date, end: date, tz: ZoneInfo) -> ResponseTimes:
    """Hours from a report's arrival to its resolution or dismissal: median and 90th percentile."""
    return response_times(session, Period(start, end, tz), "resolution")
