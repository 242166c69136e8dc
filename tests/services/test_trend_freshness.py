"""Listings that stay true, against hand-counted histories, on SQLite and PostgreSQL.

The week under test is Monday 2 to Sunday 8 November 2026 (UTC); the period before it is 26
October to 1 November.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from models import Mentor
from services.audit.audit_log import MENTOR, SYSTEM
from services.listings import freshness, no_reply
from services.listings.listing_lifecycle import ListingAction, move_listing
from services.trends import single_measures
from services.trends.collective import listed_measure, listing_tallies
from services.trends.freshness import confirmed_listed, freshness_measures, freshness_tallies
from services.trends.periods import Period
from tests.services.trend_data import UTC_ZONE, Listing, at

A = ListingAction
WEEK = Period(date(2026, 11, 2), date(2026, 11, 8), UTC_ZONE)


def move(session: Session, listing: Listing, action: ListingAction, when: object, **kw: object) -> None:
    mentor = session.get_one(Mentor, listing.id)
    move_listing(session, mentor, action, now=when, **kw)  # type: ignore[arg-type]


def measures(session: Session) -> dict[str, object]:
    tallies = freshness_tallies(session, WEEK)
    listed = listed_measure(listing_tallies(session, WEEK))
    return {m.key: m for m in freshness_measures(tallies, listed)}


def test_confirmed_within_90_days_counts_listed_mentors_by_their_last_confirmation(
    session: Session,
) -> None:
    end = WEEK.ends  # 9 November, 00:00 UTC
    Listing(session, end - timedelta(days=89))  # confirmed at sign-up, 89 days before: counts
    Listing(session, end - timedelta(days=91))  # 91 days: no longer
    old = Listing(session, end - timedelta(days=200))
    move(session, old, A.CONFIRM_AVAILABLE, end - timedelta(days=10), actor=MENTOR)  # "Yes": counts
    paused = Listing(session, end - timedelta(days=20)).pause(end - timedelta(days=5))  # not listed
    assert confirmed_listed(session, at=end) == 2
    paused.resume(end - timedelta(days=1))  # back, and resuming confirms
    assert confirmed_listed(session, at=end) == 3
    share = measures(session)["confirmed_share"]
    assert share.total == 75.0  # 3 of the 4 listed at the end of the week
    # At the start of the week (2 November) all 4 were listed and fresh: the 91-day one was 84
    # days old, the "Yes" (30 October) had happened, the 20-day one was not yet paused.
    assert share.previous == 100.0


def test_a_pause_for_no_answer_and_the_comeback_after_it_are_counted_in_their_week(
    session: Session,
) -> None:
    quiet = Listing(session, at("2026-07-01"))
    move(session, quiet, A.PAUSE_UNANSWERED, at("2026-10-28"), actor=SYSTEM,
         reason=freshness.NOT_CONFIRMED)  # the week before  # fmt: skip
    move(session, quiet, A.END_NOTE, at("2026-11-01"), actor=SYSTEM)  # while paused: still that pause
    move(session, quiet, A.RESUME, at("2026-11-03"), actor=MENTOR, reason=freshness.CAME_BACK)
    own_break = Listing(session, at("2026-07-01")).pause(at("2026-11-02"))
    own_break.resume(at("2026-11-04"))  # a comeback after the mentor's own pause: not counted
    found = measures(session)
    assert found["comebacks"].total == 1 and found["comebacks"].previous == 0
    assert list(found["comebacks"].frame["value"]) == [0, 1, 0, 0, 0, 0, 0]
    paused = single_measures.paused_for_no_answer(session, start=WEEK.start, end=WEEK.end, tz=UTC_ZONE)
    assert (paused.total, paused.previous) == (0, 1)
    assert single_measures.comebacks(session, start=WEEK.start, end=WEEK.end, tz=UTC_ZONE).total == 1


@pytest.mark.parametrize("client_count", [1, 4])
def test_no_reply_signals_are_counted_per_day_and_one_address_counts_once(
    session: Session, client_count: int
) -> None:
    listing = Listing(session, at("2026-09-01"))
    for n in range(client_count):
        for _ in range(3):  # the same address again: one signal
            no_reply.signal(session, mentor_id=listing.id, client_key=f"client-{n}", now=at("2026-11-05"))
    no_reply.signal(session, mentor_id=listing.id, client_key="earlier", now=at("2026-10-27"))
    found = measures(session)["no_reply"]
    assert found.total == client_count and found.previous == 1
    assert list(found.frame["value"]) == [0, 0, 0, client_count, 0, 0, 0]
