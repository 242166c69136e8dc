"""Enforcement and appeals over time: warnings, removals for days, removals and bans (per bucket,
and per part of the Code over the range), and appeals received, upheld and rejected.

The steps come from the listing tallies and the appeals from the report tallies the page already
reads; only the table by part of the Code has a query of its own, one GROUP BY over the range's
stretch of the (kind, occurred_at) index.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ListingEvent, ModeratorConflict, Report, ReportExclusion
from services.core.vocabulary import CodeClause
from services.listings.listing_lifecycle import ListingAction
from services.reports.report_lifecycle import ReportAction
from services.trends.collective import ListingTallies
from services.trends.measure import Better, Measure, Unit
from services.trends.periods import PREVIOUS, Period, series_frame
from services.trends.queue import ReportTallies, split_series

A, R = ListingAction, ReportAction
STEPS = {A.WARN: "Warnings", A.REMOVE_FOR_DAYS: "Removals for days", A.REMOVE: "Removals",
         A.BAN: "Bans"}  # fmt: skip
APPEALS = {R.FILE_APPEAL: "Appeals received", R.UPHOLD_APPEAL: "Appeals upheld",
           R.REJECT_APPEAL: "Appeals rejected"}  # fmt: skip
HELP = {
    A.WARN: "Mentors a moderator warned by mail, naming the part of the Code.",
    A.REMOVE_FOR_DAYS: "Listings taken off the directory for a number of days (they come back by "
    "themselves).",
    R.FILE_APPEAL: "Warnings, removals and bans their mentor appealed (once each, within 20 days).",
    R.UPHOLD_APPEAL: "Appeals a moderator who did not take the decision upheld: the decision was "
    "reversed.",
    R.REJECT_APPEAL: "Appeals a moderator who did not take the decision rejected: the decision stands.",
}
NOT_NAMED = "No part named (before the ladder)"
events = ListingEvent.__table__
reports = Report.__table__


def step_measures(tallies: ListingTallies) -> tuple[list[Measure], pd.DataFrame]:
    """Warnings and removals for days as KPIs (removals and bans are in the collective's flow),
    and every step per bucket in one tidy frame."""
    frame, _ = split_series(tallies.period, {label: partial(tallies.count, action)
                                             for action, label in STEPS.items()})  # fmt: skip
    kpis = [_measure(tallies.period, action.value, STEPS[action], HELP[action],
                     partial(tallies.count, action)) for action in (A.WARN, A.REMOVE_FOR_DAYS)]  # fmt: skip
    return kpis, frame


def appeal_measures(tallies: ReportTallies) -> tuple[list[Measure], pd.DataFrame]:
    """Appeals received, upheld and rejected, as KPIs and per bucket in one tidy frame."""
    counts = {action: partial(tallies.count, (action,)) for action in APPEALS}
    frame, _ = split_series(tallies.period, {APPEALS[a]: count for a, count in counts.items()})
    kpis = [_measure(tallies.period, action.value, APPEALS[action], HELP[action], count)
            for action, count in counts.items()]  # fmt: skip
    return kpis, frame


def _measure(period: Period, key: str, label: str, help_text: str, count: partial[int]) -> Measure:
    per_bucket = tuple(float(count(b.index)) for b in period.buckets())
    return Measure(
        key=key, label=label, total=sum(per_bucket), previous=float(count(PREVIOUS)),
        frame=series_frame(period, {b.index: v for b, v in zip(period.buckets(), per_bucket, strict=True)},
                           series=label),
        better=Better.NEITHER, help=help_text,
    )  # fmt: skip


def steps_by_part(session: Session, period: Period) -> pd.DataFrame:
    """Over the range: one row per part of the Code a step enforced, a column per step."""
    rows = session.execute(
        select(events.c.code_clause, events.c.kind, func.count())
        .where(events.c.kind.in_([a.value for a in STEPS]), events.c.occurred_at >= period.starts,
               events.c.occurred_at < period.ends)
        .group_by(events.c.code_clause, events.c.kind)
    ).all()  # fmt: skip
    order = [c.value for c in CodeClause] + [None]
    counts: dict[str | None, dict[str, int]] = {}
    for clause, kind, n in rows:
        counts.setdefault(clause, {})[STEPS[A.of(kind)]] = int(n)
    frame = pd.DataFrame(
        [{"Part of the Code": label_of(clause), **{s: counts[clause].get(s, 0) for s in STEPS.values()}}
         for clause in sorted(counts, key=order.index)],
        columns=["Part of the Code", *STEPS.values()],
    )  # fmt: skip
    return frame


def label_of(clause: str | None) -> str:
    member = CodeClause.parse(clause)
    return member.label if member else NOT_NAMED


def waiting_on_unconflicted(session: Session, period: Period) -> Measure:
    """Open cases that only some moderators may handle (a declared conflict with the mentor, or
    the reporter kept someone off), at the end of each bucket and of the range. Only such cases
    are read: as many as the conflicts and exclusions touch, never the whole queue."""
    excluded = (
        select(reports.c.created_at.label("since"), reports.c.created_at, reports.c.resolved_at)
        .where(reports.c.id.in_(select(ReportExclusion.report_id)), ~reports.c.suspected_spam)
    )  # fmt: skip
    conflicted = (
        select(func.min(ModeratorConflict.declared_at).label("since"), reports.c.created_at,
               reports.c.resolved_at)
        .join(ModeratorConflict, ModeratorConflict.mentor_id == reports.c.mentor_id)
        .where(~reports.c.suspected_spam)
        .group_by(reports.c.id, reports.c.created_at, reports.c.resolved_at)
    )  # fmt: skip
    spans = [(max(since, created), resolved) for since, created, resolved in
             (*session.execute(excluded), *session.execute(conflicted))]  # fmt: skip

    def level(at: datetime) -> float:
        return float(sum(1 for since, resolved in spans if since <= at and (resolved is None or resolved > at)))

    per_bucket: dict[int, float | None] = {b.index: level(b.ends) for b in period.buckets()}
    return Measure(
        key="restricted", label="Open cases with a conflict",
        total=level(period.ends), previous=level(period.starts),
        frame=series_frame(period, per_bucket, series="Open cases some may not handle"),
        unit=Unit.LEVEL, better=Better.LOWER,
        help="Open cases that a moderator with a conflict of interest (declared, or named by the "
        "reporter) may not handle, at the end of the range: the others have to take them.",
    )  # fmt: skip
