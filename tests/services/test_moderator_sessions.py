"""A moderator's session as the moderator and the audit log see it: kept alive by use, ended by
idle time, sign-out or a disabled account, and each ending on the record."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Moderator, ModeratorSession
from services.accounts.auth import add_moderator, sign_in
from services.accounts.moderator_sessions import (
    TOUCH_EVERY,
    peek_session,
    sign_out,
    signed_in_moderator,
)
from tests.conftest import NOW

IDLE = timedelta(minutes=30)
PASSWORD = "correct horse battery"


def signed_in(session: Session) -> tuple[int, str]:
    """Alice's id and the token of the session she just opened at NOW."""
    alice = add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    granted = sign_in(lambda: nullcontext(session), username="alice", password=PASSWORD,
                      client_key="ip:198.51.100.7", secret_hashes={}, now=NOW)  # fmt: skip
    assert granted is not None
    return alice.id, granted.token


def who(session: Session, token: str, at: datetime) -> str | None:
    found = signed_in_moderator(session, token=token, idle_timeout=IDLE, now=at)
    return found.username if found else None


def audit(session: Session) -> list[tuple[str, str, int | None, datetime]]:
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    return [(r.action, r.actor_kind, r.moderator_id, r.occurred_at) for r in rows]


def the_session(session: Session) -> ModeratorSession:
    """The session's row as the database has it once the page's transaction is written."""
    session.flush()
    session.expire_all()
    return session.scalars(select(ModeratorSession)).one()


def test_a_moderator_who_keeps_clicking_stays_signed_in_past_the_idle_time(
    session: Session,
) -> None:
    _, token = signed_in(session)
    for minutes in (20, 40, 60):  # never 30 minutes apart
        assert who(session, token, NOW + timedelta(minutes=minutes)) == "alice"
    assert the_session(session).last_seen_at == NOW + timedelta(minutes=60)


def test_a_click_soon_after_the_last_one_is_not_written(session: Session) -> None:
    _, token = signed_in(session)
    assert not peek_session(
        session, token=token, idle_timeout=IDLE, now=NOW + TOUCH_EVERY
    ).needs_write
    assert who(session, token, NOW + TOUCH_EVERY) == "alice"
    assert the_session(session).last_seen_at == NOW
    assert who(session, token, NOW + TOUCH_EVERY + timedelta(seconds=1)) == "alice"
    assert the_session(session).last_seen_at == NOW + TOUCH_EVERY + timedelta(seconds=1)


def test_a_session_idle_for_exactly_the_timeout_still_holds_and_a_second_more_ends_it_on_record(
    session: Session,
) -> None:
    alice, token = signed_in(session)
    assert peek_session(session, token=token, idle_timeout=IDLE, now=NOW + IDLE).moderator
    assert who(session, token, NOW + IDLE) == "alice"
    later = NOW + 2 * IDLE + timedelta(seconds=1)
    assert who(session, token, later) is None
    assert the_session(session).ended_at == later
    assert audit(session)[-1] == ("session_expired", "system", alice, later)
    assert who(session, token, later) is None  # ended: not ended again, nor audited again
    assert [a for a, *_ in audit(session)].count("session_expired") == 1


def test_signing_out_ends_the_session_on_record_and_an_unknown_token_changes_nothing(
    session: Session,
) -> None:
    alice, token = signed_in(session)
    before = audit(session)
    sign_out(session, token="not-a-token", now=NOW)
    assert audit(session) == before
    sign_out(session, token=token, now=NOW + timedelta(minutes=5))
    assert the_session(session).ended_at == NOW + timedelta(minutes=5)
    assert audit(session)[-1] == ("logged_out", "moderator", alice, NOW + timedelta(minutes=5))
    assert who(session, token, NOW + timedelta(minutes=6)) is None
    sign_out(session, token=token, now=NOW + timedelta(minutes=7))  # again, from another tab
    assert the_session(session).ended_at == NOW + timedelta(minutes=5)
    assert [a for a, *_ in audit(session)].count("logged_out") == 1


def test_only_the_token_a_session_was_opened_with_opens_it(session: Session) -> None:
    _, token = signed_in(session)
    for other in ("made-up", token[:-1], token.upper()):
        assert who(session, other, NOW + timedelta(minutes=1)) is None
        check = peek_session(session, token=other, idle_timeout=IDLE, now=NOW)
        assert check.moderator is None and not check.needs_write  # nothing to end or note
    assert who(session, token, NOW + timedelta(minutes=1)) == "alice"


def test_disabling_an_account_ends_its_open_session_at_the_next_click(session: Session) -> None:
    alice, token = signed_in(session)
    moderator = session.get(Moderator, alice)
    assert moderator is not None
    moderator.disabled_at = NOW + timedelta(minutes=1)
    check = peek_session(session, token=token, idle_timeout=IDLE, now=NOW + timedelta(minutes=2))
    assert check.moderator is None and check.needs_write
    assert who(session, token, NOW + timedelta(minutes=2)) is None
    assert the_session(session).ended_at == NOW + timedelta(minutes=2)
