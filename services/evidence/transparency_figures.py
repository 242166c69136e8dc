"""The counts behind the public transparency report, for one quarter or one year, counted in SQL.

Reports of a violation (not removal requests, not appeals, not what the spam trap caught) received
in the period by part of the Code; those decided in the period by how (each report once, by its
decision as it stands); the steps of the enforcement ladder taken in the period; appeals received,
upheld and rejected in the period; and the median time to acknowledgement and to a decision of
the reports acknowledged or decided in the period. Each is one GROUP BY over an indexed stretch of
time; the medians are PostgreSQL's percentile_cont, and on SQLite the period's waits (one number
per report) are fetched and their median taken in Python. Periods are UTC quarters and years.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from models import ListingEvent, Report, ReportEvent
from services.listings.listing_lifecycle import ListingAction
from services.reports.intake import CATEGORY_CLAUSES, REPORTABLE, ReportCategory, ReportKind
from services.reports.report_lifecycle import ReportAction
from services.trends.sql import seconds_between

A, R, C = ListingAction, ReportAction, ReportCategory
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
SOMETHING_ELSE = "Something else"
# Rows of the reports' table: the parts of the Code a report can name, in the form's order.
PARTS = tuple(
    CATEGORY_CLAUSES[c].label if c in CATEGORY_CLAUSES else SOMETHING_ELSE for c in REPORTABLE
)
OUTCOMES = {"resolved_action": "Action taken", "resolved_no_action": "No action needed",
            "dismissed": "Dismissed"}  # fmt: skip
STEPS = {A.WARN: "Warnings", A.REMOVE_FOR_DAYS: "Removals for a number of days",
         A.REMOVE: "Removals", A.BAN: "Bans"}  # fmt: skip
APPEALS = {R.FILE_APPEAL: "Appeals received", R.UPHOLD_APPEAL: "Upheld: the decision was reversed",
           R.REJECT_APPEAL: "Rejected: the decision stands"}  # fmt: skip
reports = Report.__table__
_KEY = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


@dataclass(frozen=True)
class PublicPeriod:
    """A UTC quarter ("2026-Q3") or year ("2026"): from `starts` to just before `ends`."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, key: str) -> PublicPeriod | None:
        """The period a key names; None for anything else."""
        found = _KEY.match(key or "")
        if not found or not 2000 <= int(found[1]) <= 9998:
            return None
        return cls(int(found[1]), int(found[2]) if found[2] else None)

    @classmethod
    def quarter_of(cls, moment: datetime) -> PublicPeriod:
        return cls(moment.astimezone(UTC).year, (moment.astimezone(UTC).month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        """What people read: "2026" or "July to September 2026"."""
        if self.quarter is None:
            return f"The year {self.year}"
        first = 3 * (self.quarter - 1)
        return f"{MONTHS[first]} to {MONTHS[first + 2]} {self.year}"

    @property
    def starts(self) -> datetime:
        return datetime(self.year, 1 + 3 * ((self.quarter or 1) - 1), 1, tzinfo=UTC)

    @property
    def ends(self) -> datetime:
        if self.quarter is None or self.quarter == 4:
            return datetime(self.year + 1, 1, 1, tzinfo=UTC)
        return datetime(self.year, 1 + 3 * self.quarter, 1, tzinfo=UTC)

    def is_over(self, now: datetime) -> bool:
        """True once the period has ended: only then can it be published."""
        return self.ends <= now


@dataclass(frozen=True)
class Median:
    """How many reports a wait was timed on, and its median in days (None when none was)."""

    reports: int
    days: float | None


@dataclass(frozen=True)
class PeriodCounts:
    """Every count of one period, before any suppression (never shown as such)."""

    received: dict[str, int]  # part of the Code -> reports received
    decided: dict[tuple[str, str], int]  # (part of the Code, outcome) -> reports decided
    steps: dict[str, int]
    appeals: dict[str, int]
    acknowledgement: Median
    decision: Median


def count_period(session: Session, period: PublicPeriod) -> PeriodCounts:
    """The period's counts, one GROUP BY each."""
    return PeriodCounts(
        received=_received(session, period),
        decided=_decided(session, period),
        steps=_by_kind(session, ListingEvent, STEPS, period),
        appeals=_by_kind(session, ReportEvent, APPEALS, period),
        acknowledgement=_median(session, period, reports.c.first_action_at),
        decision=_median(session, period, reports.c.resolved_at),
    )


def _violations() -> list[ColumnElement[bool]]:
    return [Report.kind == ReportKind.VIOLATION.value, ~Report.suspected_spam]


def _within(column: Any, period: PublicPeriod) -> list[ColumnElement[bool]]:
    return [column >= period.starts, column < period.ends]


def part_of(category: str) -> str:
    """The row a report's category is counted in (a category no longer offered: something else)."""
    clause = CATEGORY_CLAUSES.get(C.parse(category))  # type: ignore[arg-type]
    return clause.label if clause else SOMETHING_ELSE


def _received(session: Session, period: PublicPeriod) -> dict[str, int]:
    rows = session.execute(
        select(Report.category, func.count())
        .where(*_violations(), *_within(Report.created_at, period))
        .group_by(Report.category)
    )
    counts = dict.fromkeys(PARTS, 0)
    for category, n in rows:
        counts[part_of(category)] += int(n)
    return counts


def _decided(session: Session, period: PublicPeriod) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(Report.category, Report.status, func.count())
        .where(*_violations(), Report.status.in_(list(OUTCOMES)), *_within(Report.resolved_at, period))
        .group_by(Report.category, Report.status)
    )  # fmt: skip
    counts = {(part, outcome): 0 for part in PARTS for outcome in OUTCOMES.values()}
    for category, status, n in rows:
        counts[part_of(category), OUTCOMES[status]] += int(n)
    return counts


def _by_kind(
    session: Session, table: Any, labels: dict[Any, str], period: PublicPeriod
) -> dict[str, int]:
    found: dict[str, int] = dict(session.execute(
        select(table.kind, func.count())
        .where(table.kind.in_([k.value for k in labels]), *_within(table.occurred_at, period))
        .group_by(table.kind)
    ).all())  # fmt: skip
    return {label: int(found.get(kind.value, 0)) for kind, label in labels.items()}


def _median(session: Session, period: PublicPeriod, moment: Any) -> Median:
    """The median wait from receipt to `moment`, over the reports whose `moment` is in the period."""
    seconds = seconds_between(moment, reports.c.created_at)
    where = [*_violations(), *_within(moment, period)]
    if session.get_bind().dialect.name == "postgresql":
        count, median = session.execute(
            select(func.count(), func.percentile_cont(0.5).within_group(seconds)).where(*where)
        ).one()
    else:
        waits = [float(s) for s in session.scalars(select(seconds).where(*where))]
        count, median = len(waits), statistics.median(waits) if waits else None
    return Median(int(count), None if median is None else round(float(median) / 86400, 1))
