"""Where "confirmed in the last 3 months" begins: midnight UTC, 90 days back, for every visitor
all day, whatever time zone the server's clock is set to."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from services.directory.mentor_search import MentorFilter, search_mentors
from services.directory.query import RECENT_DAYS, recent_cutoff
from tests.factories import make_mentor


@pytest.fixture(params=["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
def server_time_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_the_last_3_months_begin_at_midnight_utc_90_days_before_the_visit(
    server_time_zone: str,
) -> None:
    # 01:30:45.123456 on 8 December at UTC+2 is 23:30 on 7 December in UTC
    visit = datetime(2026, 12, 8, 1, 30, 45, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert recent_cutoff(visit) == datetime(2026, 9, 8, tzinfo=UTC)
    assert recent_cutoff(datetime(2026, 12, 7, 0, 0, tzinfo=UTC)) == datetime(2026, 9, 8, tzinfo=UTC)
    assert recent_cutoff(datetime(2026, 12, 8, 0, 0, tzinfo=UTC)) == datetime(2026, 9, 9, tzinfo=UTC)


def test_without_a_time_it_counts_from_today_in_utc(server_time_zone: str) -> None:
    before = datetime.now(UTC).date()
    cutoff = recent_cutoff()
    after = datetime.now(UTC).date()
    assert cutoff.tzinfo is not None and cutoff.utcoffset() == timedelta(0)
    assert cutoff.date() in {day - timedelta(days=RECENT_DAYS) for day in (before, after)}
    assert (cutoff.hour, cutoff.minute, cutoff.second, cutoff.microsecond) == (0, 0, 0, 0)


@pytest.mark.parametrize(("confirmed", "shown"), [
    (datetime(2026, 9, 8, 0, 0, tzinfo=UTC), True),  # the first instant of the last 3 months
    (datetime(2026, 9, 7, 23, 59, 59, tzinfo=UTC), False),
])  # fmt: skip
def test_a_mentor_confirmed_at_the_first_instant_of_the_3_months_is_shown(
    session: Session, confirmed: datetime, shown: bool
) -> None:
    make_mentor(session, full_name="Edge Case", listed_at=confirmed)
    visit = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
    found = search_mentors(session, mentor_filter=MentorFilter(recent_only=True), now=visit)
    assert [card.full_name for card in found.mentors] == (["Edge Case"] if shown else [])
