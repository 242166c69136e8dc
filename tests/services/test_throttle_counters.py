"""The throttle's counters as people meet them: how long a client is told to wait, and which
counters the daily maintenance forgets."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import RateLimitHit
from services.accounts import throttle
from services.accounts.auth import ACCOUNT_FAILURES, SignIn, add_moderator, sign_in
from services.accounts.throttle import Throttled, client_key
from services.listings.owner import CREDENTIAL_LIMIT_PER_CLIENT, open_listing
from tests.conftest import NOW

GUESSER = client_key("203.0.113.66")
PASSWORD = "correct horse battery"


def wrong_code(session: Session, *, minutes: int) -> None:
    assert open_listing(session, credential="not-a-code", client_key=GUESSER,
                        now=NOW + timedelta(minutes=minutes)) is None  # fmt: skip


def test_the_wait_runs_from_the_oldest_attempt_still_counted_even_when_they_arrived_out_of_order(
    session: Session,
) -> None:
    # Two requests can take their time before either counts its attempt: the later-timed one
    # may be written first. The wait is still the window after the oldest attempt.
    for minutes in (10, 1, 2, 3, 4):
        wrong_code(session, minutes=minutes)
    with pytest.raises(Throttled) as told:
        wrong_code(session, minutes=11)
    assert told.value.retry_after == CREDENTIAL_LIMIT_PER_CLIENT.window - timedelta(minutes=10)
    assert "wait 5 minutes" in told.value.message


def sign_in_as_alice(session: Session, password: str, *, at: datetime) -> SignIn | None:
    return sign_in(lambda: nullcontext(session), username="alice", password=password,
                   client_key=GUESSER, secret_hashes={}, now=at)  # fmt: skip


def test_failed_sign_ins_from_yesterday_no_longer_slow_anyone_down(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW - timedelta(days=2))
    for _ in range(ACCOUNT_FAILURES.allowed):  # as many as go unanswered by a wait
        assert sign_in_as_alice(session, "a wrong guess", at=NOW - timedelta(days=1)) is None
    assert sign_in_as_alice(session, "a typo in it", at=NOW) is None
    assert sign_in_as_alice(session, PASSWORD, at=NOW + timedelta(seconds=1)) is not None


def test_a_failed_sign_in_counts_until_the_end_of_its_last_second_in_the_window(
    session: Session,
) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW - timedelta(days=2))
    assert sign_in_as_alice(session, "a first guess", at=NOW) is None
    window_later = NOW + ACCOUNT_FAILURES.window
    for _ in range(ACCOUNT_FAILURES.allowed - 1):
        assert sign_in_as_alice(session, "another guess", at=window_later) is None
    with pytest.raises(Throttled):  # the first guess is exactly one window old: it still counts
        sign_in_as_alice(session, PASSWORD, at=window_later)
    assert sign_in_as_alice(session, PASSWORD, at=window_later + timedelta(seconds=1)) is not None


def test_after_the_allowed_failures_the_waits_are_one_second_then_twice_as_long_each_time(
    session: Session,
) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW - timedelta(days=2))
    for _ in range(ACCOUNT_FAILURES.allowed):
        assert sign_in_as_alice(session, "a wrong guess", at=NOW) is None
    moment, waits = NOW, []
    for _ in range(4):
        with pytest.raises(Throttled) as told:
            sign_in_as_alice(session, PASSWORD, at=moment)
        waits.append(told.value.retry_after)
        moment += told.value.retry_after
        assert sign_in_as_alice(session, "still wrong", at=moment) is None
    assert waits == [timedelta(seconds=s) for s in (1, 2, 4, 8)]


def test_maintenance_forgets_the_counters_older_than_the_cutoff_and_keeps_the_rest(
    session: Session,
) -> None:
    cutoff = NOW - timedelta(days=1)
    for key, at in [("old", cutoff - timedelta(seconds=1)), ("at the cutoff", cutoff),
                    ("recent", NOW)]:  # fmt: skip
        throttle.hit(session, scope="report_client", key=key, now=at)
    throttle.forget_older_than(session, cutoff=cutoff)
    left = session.scalars(select(RateLimitHit.key).order_by(RateLimitHit.created_at))
    assert list(left) == ["at the cutoff", "recent"]
