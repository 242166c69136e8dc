"""One function per measure: `(session, *, start, end, tz) -> Measure`, for any caller.

`start` and `end` are the viewer's local days (inclusive) and `tz` their time zone. Each returns
a Measure (services/trends/measure.py): the total over the range, the same for the period of
equal length just before, and a tidy frame with a row per bucket. The page reads them all at
once through services/trends/overview.py, which shares the few queries behind them.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from services.listings.listing_lifecycle import ListingAction
from services.trends.collective import flow_measures, listed_measure, listing_tallies
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

A = ListingAction


def _flow(session: Session, action: ListingAction, start: date, end: date, tz: ZoneInfo) -> Measure:
    return flow_measures(listing_tallies(session, Period(start, end, tz)))[action]


def listed_mentors(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Listed mentors at the end of the range, and at the end of each bucket."""
    return listed_measure(listing_tallies(session, Period(start, end, tz)))


def sign_ups(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Listings signed up."""
    return _flow(session, A.SIGN_UP, start, end, tz)


def pauses(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Listings paused by their mentor."""
    return _flow(session, A.PAUSE, start, end, tz)


def resumes(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Paused listings put back on the page."""
    return _flow(session, A.RESUME, start, end, tz)


def removals(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Listings removed by a moderator."""
    return _flow(session, A.REMOVE, start, end, tz)


def bans(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Mentors banned."""
    return _flow(session, A.BAN, start, end, tz)


def reports_received(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Reports received by part of the Code; the total counts violations, not removal requests."""
    return received_by_part_measure(report_intake(session, Period(start, end, tz)))


def reports_open(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Reports and removal requests open at the end of the range, and of each bucket."""
    return backlog_measure(report_tallies(session, Period(start, end, tz)))


def reports_past_promise(
    session: Session, *, start: date, end: date, tz: ZoneInfo, now: datetime
) -> Measure:
    """Reports received that no moderator acted on within 7 days (known once 7 days have passed)."""
    return promise_measure(report_intake(session, Period(start, end, tz), now=now))


def report_outcomes(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Reports and removal requests resolved or dismissed, by outcome."""
    return outcome_measure(report_tallies(session, Period(start, end, tz)))


def team_workload(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Moderators' actions as one team total, by kind of work (never per person)."""
    period = Period(start, end, tz)
    return workload_measure(report_tallies(session, period), listing_tallies(session, period))


def paused_for_no_answer(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Listings the clock paused because their mentor didn't answer the still-available mail."""
    return _flow(session, A.PAUSE_UNANSWERED, start, end, tz)


def _freshness(session: Session, start: date, end: date, tz: ZoneInfo) -> dict[str, Measure]:
    period = Period(start, end, tz)
    listed = listed_measure(listing_tallies(session, period))
    return {m.key: m for m in freshness_measures(freshness_tallies(session, period), listed)}


def confirmed_share(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """The share (%) of listed mentors who confirmed being available within 90 days, at the end
    of the range and at its start."""
    return _freshness(session, start, end, tz)["confirmed_share"]


def comebacks(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Listings paused for no answer whose mentor came back."""
    return _freshness(session, start, end, tz)["comebacks"]


def no_reply_signals(session: Session, *, start: date, end: date, tz: ZoneInfo) -> Measure:
    """Mentees' "No reply?" signals."""
    return _freshness(session, start, end, tz)["no_reply"]
