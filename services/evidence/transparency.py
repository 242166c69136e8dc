"""The public transparency report "Reports and outcomes": a period's tables as the public sees them,
and publishing a period, the only way one becomes public.

A period's counts (transparency_figures) become tables whose small counts and give-away figures are
withheld (suppression); publishing freezes those tables, never the counts behind them, as JSON in
`published_periods`, with an audit row, in one transaction. The public page and its CSV both read
that frozen JSON, so they show the same figures, and nothing unpublished can reach them. A period
is published once, only after it has ended; of two moderators publishing at once, one does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import PublishedPeriod, Report
from services.accounts.auth import ModeratorIdentity
from services.audit import audit_log
from services.core.refusals import NotAllowedNow
from services.evidence.suppression import SMALLEST_SHOWN, Group, Hidden, Shown, suppress
from services.evidence.transparency_figures import (
    APPEALS,
    OUTCOMES,
    PARTS,
    STEPS,
    Median,
    PeriodCounts,
    PublicPeriod,
    count_period,
)

ALL_PARTS = "All parts of the Code"
RECEIVED, DECIDED = "Received", "Decided"
ALL_STEPS, APPEALS_DECIDED = "All steps", "Appeals decided"
NOT_SHOWN = f"not shown (fewer than {SMALLEST_SHOWN} reports)"
CSV_COLUMNS = ["period", "table", "row", "column", "figure"]
FORMAT = 1  # of the frozen JSON


@dataclass(frozen=True)
class PublicTable:
    """One table as the public reads it: its rows' figures, each a count or a withheld mark."""

    title: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Shown | float | str, ...]], ...]

    def frame(self) -> pd.DataFrame:
        """The table as shown: the row heading, then a text column per figure."""
        return pd.DataFrame(
            [[label, *(shown_text(v) for v in values)] for label, values in self.rows],
            columns=[self.row_heading, *self.columns],
        )


@dataclass(frozen=True)
class PublicReport:
    """A period's report: its tables, when it was published (None for a preview), and whether
    its figures are the local sample setup's made-up ones."""

    period: PublicPeriod
    tables: tuple[PublicTable, ...]
    published_at: datetime | None = None
    sample: bool = False

    def csv_frame(self) -> pd.DataFrame:
        """Every figure of every table, one per line, exactly as the page shows it."""
        return pd.DataFrame(
            [(self.period.key, t.title, label, column, shown_text(value))
             for t in self.tables for label, values in t.rows
             for column, value in zip(t.columns, values, strict=True)],
            columns=CSV_COLUMNS,
        )  # fmt: skip


def shown_text(value: Shown | float | str) -> str:
    """A figure as text: a count, a median in days, or why it is withheld."""
    if isinstance(value, Hidden):
        return value.value
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def public_tables(counts: PeriodCounts) -> tuple[PublicTable, ...]:
    """The period's tables with every small count, and every figure that would reveal one, withheld."""
    return (
        _reports_table(counts),
        _steps_table(counts),
        _appeals_table(counts),
        _waits_table(counts),
    )


def _reports_table(counts: PeriodCounts) -> PublicTable:
    outcomes = tuple(OUTCOMES.values())
    columns = (RECEIVED, *outcomes, DECIDED)
    cells: dict[Any, int] = {}
    for part in PARTS:
        cells[part, RECEIVED] = counts.received[part]
        for outcome in outcomes:
            cells[part, outcome] = counts.decided[part, outcome]
        cells[part, DECIDED] = sum(counts.decided[part, o] for o in outcomes)
    rows = (*PARTS, ALL_PARTS)
    for column in columns:
        cells[ALL_PARTS, column] = sum(cells[part, column] for part in PARTS)
    groups = [Group(tuple((p, c) for p in PARTS), (ALL_PARTS, c)) for c in columns]
    groups += [Group(tuple((r, o) for o in outcomes), (r, DECIDED)) for r in rows]
    shown = suppress(cells, groups)
    return PublicTable(
        "Reports received and decided, by part of the Code", "Part of the Code", columns,
        tuple((r, tuple(shown[r, c] for c in columns)) for r in rows),
    )  # fmt: skip


def _single_column(title: str, heading: str, column: str, counts: dict[str, int],
                   total: str | None, members: tuple[str, ...]) -> PublicTable:  # fmt: skip
    cells: dict[Any, int] = dict(counts)
    groups = []
    if total is not None:
        cells[total] = sum(counts[m] for m in members)
        groups.append(Group(members, total))
    shown = suppress(cells, groups)
    return PublicTable(
        title, heading, (column,), tuple((label, (shown[label],)) for label in cells)
    )


def _steps_table(counts: PeriodCounts) -> PublicTable:
    return _single_column("Steps of the enforcement ladder", "Step", "Listings", counts.steps,
                          ALL_STEPS, tuple(STEPS.values()))  # fmt: skip


def _appeals_table(counts: PeriodCounts) -> PublicTable:
    received, *decisions = APPEALS.values()
    return _single_column("Appeals and their outcomes", "Appeals", "Number", counts.appeals,
                          APPEALS_DECIDED, tuple(decisions))  # fmt: skip


def _waits_table(counts: PeriodCounts) -> PublicTable:
    """The medians alone: how many reports were timed would repeat (and could reveal) the number
    decided, which the reports' table may withhold."""

    def median(wait: Median) -> float | str:
        return wait.days if wait.reports >= SMALLEST_SHOWN and wait.days is not None else NOT_SHOWN

    return PublicTable(
        "How long reports waited", "Wait", ("Median (days)",),
        (("From receipt to acknowledgement", (median(counts.acknowledgement),)),
         ("From receipt to a decision", (median(counts.decision),))),
    )  # fmt: skip


def preview(session: Session, *, period: PublicPeriod) -> PublicReport:
    """A period's report as it would be published now (for leadership, before publishing)."""
    return PublicReport(period, public_tables(count_period(session, period)))


def publishable_periods(session: Session, *, now: datetime) -> list[PublicPeriod]:
    """Ended quarters and years since the first report, newest first, not yet published."""
    first = session.scalar(select(func.min(Report.created_at)))
    if first is None:
        return []
    published = set(session.scalars(select(PublishedPeriod.period_key)))
    found: list[PublicPeriod] = []
    for year in range(first.year, now.year + 1):
        candidates = [PublicPeriod(year, q) for q in (1, 2, 3, 4)] + [PublicPeriod(year)]
        found += [
            p for p in candidates if p.is_over(now) and p.ends > first and p.key not in published
        ]
    return sorted(found, key=lambda p: (p.ends, p.quarter is None), reverse=True)


def publish_period(
    session: Session,
    *,
    period_key: str,
    moderator: ModeratorIdentity,
    now: datetime,
    sample: bool = False,
) -> PublicReport:
    """Make a period's report public, as previewed now, once (audited). `sample`: the local
    sample setup's made-up history, said so on the page (services/samples/transparency.py)."""
    period = PublicPeriod.parse(period_key)
    if period is None:
        raise NotAllowedNow("There is no such period. Please choose a quarter or a year.")
    if not period.is_over(now):
        raise NotAllowedNow(
            f"{period.label} isn't over yet: a period is published once it has ended."
        )
    if session.scalar(select(PublishedPeriod.id).where(PublishedPeriod.period_key == period.key)):
        raise NotAllowedNow(f"{period.label} is published already. Nothing was changed.")
    report = replace(preview(session, period=period), sample=sample)
    try:
        with session.begin_nested():
            session.add(PublishedPeriod(period_key=period.key, published_at=now,
                                        published_by=moderator.id, figures=_frozen(report)))  # fmt: skip
    except IntegrityError:  # another moderator published it a moment ago
        raise NotAllowedNow(
            f"Another moderator published {period.label} just now. Nothing was changed."
        ) from None
    audit_log.record(session, action=audit_log.Action.PERIOD_PUBLISHED, actor=moderator.actor,
                     now=now, detail=f"Transparency report published: {period.label} ({period.key})")  # fmt: skip
    return replace(report, published_at=now)


def published_periods(session: Session) -> list[PublicPeriod]:
    """The published periods, newest first (a year before its fourth quarter)."""
    keys = session.scalars(select(PublishedPeriod.period_key))
    periods = [p for p in (PublicPeriod.parse(k) for k in keys) if p is not None]
    return sorted(periods, key=lambda p: (p.ends, p.quarter is None), reverse=True)


def published_report(session: Session, *, period_key: str) -> PublicReport | None:
    """A published period's report exactly as published; None for any other key."""
    row = session.execute(
        select(PublishedPeriod.figures, PublishedPeriod.published_at)
        .where(PublishedPeriod.period_key == period_key)
    ).one_or_none()  # fmt: skip
    period = PublicPeriod.parse(period_key)
    if row is None or period is None:
        return None
    tables, sample = _thawed(row.figures)
    return PublicReport(period, tables, row.published_at, sample)


def _frozen(report: PublicReport) -> str:
    def cell(value: Shown | float | str) -> Any:
        return {"hidden": value.value} if isinstance(value, Hidden) else value

    tables = [{"title": t.title, "row_heading": t.row_heading, "columns": list(t.columns),
               "rows": [[label, [cell(v) for v in values]] for label, values in t.rows]}
              for t in report.tables]  # fmt: skip
    return json.dumps({"format": FORMAT, "period": report.period.key, "sample": report.sample,
                       "tables": tables})  # fmt: skip


def _thawed(figures: str) -> tuple[tuple[PublicTable, ...], bool]:
    def cell(value: Any) -> Shown | float | str:
        return Hidden(value["hidden"]) if isinstance(value, dict) else value

    frozen = json.loads(figures)
    tables = tuple(
        PublicTable(t["title"], t["row_heading"], tuple(t["columns"]),
                    tuple((label, tuple(cell(v) for v in values)) for label, values in t["rows"]))
        for t in frozen["tables"]
    )  # fmt: skip
    return tables, bool(frozen.get("sample"))
