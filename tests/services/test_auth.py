"""Moderator sign-in: hashes only, growing waits, equal-cost checks, sessions that end."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEvent, Moderator
from services.auth import (
    ACCOUNT_FAILURES,
    add_moderator,
    hash_password,
    reset_password,
    sign_in,
    sign_out,
    signed_in_moderator,
)
from services.refusals import InvalidSubmission, Throttled
from tests.conftest import NOW

PASSWORD = "correct horse battery"
IDLE = timedelta(minutes=30)


def test_passwords_are_stored_only_as_argon2_hashes(session: Session) -> None:
    add_moderator(session, username="Alice", password=PASSWORD, now=NOW)
    stored = session.scalar(select(Moderator.password_hash).where(Moderator.username == "alice"))
    assert stored and stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [("al", PASSWORD, "username"), ("alice", "short", "password")],
)
def test_weak_accounts_are_refused(
    session: Session, username: str, password: str, field: str
) -> None:
    with pytest.raises(InvalidSubmission) as problem:
        add_moderator(session, username=username, password=password, now=NOW)
    assert field in problem.value.errors


def test_the_right_password_opens_a_session_and_the_wrong_one_does_not(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    assert (
        sign_in(session, username="alice", password="wrong password!", secret_hashes={}, now=NOW)
        is None
    )
    granted = sign_in(session, username=" ALICE ", password=PASSWORD, secret_hashes={}, now=NOW)
    assert granted is not None and granted.moderator.username == "alice"
    assert (
        signed_in_moderator(session, token=granted.token, idle_timeout=IDLE, now=NOW)
        == granted.moderator
    )
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["login_failed", "login_succeeded"]


def test_accounts_in_the_secrets_sign_in_with_their_hash(session: Session) -> None:
    granted = sign_in(
        session,
        username="bob",
        password=PASSWORD,
        secret_hashes={"bob": hash_password(PASSWORD)},
        now=NOW,
    )
    assert granted is not None
    assert (
        session.scalar(select(Moderator.password_hash).where(Moderator.username == "bob")) is None
    )


def test_repeated_failures_meet_growing_waits(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    _, allowed, _ = ACCOUNT_FAILURES
    moment = NOW
    for _ in range(allowed):
        assert (
            sign_in(
                session, username="alice", password="nope nope nope", secret_hashes={}, now=moment
            )
            is None
        )
    waits = []
    for _ in range(3):
        with pytest.raises(Throttled) as slowed:
            sign_in(session, username="alice", password=PASSWORD, secret_hashes={}, now=moment)
        waits.append(slowed.value.retry_after)
        moment += slowed.value.retry_after
        assert (
            sign_in(
                session, username="alice", password="still wrong!", secret_hashes={}, now=moment
            )
            is None
        )
    assert waits[0] < waits[1] < waits[2]
    # the real password works again once the wait is over
    with pytest.raises(Throttled) as slowed:
        sign_in(session, username="alice", password=PASSWORD, secret_hashes={}, now=moment)
    assert sign_in(
        session,
        username="alice",
        password=PASSWORD,
        secret_hashes={},
        now=moment + slowed.value.retry_after,
    )


def test_failures_are_remembered_across_sessions(writer: sessionmaker[Session]) -> None:
    _, allowed, _ = ACCOUNT_FAILURES
    for _ in range(allowed):
        with writer.begin() as session:
            assert (
                sign_in(
                    session, username="mallory", password="guess guess", secret_hashes={}, now=NOW
                )
                is None
            )
    with writer.begin() as session, pytest.raises(Throttled):
        sign_in(session, username="mallory", password="guess guess", secret_hashes={}, now=NOW)


def test_an_unknown_account_costs_as_much_as_a_known_one(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)

    def timed(username: str) -> float:
        started = time.perf_counter()
        sign_in(
            session,
            username=username,
            password="wrong password",
            secret_hashes={},
            now=NOW - timedelta(days=1),
        )
        return time.perf_counter() - started

    timed("nobody")  # the first unknown account also builds the stand-in hash
    known = min(timed("alice") for _ in range(3))
    unknown = min(timed(f"nobody{i}") for i in range(3))
    assert 0.5 < unknown / known < 2.0


def test_sessions_end_after_idle_time_and_on_sign_out(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    first = sign_in(session, username="alice", password=PASSWORD, secret_hashes={}, now=NOW)
    second = sign_in(session, username="alice", password=PASSWORD, secret_hashes={}, now=NOW)
    assert first and second
    assert signed_in_moderator(
        session, token=first.token, idle_timeout=IDLE, now=NOW + IDLE - timedelta(minutes=1)
    )
    assert (
        signed_in_moderator(
            session, token=first.token, idle_timeout=IDLE, now=NOW + 2 * IDLE + timedelta(minutes=1)
        )
        is None
    )
    sign_out(session, token=second.token, now=NOW)
    assert signed_in_moderator(session, token=second.token, idle_timeout=IDLE, now=NOW) is None
    assert signed_in_moderator(session, token="made-up", idle_timeout=IDLE, now=NOW) is None


def test_a_password_reset_ends_open_sessions(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    granted = sign_in(session, username="alice", password=PASSWORD, secret_hashes={}, now=NOW)
    assert granted
    reset_password(session, username="alice", password="a brand new passphrase", now=NOW)
    assert signed_in_moderator(session, token=granted.token, idle_timeout=IDLE, now=NOW) is None
    assert sign_in(session, username="alice", password=PASSWORD, secret_hashes={}, now=NOW) is None
