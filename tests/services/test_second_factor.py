"""A moderator's second factor: app codes accepted once, recovery codes once, guesses slowed down."""

from __future__ import annotations

import re
import time
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEvent, Moderator, ModeratorRecoveryCode, ModeratorSession
from services.accounts import second_factor
from services.accounts.auth import ACCOUNT_FAILURES, add_moderator, sign_in, token_hash
from services.accounts.moderator_sessions import peek_session, signed_in_moderator
from services.accounts.second_factor import (
    check_code,
    confirm_and_enrol,
    enrol,
    has_second_factor,
    new_secret,
    provisioning_uri,
    remove,
)
from services.core.refusals import InvalidSubmission, Throttled
from services.core.settings import load_settings
from tests.conftest import NOW
from tests.services.test_limits import in_parallel

PASSWORD = "correct horse battery"
OWNER = "ip:198.51.100.7"
ATTACKER = "ip:203.0.113.66"
STEP = timedelta(seconds=30)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def moderator(session: Session, username: str = "alice") -> int:
    row = Moderator(username=username, password_hash=None, created_at=NOW)
    session.add(row)
    session.flush()
    return row.id


def code_at(moment: object, secret: str = SECRET) -> str:
    """What the moderator's phone shows at that moment."""
    return pyotp.TOTP(secret).at(moment)  # type: ignore[arg-type]


def enrolled(session: Session) -> tuple[int, list[str]]:
    moderator_id = moderator(session)
    return moderator_id, enrol(session, moderator_id=moderator_id, secret=SECRET, now=NOW)


def test_an_app_code_opens_once_and_a_replay_in_its_window_is_refused(session: Session) -> None:
    alice, _ = enrolled(session)
    code = code_at(NOW)
    assert check_code(session, moderator_id=alice, code=code, now=NOW)
    assert not check_code(session, moderator_id=alice, code=code, now=NOW + timedelta(seconds=5))
    assert not check_code(session, moderator_id=alice, code=code, now=NOW + STEP)  # still in window
    spaced = f"{code_at(NOW + STEP)[:3]} {code_at(NOW + STEP)[3:]}"
    assert check_code(session, moderator_id=alice, code=spaced, now=NOW + STEP)


def test_the_previous_steps_code_counts_if_newer_than_the_last_one_accepted(
    session: Session,
) -> None:
    alice, _ = enrolled(session)
    assert check_code(session, moderator_id=alice, code=code_at(NOW - 2 * STEP), now=NOW - 2 * STEP)
    # typed just as the phone moved on: the code of the step before now is still fine
    assert check_code(session, moderator_id=alice, code=code_at(NOW - STEP), now=NOW)
    # but not once a code of its own step or a later one was accepted
    assert check_code(session, moderator_id=alice, code=code_at(NOW + STEP), now=NOW + STEP)
    assert not check_code(session, moderator_id=alice, code=code_at(NOW), now=NOW + STEP)


def test_a_code_two_steps_old_or_from_another_secret_is_refused(session: Session) -> None:
    alice, _ = enrolled(session)
    assert not check_code(session, moderator_id=alice, code=code_at(NOW - 2 * STEP), now=NOW)
    assert not check_code(session, moderator_id=alice, code=code_at(NOW + 2 * STEP), now=NOW)
    assert not check_code(session, moderator_id=alice, code=code_at(NOW, new_secret()), now=NOW)
    assert check_code(session, moderator_id=alice, code=code_at(NOW), now=NOW)


def test_a_naive_utc_time_means_the_same_moment(session: Session) -> None:
    alice, _ = enrolled(session)
    naive = NOW.replace(tzinfo=None)
    assert check_code(session, moderator_id=alice, code=code_at(NOW), now=naive)


def test_recovery_codes_are_shown_once_stored_hashed_and_good_once_in_any_case(
    session: Session,
) -> None:
    alice, codes = enrolled(session)
    assert len(set(codes)) == 10 and all(re.fullmatch(r"[a-z2-7]{5}-[a-z2-7]{5}", c) for c in codes)
    stored = session.scalars(select(ModeratorRecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    shouted = f" {codes[0].upper().replace('-', ' ')} "
    assert check_code(session, moderator_id=alice, code=shouted, now=NOW)
    assert not check_code(session, moderator_id=alice, code=codes[0], now=NOW + STEP)
    assert check_code(session, moderator_id=alice, code=codes[1].replace("-", ""), now=NOW)
    assert not check_code(session, moderator_id=alice, code="aaaaa-bbbbb", now=NOW)
    assert not check_code(session, moderator_id=alice, code="", now=NOW)
    details = session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "recovery_code_used").order_by(AuditEvent.id)
    )  # (without an order PostgreSQL may return them either way)
    assert list(details) == ["9 recovery codes left", "8 recovery codes left"]


def test_enrolling_again_voids_the_old_recovery_codes_and_the_old_secret(session: Session) -> None:
    alice, old_codes = enrolled(session)
    fresh = new_secret()
    new_codes = enrol(session, moderator_id=alice, secret=fresh, now=NOW)
    assert not set(old_codes) & set(new_codes)
    assert not check_code(session, moderator_id=alice, code=old_codes[0], now=NOW)
    assert not check_code(session, moderator_id=alice, code=code_at(NOW), now=NOW)
    assert check_code(session, moderator_id=alice, code=new_codes[0], now=NOW)
    assert check_code(session, moderator_id=alice, code=code_at(NOW, fresh), now=NOW)


def test_console_enrolment_needs_a_right_code_and_spends_it(session: Session) -> None:
    alice = moderator(session)
    fresh = new_secret()
    with pytest.raises(InvalidSubmission) as refused:
        confirm_and_enrol(session, moderator_id=alice, secret=fresh, code="123456", now=NOW)
    assert "check the time on your phone" in refused.value.errors["code"]
    assert not has_second_factor(session, alice)
    code = code_at(NOW, fresh)
    codes = confirm_and_enrol(session, moderator_id=alice, secret=fresh, code=code, now=NOW)
    assert len(codes) == 10 and has_second_factor(session, alice)
    assert not check_code(session, moderator_id=alice, code=code, now=NOW)  # already used
    assert check_code(session, moderator_id=alice, code=code_at(NOW + STEP, fresh), now=NOW + STEP)


def test_removing_the_second_factor_leaves_no_code_that_works(session: Session) -> None:
    alice, codes = enrolled(session)
    remove(session, moderator_id=alice, now=NOW)
    assert not has_second_factor(session, alice)
    assert not check_code(session, moderator_id=alice, code=code_at(NOW), now=NOW)
    assert not check_code(session, moderator_id=alice, code=codes[0], now=NOW)
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["second_factor_enrolled", "second_factor_removed"]


def test_a_disabled_account_has_no_right_code(session: Session) -> None:
    alice, codes = enrolled(session)
    session.get_one(Moderator, alice).disabled_at = NOW
    assert not check_code(session, moderator_id=alice, code=code_at(NOW), now=NOW)
    assert not check_code(session, moderator_id=alice, code=codes[0], now=NOW)


def test_the_authenticator_app_is_given_the_secret_name_and_issuer() -> None:
    uri = provisioning_uri(SECRET, "alice")
    assert uri.startswith("otpauth://totp/We%20Are%20Next%20Mentors:alice?")
    assert f"secret={SECRET}" in uri and "issuer=We%20Are%20Next%20Mentors" in uri
    with pytest.raises(ValueError):
        provisioning_uri("not base32!", "alice")


def code_attempt(session: Session, alice: int, code: str, client: str = OWNER) -> bool:
    return second_factor.attempt(lambda: nullcontext(session), moderator_id=alice, username="alice",
                                 code=code, client_key=client, now=NOW)  # fmt: skip


def test_wrong_codes_are_slowed_down_like_wrong_passwords(session: Session) -> None:
    alice, _ = enrolled(session)
    for guess in range(ACCOUNT_FAILURES.allowed):
        assert not code_attempt(session, alice, f"{guess:06d}", ATTACKER)
    with pytest.raises(Throttled):
        code_attempt(session, alice, code_at(NOW), ATTACKER)  # even the right one must wait
    assert code_attempt(
        session, alice, code_at(NOW), OWNER
    )  # the owner, elsewhere, is not kept out
    failed = session.scalars(select(AuditEvent.action).where(AuditEvent.moderator_id == alice))
    assert list(failed).count("second_factor_failed") == ACCOUNT_FAILURES.allowed


def test_wrong_passwords_and_wrong_codes_share_one_allowance(session: Session) -> None:
    add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    alice = session.scalars(select(Moderator.id).where(Moderator.username == "alice")).one()
    enrol(session, moderator_id=alice, secret=SECRET, now=NOW)
    for _ in range(ACCOUNT_FAILURES.allowed - 1):
        assert sign_in(lambda: nullcontext(session), username="alice", password="wrong guess!",
                       client_key=OWNER, secret_hashes={}, now=NOW) is None  # fmt: skip
    assert not code_attempt(session, alice, "000000")
    with pytest.raises(Throttled):
        sign_in(lambda: nullcontext(session), username="alice", password=PASSWORD,
                client_key=OWNER, secret_hashes={}, now=NOW)  # fmt: skip


def test_a_right_code_is_not_counted_as_a_failure(session: Session) -> None:
    alice, codes = enrolled(session)
    for n in range(ACCOUNT_FAILURES.allowed + 1):
        assert code_attempt(session, alice, codes[n])
    assert not code_attempt(session, alice, "000000")  # one slip: no wait yet
    assert code_attempt(session, alice, codes[-1])


def test_a_session_awaiting_its_second_factor_is_not_signed_in(session: Session) -> None:
    alice = moderator(session)
    session.add(ModeratorSession(token_hash=token_hash("half-way"), moderator_id=alice,
                                 started_at=NOW, last_seen_at=NOW, awaiting_second_factor=True))  # fmt: skip
    session.flush()
    idle = timedelta(minutes=30)
    assert peek_session(session, token="half-way", idle_timeout=idle, now=NOW).moderator is None
    assert signed_in_moderator(session, token="half-way", idle_timeout=idle, now=NOW) is None


def test_one_code_typed_twice_at_once_opens_only_once(
    writer: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with writer.begin() as session:
        alice = moderator(session)
        enrol(session, moderator_id=alice, secret=SECRET, now=NOW)
    code = code_at(NOW)
    clients = iter([OWNER, ATTACKER])
    matching_step = second_factor._matching_step

    def slow_match(*args: Any, **kwargs: Any) -> int | None:
        time.sleep(0.3)  # both checks would read the account before either notes the code used
        return matching_step(*args, **kwargs)

    monkeypatch.setattr(second_factor, "_matching_step", slow_match)

    def typed() -> bool:
        return second_factor.attempt(writer.begin, moderator_id=alice, username="alice", code=code,
                                     client_key=next(clients), now=NOW)  # fmt: skip

    assert sorted(in_parallel(2, typed)) == [False, True]  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("environ", "secrets", "required"),
    [({}, {}, False),  # the local sample setup
     ({"DATABASE_URL": "postgresql://db.example/wan"}, {}, True),
     ({}, {"database": {"url": "sqlite:///elsewhere.sqlite3"}}, True),
     ({"DATABASE_URL": "postgresql://db.example/wan", "REQUIRE_SECOND_FACTOR": "no"}, {}, False),
     ({"REQUIRE_SECOND_FACTOR": "Yes"}, {}, True),
     ({"REQUIRE_SECOND_FACTOR": "0"}, {"moderation": {"require_second_factor": True}}, False),
     ({"DATABASE_URL": "postgresql://db.example/wan"},
      {"moderation": {"require_second_factor": False}}, False),
     ({}, {"moderation": {"require_second_factor": "true"}}, True)],
)  # fmt: skip
def test_the_second_factor_is_required_unless_turned_off_or_in_the_sample_setup(
    environ: dict[str, str], secrets: dict[str, object], required: bool
) -> None:
    assert load_settings(secrets, environ=environ).require_second_factor is required


def test_a_misspelt_second_factor_switch_is_refused() -> None:
    with pytest.raises(ValueError, match="REQUIRE_SECOND_FACTOR"):
        load_settings({}, environ={"REQUIRE_SECOND_FACTOR": "maybe"})
