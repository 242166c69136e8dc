"""Moderator sign-in: hashes only, growing waits, equal-cost checks, sessions that end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEvent, Moderator
from services.accounts import auth
from services.accounts.auth import (
    ACCOUNT_FAILURES,
    CLIENT_FAILURES,
    SignIn,
    add_moderator,
    hash_password,
    reset_password,
    sign_in,
)
from services.accounts.moderator_sessions import peek_session, sign_out, signed_in_moderator
from services.core.refusals import InvalidSubmission, Throttled
from tests.conftest import NOW

PASSWORD = "correct horse battery"
IDLE = timedelta(minutes=30)
OWNER = "ip:198.51.100.7"
ATTACKER = "ip:203.0.113.66"


def attempt(
    session: Session,
    username: str = "alice",
    password: str = PASSWORD,
    *,
    client: str = OWNER,
    now: datetime = NOW,
    secret_hashes: dict[str, str] | None = None,
) -> SignIn | None:
    """One sign-in through the real three steps, inside the test's rolled-back transaction."""
    return sign_in(lambda: nullcontext(session), username=username, password=password,
                   client_key=client, secret_hashes=secret_hashes or {}, now=now)  # fmt: skip


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
    assert attempt(session, password="wrong password!") is None
    granted = attempt(session, " ALICE ")
    assert granted is not None and granted.moderator.username == "alice"
    assert (
        signed_in_moderator(session, token=granted.token, idle_timeout=IDLE, now=NOW)
        == granted.moderator
    )
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["login_failed", "login_succeeded"]


def test_accounts_in_the_secrets_sign_in_with_their_hash(session: Session) -> None:
    granted = attempt(session, "bob", secret_hashes={"bob": hash_password(PASSWORD)})
    assert granted is not None
    assert (
        session.scalar(select(Moderator.password_hash).where(Moderator.username == "bob")) is None
    )


def test_repeated_failures_meet_growing_waits(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    moment = NOW
    for _ in range(ACCOUNT_FAILURES.allowed):
        assert attempt(session, password="nope nope nope", now=moment) is None
    waits = []
    for _ in range(3):
        with pytest.raises(Throttled) as slowed:
            attempt(session, now=moment)
        waits.append(slowed.value.retry_after)
        moment += slowed.value.retry_after
        assert attempt(session, password="still wrong!", now=moment) is None
    assert waits[0] < waits[1] < waits[2]
    # the real password works again once the wait is over
    with pytest.raises(Throttled) as slowed:
        attempt(session, now=moment)
    assert attempt(session, now=moment + slowed.value.retry_after)


def test_failures_are_remembered_across_sessions(writer: sessionmaker[Session]) -> None:
    for _ in range(ACCOUNT_FAILURES.allowed):
        assert sign_in(writer.begin, username="mallory", password="guess guess", client_key=ATTACKER,
                       secret_hashes={}, now=NOW) is None  # fmt: skip
    with pytest.raises(Throttled):
        sign_in(writer.begin, username="mallory", password="guess guess", client_key=ATTACKER,
                secret_hashes={}, now=NOW)  # fmt: skip


def test_an_attacker_elsewhere_never_keeps_the_owner_out(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    for guess in range(ACCOUNT_FAILURES.allowed):
        assert attempt(session, password=f"guess number {guess}", client=ATTACKER) is None
    with pytest.raises(Throttled):
        attempt(session, password="one more guess", client=ATTACKER)
    # many addresses guessing at once don't add up to a lock-out either
    for n in range(40):
        assert attempt(session, password="botnet guess!", client=f"ip:192.0.2.{n}") is None
    assert attempt(session, client=OWNER) is not None


def test_one_client_trying_many_accounts_is_slowed_down(session: Session) -> None:
    for n in range(CLIENT_FAILURES.allowed):
        assert attempt(session, f"someone{n}", "a guess at it", client=ATTACKER) is None
    with pytest.raises(Throttled):
        attempt(session, "someone-new", "a guess at it", client=ATTACKER)
    assert attempt(session, "someone-new", "a guess at it", client=OWNER) is None


def test_a_right_password_is_not_counted_as_a_failure(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    for _ in range(ACCOUNT_FAILURES.allowed + 2):
        assert attempt(session) is not None
    assert attempt(session, password="a typo in it") is None  # still no wait after one failure


def test_a_disabled_account_cannot_sign_in(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    moderator = session.scalars(select(Moderator).where(Moderator.username == "alice")).one()
    moderator.disabled_at = NOW
    assert attempt(session) is None


def test_a_password_changed_during_the_check_is_not_accepted(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    pending = auth.start_sign_in(
        session, username="alice", client_key=OWNER, secret_hashes={}, now=NOW
    )
    reset_password(session, username="alice", password="a brand new passphrase", now=NOW)
    matched = auth.password_matches(pending, PASSWORD)
    assert matched
    assert auth.finish_sign_in(session, pending=pending, password_matched=matched, secret_hashes={},
                               now=NOW) is None  # fmt: skip


def test_the_password_is_checked_with_no_transaction_open(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    open_transactions: list[int] = []
    checked_while_open: list[int] = []

    @contextmanager
    def transaction() -> Iterator[Session]:
        open_transactions.append(1)
        try:
            yield session
        finally:
            open_transactions.pop()

    real_verify = auth._verify

    def verify(stored_hash: str, password: str) -> bool:
        checked_while_open.append(len(open_transactions))
        return real_verify(stored_hash, password)

    monkeypatch.setattr(auth, "_verify", verify)
    for password in (PASSWORD, "wrong password!"):
        sign_in(transaction, username="alice", password=password, client_key=OWNER,
                secret_hashes={}, now=NOW)  # fmt: skip
    sign_in(transaction, username="nobody", password="x" * 12, client_key=OWNER,
            secret_hashes={}, now=NOW)  # fmt: skip
    assert checked_while_open == [0, 0, 0]


def test_an_unknown_account_costs_as_much_as_a_known_one(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)

    def timed(username: str, client: str) -> float:
        started = time.perf_counter()
        attempt(session, username, "wrong password", client=client, now=NOW - timedelta(days=1))
        return time.perf_counter() - started

    timed("nobody", "ip:192.0.2.1")  # the first unknown account also builds the stand-in hash
    known = min(timed("alice", f"ip:192.0.2.{10 + i}") for i in range(3))
    unknown = min(timed(f"nobody{i}", f"ip:192.0.2.{20 + i}") for i in range(3))
    assert 0.5 < unknown / known < 2.0


def test_sessions_end_after_idle_time_and_on_sign_out(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    first = attempt(session)
    second = attempt(session)
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
    granted = attempt(session)
    assert granted
    reset_password(session, username="alice", password="a brand new passphrase", now=NOW)
    assert signed_in_moderator(session, token=granted.token, idle_timeout=IDLE, now=NOW) is None
    assert attempt(session) is None


def test_a_session_is_read_without_a_write_until_it_needs_noting_or_ending(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    granted = sign_in(lambda: nullcontext(session), username="alice", password=PASSWORD,
                      client_key="ip:1", secret_hashes={}, now=NOW)  # fmt: skip
    assert granted is not None
    fresh = peek_session(session, token=granted.token, idle_timeout=IDLE, now=NOW + timedelta(seconds=5))
    assert fresh.moderator == granted.moderator and not fresh.needs_write
    stale = peek_session(session, token=granted.token, idle_timeout=IDLE, now=NOW + timedelta(minutes=5))
    assert stale.moderator == granted.moderator and stale.needs_write  # time to note it was seen
    ended = peek_session(session, token=granted.token, idle_timeout=IDLE, now=NOW + IDLE + timedelta(seconds=1))
    assert ended.moderator is None and ended.needs_write
