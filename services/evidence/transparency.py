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
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import ListingEvent, PublishedPeriod, Report
from services.accounts.auth import ModeratorIdentity
from services.audit import audit_log
from services.core.refusals import NotAllowedNow
from services.evidence.suppression import Hidden
from services.evidence.transparency_figures import STEPS, PublicPeriod, count_period
from services.evidence.transparency_tables import Figure, PublicReport, PublicTable, public_tables

FORMAT = 1  # of the frozen JSON


def preview(session: Session, *, period: PublicPeriod) -> PublicReport:
    """A period's report as it would be published now (for leadership, before publishing); a
    year's takes its published quarters into account."""
    quarters = _year_quarters(session, period) if period.quarter is None else []
    return PublicReport(
        period, public_tables(count_period(session, period), quarters=quarters or ())
    )


def _year_quarters(session: Session, year: PublicPeriod) -> list[PublicReport] | None:
    """A year's four quarters as the public has them (a quarter before anything was counted is
    all zeros); None while one of them is still to be published."""
    first = _first_counted(session)
    found = []
    for quarter in (PublicPeriod(year.year, q) for q in (1, 2, 3, 4)):
        report = published_report(session, period_key=quarter.key)
        if report is None and first is not None and quarter.ends > first:
            return None
        found.append(report or PublicReport(quarter, public_tables(count_period(session, quarter))))
    return found


def _first_counted(session: Session) -> datetime | None:
    """When the first thing the report counts happened: a report, or a step of the ladder."""
    steps = [kind.value for kind in STEPS]
    moments = [session.scalar(select(func.min(Report.created_at))),
               session.scalar(select(func.min(ListingEvent.occurred_at)).where(ListingEvent.kind.in_(steps)))]  # fmt: skip
    return min((m for m in moments if m is not None), default=None)


def publishable_periods(session: Session, *, now: datetime) -> list[PublicPeriod]:
    """Ended quarters since the first thing counted, and years whose quarters are all published,
    newest first (a year before its fourth quarter), not yet published."""
    first = _first_counted(session)
    if first is None:
        return []
    published = set(session.scalars(select(PublishedPeriod.period_key)))
    found: list[PublicPeriod] = []
    for year in range(first.year, now.year + 1):
        quarters = [PublicPeriod(year, q) for q in (1, 2, 3, 4)]
        waiting = [
            q for q in quarters if q.is_over(now) and q.ends > first and q.key not in published
        ]
        found += waiting
        if not waiting and PublicPeriod(year).is_over(now) and str(year) not in published:
            found.append(PublicPeriod(year))
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
    if period.quarter is None and _year_quarters(session, period) is None:
        raise NotAllowedNow(f"Please publish the four quarters of {period.year} first: a year "
                            "is published after them, so that it can't give any of them away.")  # fmt: skip
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
    def cell(value: Figure) -> Any:
        return {"hidden": value.value} if isinstance(value, Hidden) else value

    tables = [{"title": t.title, "row_heading": t.row_heading, "columns": list(t.columns),
               "rows": [[label, [cell(v) for v in values]] for label, values in t.rows]}
              for t in report.tables]  # fmt: skip
    return json.dumps({"format": FORMAT, "period": report.period.key, "sample": report.sample,
                       "tables": tables})  # fmt: skip


def _thawed(figures: str) -> tuple[tuple[PublicTable, ...], bool]:
    def cell(value: Any) -> Figure:
        return Hidden(value["hidden"]) if isinstance(value, dict) else value

    frozen = json.loads(figures)
    tables = tuple(
        PublicTable(t["title"], t["row_heading"], tuple(t["columns"]),
                    tuple((label, tuple(cell(v) for v in values)) for label, values in t["rows"]))
        for t in frozen["tables"]
    )  # fmt: skip
    return tables, bool(frozen.get("sample"))
