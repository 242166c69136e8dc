"""Listings that stay true: how many listed mentors confirmed lately, listings the clock paused for
no answer and the comebacks after them, and mentees' "No reply?" signals.

A listed mentor "confirmed within 90 days" at a time T has a confirming event (confirmation,
resume, edit, "Yes, I'm still available") in the 90 days before T, and their latest event before
T left them listed: counted from the confirming events' index stretch, not from every mentor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ListingEvent, NoReplySignal
from services.core.vocabulary import ListingStatus
from services.listings.listing_lifecycle import CONFIRMS_AVAILABILITY, ListingAction
from services.trends.measure import Better, Measure, Unit
from services.trends.periods import PREVIOUS, Period, locate, series_frame

A = ListingAction
FRESH = timedelta(days=90)
events = ListingEvent.__table__
signals = NoReplySignal.__table__
SHARE_HELP = (
    "Listed mentors who said they are available in the 90 days before (joining, resuming, "
    "editing or answering the still-available mail), at the end of the range and at its start."
)
COMEBACK_HELP = "Listings paused for no answer whose mentor came back to the page."
SIGNAL_HELP = (
    "Mentees who reached out, heard nothing for two weeks and said so on the card. Anonymous, "
    "never public; three from different people bring the mentor's still-available mail forward."
)


@dataclass(frozen=True)
class FreshnessTallies:
    """Comebacks and signals per bucket (PREVIOUS included), and the listed mentors who confirmed
    within 90 days at the start and at the end of the range."""

    period: Period
    comebacks: dict[int, int]
    signals: dict[int, int]
    confirmed_at_start: int
    confirmed_at_end: int


def freshness_tallies(session: Session, period: Period) -> FreshnessTallies:
    """The tallies of the range and the period before it."""
    since, until = period.edges[0], period.ends
    pause = events.alias("pause")
    last_pause = (
        select(pause.c.kind)
        .where(pause.c.mentor_id == events.c.mentor_id, pause.c.id < events.c.id,
               pause.c.to_status == ListingStatus.PAUSED.value,
               pause.c.from_status != ListingStatus.PAUSED.value)  # the move into the pause
        .order_by(pause.c.id.desc()).limit(1).scalar_subquery()
    )  # fmt: skip
    comebacks = session.scalars(
        select(events.c.occurred_at).where(
            events.c.kind == A.RESUME.value, events.c.occurred_at >= since,
            events.c.occurred_at < until, last_pause == A.PAUSE_UNANSWERED.value,
        )
    )  # fmt: skip
    signalled = session.scalars(
        select(signals.c.created_at).where(signals.c.created_at >= since,
                                           signals.c.created_at < until)
    )  # fmt: skip
    return FreshnessTallies(
        period, _per_bucket(period, comebacks), _per_bucket(period, signalled),
        confirmed_listed(session, at=period.starts), confirmed_listed(session, at=until),
    )  # fmt: skip


def confirmed_listed(session: Session, *, at: datetime) -> int:
    """Mentors listed just before `at` who confirmed being available within the 90 days before it."""
    latest = events.alias("latest")
    status_then = (
        select(latest.c.to_status)
        .where(latest.c.mentor_id == events.c.mentor_id, latest.c.occurred_at < at)
        .order_by(latest.c.occurred_at.desc(), latest.c.id.desc()).limit(1).scalar_subquery()
    )  # fmt: skip
    query = select(func.count(func.distinct(events.c.mentor_id))).where(
        events.c.kind.in_(sorted(a.value for a in CONFIRMS_AVAILABILITY)),
        events.c.occurred_at >= at - FRESH, events.c.occurred_at < at,
        status_then == ListingStatus.LISTED.value,
    )  # fmt: skip
    return session.scalar(query) or 0


def _per_bucket(period: Period, moments: Iterable[datetime]) -> dict[int, int]:
    counted = Counter(locate(period, moment) for moment in moments)
    return {index: n for index, n in counted.items() if index is not None}


def _share(part: int, whole: float | None) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


def freshness_measures(tallies: FreshnessTallies, listed: Measure) -> list[Measure]:
    """The share confirmed within 90 days (against the listed mentors measure's levels), the
    comebacks after a pause for no answer, and the "No reply?" signals."""
    period = tallies.period
    share = Measure(
        key="confirmed_share", label="Confirmed within 90 days",
        total=_share(tallies.confirmed_at_end, listed.total),
        previous=_share(tallies.confirmed_at_start, listed.previous),
        frame=series_frame(period, {}, series="Confirmed within 90 days", fill=None),
        unit=Unit.SHARE, better=Better.HIGHER, help=SHARE_HELP,
    )  # fmt: skip
    share = replace(share, spark=(share.previous, share.total))  # two levels: start and end
    counts = []
    for key, label, per_bucket, better, help_text in (
        ("comebacks", "Back after a pause for no answer", tallies.comebacks, Better.HIGHER,
         COMEBACK_HELP),
        ("no_reply", "Mentees who heard nothing", tallies.signals, Better.LOWER, SIGNAL_HELP),
    ):  # fmt: skip
        in_range = {b.index: float(per_bucket.get(b.index, 0)) for b in period.buckets()}
        counts.append(Measure(
            key=key, label=label, total=sum(in_range.values()),
            previous=float(per_bucket.get(PREVIOUS, 0)),
            frame=series_frame(period, in_range, series=label), better=better, help=help_text,
        ))  # fmt: skip
    return [share, *counts]
