"""The report queue over time: reports received by part of the Code, outcomes, backlog, the 7-day promise.

Counts come from `report_events` by kind and from the reports' own timestamps; nothing parses
text. Reports the spam trap caught are left out everywhere, as the queue hides them. The open
backlog at a time T is the open queue now minus what the events after T opened and plus what they
closed: how much each kind of event opens or closes is read from the report's transition table.
The moderators' workload is a team total: no measure here ever names or ranks a person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    and_,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from models import Report, ReportEvent
from services.core.vocabulary import ActorKind, ReportStatus
from services.listings.listing_lifecycle import TRANSITIONS as LISTING_TRANSITIONS
from services.reports.intake import SECTION_2, SECTION_3, ReportCategory
from services.reports.report_lifecycle import OPEN, TRANSITIONS, ReportAction
from services.trends.collective import ListingTallies
from services.trends.measure import Better, Measure, Unit
from services.trends.periods import AFTER, PREVIOUS, Period, bucket_table, locate, series_frame
from services.trends.sql import among, code_table, seconds_between

R = ReportAction
PROMISE = timedelta(days=7)
reports = Report.__table__
events = ReportEvent.__table__
NOT_SPAM = ~reports.c.suspected_spam
# Rows of the tallies' statement beside the kinds of event: the open queue now.
OPEN_NOW, NOW = "open now", -9

# Parts of the Code a report can be about, in the order charts stack them.
PARTS = {
    "Section 3: banned behaviour": SECTION_3,
    "Section 2: expectations": SECTION_2,
    "Something else": (ReportCategory.OTHER,),
    "Removal requests": (ReportCategory.REMOVAL_REQUEST,),
    "Appeals": (ReportCategory.APPEAL,),
}
VIOLATION_PARTS = tuple(part for part in PARTS if part not in ("Removal requests", "Appeals"))
OUTCOMES = (R.RESOLVE_WITH_ACTION, R.RESOLVE_WITHOUT_ACTION, R.DISMISS)
# The team's work, grouped as leadership reads it; every kind here is a moderator's alone.
WORK = {
    "Acknowledged": (R.ACKNOWLEDGE,),
    "Reviews started": (R.START_REVIEW,),
    "Decisions": (*OUTCOMES, R.UPHOLD_APPEAL, R.REJECT_APPEAL),  # resolved, dismissed, appeals decided
    "Reopened": (R.REOPEN,),
    "Notes and assignments": (R.ASSIGN, R.ADD_NOTE),
}
LISTING_WORK = "Listing actions"  # removed, banned, restored, taken off or erased on request
MODERATOR_LISTING_ACTIONS = tuple(
    a for a, move in LISTING_TRANSITIONS.items() if move.actors == {ActorKind.MODERATOR}
)


def part_of(category: str) -> str:
    """The part of the Code a report's category belongs to."""
    member = ReportCategory.parse(category)
    return next((part for part, members in PARTS.items() if member in members), "Something else")


def opens(action: ReportAction) -> int:
    """+1 when this move puts a report into the open queue, -1 when it takes one out, else 0."""
    move = TRANSITIONS[action]
    if not isinstance(move.target, ReportStatus):
        return 0  # the state doesn't change
    was_open = {source in OPEN for source in move.sources}
    if len(was_open) != 1:
        raise ValueError(f"{action} starts from open and closed states alike")
    return int(move.target in OPEN) - int(was_open.pop())


@dataclass(frozen=True)
class ReportTallies:
    """Report events per bucket (PREVIOUS and AFTER included) by kind, and the open queue now."""

    period: Period
    counts: dict[int, dict[str, int]]
    open_now: int

    def count(self, actions: tuple[ReportAction, ...], idx: int) -> int:
        kinds = self.counts.get(idx, {})
        return sum(kinds.get(a.value, 0) for a in actions)


def report_tallies(session: Session, period: Period) -> ReportTallies:
    """Report events per bucket of the range, the period before and after it, spam left out.

    Each (bucket, kind) is a COUNT over one stretch of the (kind, occurred_at) index. Events of
    suspected spam are then taken away: they belong to the few spam reports touched since the
    period before began (a report's updated_at is its latest event), found through a partial
    index, so this too costs what the range holds.
    """
    b = bucket_table(period, previous=True, after=True)
    kinds = code_table("kinds", [a.value for a in R])
    counted = (
        select(func.count()).select_from(events)
        .where(events.c.kind == kinds.c.code, events.c.occurred_at >= b.c.lo,
               events.c.occurred_at < b.c.hi)
        .scalar_subquery()
    )  # fmt: skip
    open_now = (
        select(func.count()).select_from(reports)
        .where(reports.c.status.in_([s.value for s in OPEN]), NOT_SPAM).scalar_subquery()
    )  # fmt: skip
    query = union_all(
        select(b.c.idx, kinds.c.code, counted).select_from(b.join(kinds, true())),
        select(literal(NOW), literal(OPEN_NOW), open_now),
    )
    counts: dict[int, dict[str, int]] = {}
    for idx, code, n in session.execute(query):
        counts.setdefault(idx, {})[code] = int(n)
    for idx, kind in _spam_events(session, period):
        counts[idx][kind] -= 1
    return ReportTallies(period, counts, counts[NOW][OPEN_NOW])


def _spam_events(session: Session, period: Period) -> list[tuple[int, str]]:
    """(bucket, kind) of each event of suspected spam since the period before began: events of
    the spam reports touched since then (a partial index holds only spam, by updated_at),
    sought by report through the (report_id, occurred_at) index."""
    since = period.previous().starts
    touched = select(reports.c.id).where(reports.c.suspected_spam, reports.c.updated_at >= since)
    query = select(events.c.occurred_at, events.c.kind).where(
        among(events.c.report_id, touched, dialect=session.get_bind().dialect.name),
        events.c.occurred_at >= since,
    )
    found = ((locate(period, moment), kind) for moment, kind in session.execute(query))
    return [(idx, kind) for idx, kind in found if idx is not None]


def backlog_measure(tallies: ReportTallies) -> Measure:
    """Reports and removal requests open at the end of each bucket, and of the range."""
    period = tallies.period

    def net(idx: int) -> int:
        return sum(opens(R.of(kind)) * n for kind, n in tallies.counts.get(idx, {}).items())

    level = tallies.open_now - net(AFTER)
    at_end = level
    per_bucket: dict[int, float | None] = {}
    for bucket in reversed(period.buckets()):
        per_bucket[bucket.index] = float(level)
        level -= net(bucket.index)
    return Measure(
        key="open", label="Open in the queue", total=float(at_end), previous=float(level),
        frame=series_frame(period, per_bucket, series="Open in the queue"), unit=Unit.LEVEL,
        better=Better.LOWER,
        help="Reports and removal requests waiting for a decision at the end of the range "
        "(suspected spam left out).",
    )  # fmt: skip


def split_series(
    period: Period, series: dict[str, Callable[[int], int]]
) -> tuple[pd.DataFrame, tuple[float, ...]]:
    """A tidy frame of several series (each counted per bucket index) and their sum per bucket."""
    buckets = period.buckets()
    frame = pd.concat(
        [series_frame(period, {b.index: float(count(b.index)) for b in buckets}, series=name)
         for name, count in series.items()], ignore_index=True,
    )  # fmt: skip
    return frame, tuple(float(sum(count(b.index) for count in series.values())) for b in buckets)


def outcome_measure(tallies: ReportTallies) -> Measure:
    """Reports and removal requests closed per bucket, by how they were closed."""
    frame, per_bucket = split_series(
        tallies.period, {a.label: partial(tallies.count, (a,)) for a in OUTCOMES}
    )
    return Measure(
        key="outcomes", label="Decisions", total=sum(per_bucket),
        previous=float(tallies.count(OUTCOMES, PREVIOUS)), frame=frame, spark=per_bucket,
        better=Better.NEITHER, help="Reports and removal requests resolved or dismissed.",
    )  # fmt: skip


def workload_measure(queue: ReportTallies, listings: ListingTallies) -> Measure:
    """The moderation team's actions per bucket, by kind of work: a team total, never per person."""

    def listing_work(idx: int) -> int:
        return sum(listings.count(a, idx) for a in MODERATOR_LISTING_ACTIONS)

    work = {name: partial(queue.count, actions) for name, actions in WORK.items()}
    frame, per_bucket = split_series(queue.period, {**work, LISTING_WORK: listing_work})
    every = tuple(a for actions in WORK.values() for a in actions)
    return Measure(
        key="workload", label="Moderator actions", total=sum(per_bucket),
        previous=float(queue.count(every, PREVIOUS) + listing_work(PREVIOUS)), frame=frame,
        spark=per_bucket, better=Better.NEITHER,
        help="Everything the moderation team did, as one team: reviews started, decisions "
        "(resolved, dismissed, appeals decided), reopenings, notes and assignments, and listing "
        "actions (the enforcement ladder, restores, take-offs and erasures on request).",
    )  # fmt: skip


@dataclass(frozen=True)
class Intake:
    """Reports received per bucket (PREVIOUS included) by part of the Code, and how many missed the promise."""

    period: Period
    received: dict[int, dict[str, int]]  # idx -> part -> reports
    late: dict[int, int]  # idx -> reports with no moderator action within 7 days


def report_intake(session: Session, period: Period, *, now: datetime | None = None) -> Intake:
    """Reports received in the range and the period before it, by category (and, given `now`,
    how many no moderator acted on within 7 days), each a COUNT over a stretch of one index."""
    b = bucket_table(period, previous=True)
    categories = code_table("categories", [c.value for c in ReportCategory])

    def counted(*conditions: ColumnElement[bool]) -> ScalarSelect[int]:
        return (
            select(func.count()).select_from(reports)
            .where(reports.c.category == categories.c.code, reports.c.created_at >= b.c.lo,
                   reports.c.created_at < b.c.hi, NOT_SPAM, *conditions)
            .scalar_subquery()
        )  # fmt: skip

    late: ScalarSelect[int] | ColumnElement[int] = literal(0)
    if now is not None:
        late = counted(or_(
            and_(reports.c.first_action_at.is_(None), reports.c.created_at <= now - PROMISE),
            seconds_between(reports.c.first_action_at, reports.c.created_at) > PROMISE.total_seconds(),
        ))  # fmt: skip
    query = select(b.c.idx, categories.c.code, counted(), late).select_from(
        b.join(categories, true())
    )
    received: dict[int, dict[str, int]] = {}
    late_counts: dict[int, int] = {}
    for idx, category, n, late_n in session.execute(query):
        parts = received.setdefault(idx, {})
        parts[part_of(category)] = parts.get(part_of(category), 0) + int(n)
        late_counts[idx] = late_counts.get(idx, 0) + int(late_n)
    return Intake(period, received, late_counts)


def received_by_part_measure(intake: Intake) -> Measure:
    """Reports received per bucket, by part of the Code (removal requests apart)."""
    period = intake.period

    def received(parts: tuple[str, ...], idx: int) -> int:
        return sum(intake.received.get(idx, {}).get(p, 0) for p in parts)

    frame, _ = split_series(period, {p: partial(received, (p,)) for p in PARTS})
    violations = tuple(float(received(VIOLATION_PARTS, b.index)) for b in period.buckets())
    return Measure(
        key="received", label="Reports received", total=sum(violations),
        previous=float(received(VIOLATION_PARTS, PREVIOUS)), frame=frame, spark=violations,
        better=Better.LOWER,
        help="Reports of a Code of Conduct violation (removal requests and suspected spam not counted).",
    )  # fmt: skip


def promise_measure(intake: Intake) -> Measure:
    """Reports received per bucket that no moderator acted on within 7 days."""
    period = intake.period
    per_bucket = {b.index: float(intake.late.get(b.index, 0)) for b in period.buckets()}
    return Measure(
        key="late", label="Not acknowledged in 7 days", total=sum(per_bucket.values()),
        previous=float(intake.late.get(PREVIOUS, 0)),
        frame=series_frame(period, per_bucket, series="Not acknowledged in 7 days"),
        better=Better.LOWER,
        help="Reports and removal requests received in the range that no moderator acted on "
        "within 7 days, as we promise (counted once 7 days have passed).",
    )  # fmt: skip
