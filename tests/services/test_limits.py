"""Abuse of the limits: whoever hammers a limit slows down only themselves.

Each limit is keyed by the client's address and, for sign-in, by the account; nothing counts
everyone together. Checking and counting is atomic, so parallel attempts (threads, each with its
own connection) never get more than the allowance, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import Report
from services.accounts import auth
from services.accounts.throttle import Throttled, client_address, client_key
from services.listings.owner import CREDENTIAL_LIMIT_PER_CLIENT, open_listing
from services.reports.intake import (
    REPORTS_PER_CLIENT,
    SUSPECTED_SPAM_PER_CLIENT,
    ReportInput,
    file_report,
    request_removal,
)
from tests.conftest import NOW
from tests.factories import sign_up

ATTACKER = client_key("203.0.113.66")
OWNER = client_key("198.51.100.7")
PASSWORD = "correct horse battery"


def report(**overrides: object) -> ReportInput:
    values: dict[str, object] = {"named_person": "A Mentor", "category": "not_responsive",
                                 "reporter_role": "witness", "description": "Never replied."}  # fmt: skip
    values.update(overrides)
    return ReportInput(**values)  # type: ignore[arg-type]


def in_parallel(attempts: int, attempt: Callable[[], object]) -> list[object]:
    """Run `attempt` from `attempts` threads released at once; each outcome or exception."""
    start = threading.Barrier(attempts)
    outcomes: list[object] = []

    def run() -> None:
        start.wait()
        try:
            outcomes.append(attempt())
        except Exception as problem:  # noqa: BLE001 - the outcome under test
            outcomes.append(problem)

    threads = [threading.Thread(target=run) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def throttled(outcomes: list[object]) -> int:
    unexpected = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, Throttled)]
    assert not unexpected
    return sum(isinstance(o, Throttled) for o in outcomes)


@pytest.mark.parametrize(
    ("address", "key"),
    [("203.0.113.9", "ip:203.0.113.9"), ("203.0.113.9:51234", "ip:203.0.113.9"),
     ("::ffff:203.0.113.9", "ip:203.0.113.9"), ("2001:db8:5:6:1:2:3:4", "ip:2001:db8:5:6::/64"),
     ("[2001:db8:5:6::99]:443", "ip:2001:db8:5:6::/64"), (None, "local"), ("", "local")],
)  # fmt: skip
def test_a_client_is_counted_by_its_address_and_an_ipv6_one_by_its_network(
    address: str | None, key: str
) -> None:
    assert client_key(address) == key


def test_only_the_address_the_trusted_proxy_added_counts() -> None:
    forged = client_address(forwarded=["6.6.6.6, 7.7.7.7, 203.0.113.5"], peer="10.0.0.1")
    assert forged == "203.0.113.5"
    assert client_address(forwarded=["6.6.6.6", "203.0.113.5"], peer="10.0.0.1") == "203.0.113.5"
    assert client_address(forwarded=["6.6.6.6,203.0.113.5"], peer="10.0.0.1") == "203.0.113.5"
    assert client_address(forwarded=[], peer="203.0.113.5") == "203.0.113.5"


def test_parallel_password_guesses_never_get_past_the_wait(writer: sessionmaker[Session]) -> None:
    with writer.begin() as session:
        auth.add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    outcomes = in_parallel(8, lambda: auth.sign_in(writer.begin, username="alice", password="a wrong guess",
                                                   client_key=ATTACKER, secret_hashes={}, now=NOW))  # fmt: skip
    assert throttled(outcomes) == 8 - auth.ACCOUNT_FAILURES.allowed
    assert auth.sign_in(writer.begin, username="alice", password=PASSWORD, client_key=OWNER,
                        secret_hashes={}, now=NOW) is not None  # fmt: skip


def test_parallel_wrong_codes_never_get_past_the_limit(writer: sessionmaker[Session]) -> None:
    with writer.begin() as session:
        mine = sign_up(session)

    def guess() -> object:
        with writer.begin() as session:
            return open_listing(session, credential="wan-a-guess", client_key=ATTACKER, now=NOW)

    assert throttled(in_parallel(10, guess)) == 10 - CREDENTIAL_LIMIT_PER_CLIENT.allowed
    with writer.begin() as session:  # the guesser's own address included: the code opens
        assert open_listing(session, credential=mine.credential, client_key=ATTACKER, now=NOW)


def test_wrong_codes_from_hundreds_of_addresses_lock_nobody_out(session: Session) -> None:
    mine = sign_up(session)
    for n in range(300):
        assert open_listing(session, credential="wan-x", client_key=f"ip:10.0.{n // 256}.{n % 256}",
                            now=NOW) is None  # fmt: skip
    assert open_listing(session, credential="wan-a-typo", client_key=OWNER, now=NOW) is None
    assert open_listing(session, credential=mine.credential, client_key=OWNER, now=NOW)


def test_parallel_reports_never_get_past_the_limit(writer: sessionmaker[Session]) -> None:
    def send() -> object:
        with writer.begin() as session:
            return file_report(session, report=report(), client_key=ATTACKER, now=NOW)

    assert throttled(in_parallel(10, send)) == 10 - REPORTS_PER_CLIENT.allowed
    with writer.begin() as session:
        assert (
            session.scalar(select(func.count()).select_from(Report)) == REPORTS_PER_CLIENT.allowed
        )


def test_honeypot_reports_never_use_up_real_reporters_allowance(session: Session) -> None:
    for n in range(SUSPECTED_SPAM_PER_CLIENT.allowed):
        file_report(
            session, report=report(honeypot="https://buy.example"), client_key=ATTACKER, now=NOW
        )
        file_report(session, report=report(honeypot="spam"), client_key=f"ip:192.0.2.{n}", now=NOW)
    with pytest.raises(Throttled):
        file_report(session, report=report(honeypot="more junk"), client_key=ATTACKER, now=NOW)
    # the same address, sending a real report, and everyone else still get through
    for client in (ATTACKER, OWNER):
        file_report(session, report=report(), client_key=client, now=NOW)
    flagged = select(func.count()).select_from(Report).where(Report.suspected_spam.is_(True))
    assert session.scalar(flagged) == 2 * SUSPECTED_SPAM_PER_CLIENT.allowed


def test_a_reload_or_a_forged_header_does_not_reset_the_per_visitor_limit(
    writer: sessionmaker[Session],
) -> None:
    for tab in range(REPORTS_PER_CLIENT.allowed):
        visitor = client_key(client_address(forwarded=[f"6.6.6.{tab}, 203.0.113.5"], peer=None))
        with writer.begin() as session:  # a new session each time, as after a reload
            file_report(session, report=report(), client_key=visitor, now=NOW)
    visitor = client_key(client_address(forwarded=["9.9.9.9, 203.0.113.5"], peer=None))
    with writer.begin() as session, pytest.raises(Throttled):
        request_removal(session, contact="me@example.org", message="", client_key=visitor,
                        now=NOW + timedelta(minutes=1))  # fmt: skip
