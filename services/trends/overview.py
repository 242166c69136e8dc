"""Everything the trends page shows for one range, from a handful of queries shared between measures.

The page caches one Overview per range and time zone for a minute, read by three workers at once
(PAGE_WORKERS); the benchmark times building it the same way (benchmarks/trends.py). Each
query's cost follows the range (and what happened after it), except the collective today, which
counts the listed mentors once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from services.core.snapshot import read_all
from services.listings.listing_lifecycle import ListingAction
from services.trends.collective import (
    collective_today,
    flow_measures,
    listed_measure,
    listing_tallies,
)
from services.trends.demand import demand, demand_and_supply, unmet_searches
from services.trends.enforcement import (
    appeal_measures,
    step_measures,
    steps_by_part,
    waiting_on_unconflicted,
)
from services.trends.freshness import freshness_measures, freshness_tallies
from services.trends.measure import Measure
from services.trends.periods import Period
from services.trends.queue import (
    backlog_measure,
    outcome_measure,
    promise_measure,
    received_by_part_measure,
    report_intake,
    report_tallies,
    workload_measure,
)
from services.trends.response import ResponseTimes, response_times

A = ListingAction
# The page's reads, three at a time: with two cores, two keep the database busy while the third's
# results are turned into numbers in Python (benchmarks/trends.py: 2 workers 215 / 350 ms,
# 3 workers 169 / 274 ms on SQLite / PostgreSQL, against 287 / 420 ms one at a time).
PAGE_WORKERS = 3


@dataclass(frozen=True)
class Overview:
    """The page's data: KPIs, series for the charts, and the tables of who is listed and what is sought."""

    period: Period
    listed: Measure
    flow: dict[ListingAction, Measure]
    freshness: list[Measure]  # confirmed within 90 days, comebacks, "No reply?" signals
    received: Measure  # by part of the Code
    backlog: Measure
    late: Measure
    outcomes: Measure
    workload: Measure
    enforcement: list[Measure]  # warnings, removals for days, appeals received/upheld/rejected, restricted cases
    steps_frame: pd.DataFrame  # warnings, removals for days, removals, bans per bucket
    appeals_frame: pd.DataFrame  # appeals received, upheld, rejected per bucket
    steps_by_part: pd.DataFrame  # the steps over the range, per part of the Code
    first_action: ResponseTimes
    resolution: ResponseTimes
    collective: pd.DataFrame  # dimension, code, label, mentors
    unmet: pd.DataFrame  # search, searches, mentors found
    demand_by_discipline: pd.DataFrame
    demand_by_country: pd.DataFrame

    @property
    def collective_kpis(self) -> list[Measure]:
        return [self.listed, *(m for a, m in self.flow.items() if a is not A.PAUSE_UNANSWERED)]

    @property
    def freshness_kpis(self) -> list[Measure]:
        """Listings that stay true: the share confirmed, pauses for no answer, comebacks, signals."""
        share, comebacks, signals = self.freshness
        return [share, self.flow[A.PAUSE_UNANSWERED], comebacks, signals]

    @property
    def freshness_frame(self) -> pd.DataFrame:
        """Pauses for no answer, comebacks and signals per bucket, in one tidy frame."""
        return pd.concat([m.frame for m in self.freshness_kpis[1:]], ignore_index=True)

    @property
    def queue_kpis(self) -> list[Measure]:
        return [self.received, self.backlog, self.late, self.first_action.median,
                self.first_action.p90, self.resolution.median, self.resolution.p90]  # fmt: skip

    @property
    def flow_frame(self) -> pd.DataFrame:
        """Sign-ups, pauses, resumes, removals and bans per bucket, in one tidy frame."""
        return pd.concat([m.frame for m in self.flow.values()], ignore_index=True)

    @property
    def is_new(self) -> bool:
        """True when nothing has ever been recorded: no mentor, no report, no search."""
        return (
            self.collective.empty and self.listed.total == 0 and self.listed.previous == 0
            and all(m.total == 0 for m in self.flow.values()) and self.backlog.total == 0
            and self.received.total == 0 and self.unmet.empty
        )  # fmt: skip


def overview(
    session: Session, *, start: date, end: date, tz: ZoneInfo, now: datetime, workers: int = 1
) -> Overview:
    """All of the page's data for local days `start` to `end` in `tz`.

    With `workers` > 1 the reads (each independent of the others) run that many at a time, each
    worker in a read-only session of its own on the caller's engine, all of them on one snapshot
    (services/core/snapshot.py), so no two figures straddle a change. The database does the work
    while Python waits, so the wait shrinks with the cores it can use.
    """
    period = Period(start, end, tz)
    reads: dict[
        str, Callable[[Session], Any]
    ] = {  # the slowest first, so the workers finish together
        "collective": collective_today,
        "queue": lambda s: report_tallies(s, period),
        "first_action": lambda s: response_times(s, period, "first_action"),
        "resolution": lambda s: response_times(s, period, "resolution"),
        "intake": lambda s: report_intake(s, period, now=now),
        "listings": lambda s: listing_tallies(s, period),
        "freshness": lambda s: freshness_tallies(s, period),
        "steps_by_part": lambda s: steps_by_part(s, period),
        "restricted": lambda s: waiting_on_unconflicted(s, period),
        "unmet": lambda s: unmet_searches(s, start=start, end=end, tz=tz),
        "asked": lambda s: demand(s, start=start, end=end, fields=("discipline", "country")),
    }
    got = read_all(session, reads, workers=workers)
    listings, queue, intake, collective = (
        got["listings"],
        got["queue"],
        got["intake"],
        got["collective"],
    )
    listed = listed_measure(listings)
    (steps, steps_frame), (appealed, appeals_frame) = step_measures(listings), appeal_measures(queue)
    return Overview(
        period=period,
        listed=listed,
        flow=flow_measures(listings),
        freshness=freshness_measures(got["freshness"], listed),
        received=received_by_part_measure(intake),
        backlog=backlog_measure(queue),
        late=promise_measure(intake),
        outcomes=outcome_measure(queue),
        workload=workload_measure(queue, listings),
        enforcement=[*steps, *appealed, got["restricted"]],
        steps_frame=steps_frame,
        appeals_frame=appeals_frame,
        steps_by_part=got["steps_by_part"],
        first_action=got["first_action"],
        resolution=got["resolution"],
        collective=collective,
        unmet=got["unmet"],
        demand_by_discipline=demand_and_supply(got["asked"], collective, "discipline"),
        demand_by_country=demand_and_supply(got["asked"], collective, "country"),
    )

