"""Everything the trends page shows for one range, from a handful of queries shared between measures.

The page caches one Overview per range and time zone for a minute; the benchmark times building
it (benchmarks/trends.py). Each query's cost follows the range (and what happened after it),
except the collective today, which counts the listed mentors once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from services.listing_lifecycle import ListingAction
from services.trends.collective import (
    collective_today,
    flow_measures,
    listed_measure,
    listing_tallies,
)
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
from services.trends.searches import demand, demand_and_supply, unmet_searches

A = ListingAction


@dataclass(frozen=True)
class Overview:
    """The page's data: KPIs, series for the charts, and the tables of who is listed and what is sought."""

    period: Period
    listed: Measure
    flow: dict[ListingAction, Measure]
    received: Measure  # by part of the Code
    backlog: Measure
    late: Measure
    outcomes: Measure
    workload: Measure
    first_action: ResponseTimes
    resolution: ResponseTimes
    collective: pd.DataFrame  # dimension, code, label, mentors
    unmet: pd.DataFrame  # search, searches, mentors found
    demand_by_discipline: pd.DataFrame
    demand_by_country: pd.DataFrame

    @property
    def collective_kpis(self) -> list[Measure]:
        return [self.listed, *self.flow.values()]

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


def overview(session: Session, *, start: date, end: date, tz: ZoneInfo, now: datetime) -> Overview:
    """All of the page's data for local days `start` to `end` in `tz`."""
    period = Period(start, end, tz)
    listings = listing_tallies(session, period)
    queue = report_tallies(session, period)
    intake = report_intake(session, period, now=now)
    collective = collective_today(session)
    asked = demand(session, start=start, end=end, fields=("discipline", "country"))
    return Overview(
        period=period,
        listed=listed_measure(listings),
        flow=flow_measures(listings),
        received=received_by_part_measure(intake),
        backlog=backlog_measure(queue),
        late=promise_measure(intake),
        outcomes=outcome_measure(queue),
        workload=workload_measure(queue, listings),
        first_action=response_times(session, period, "first_action"),
        resolution=response_times(session, period, "resolution"),
        collective=collective,
        unmet=unmet_searches(session, start=start, end=end, tz=tz),
        demand_by_discipline=demand_and_supply(asked, collective, "discipline"),
        demand_by_country=demand_and_supply(asked, collective, "country"),
    )
