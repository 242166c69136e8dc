"""A signed-in moderator's session: who holds a token, kept alive while used, ended on sign-out
or after idle time. Only a hash of the token is stored.

Most reruns only read (`peek_session`); a write happens when the session needs noting as seen
(every TOUCH_EVERY) or ending, so a moderator clicking around never takes SQLite's write lock.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from models import Moderator, ModeratorSession
from services.accounts.auth import ModeratorIdentity, token_hash
from services.audit import audit_log
from services.audit.audit_log import Action, Actor
from services.core.refusals import Refusal
from services.core.vocabulary import ActorKind

TOUCH_EVERY = timedelta(seconds=30)
PENDING_FOR = timedelta(
    minutes=5
)  # from a right password to its second factor  # how stale last_seen_at may get before it is written again


class SessionEnded(Refusal):
    """The moderator's session ended before their action reached the database."""

    def __init__(self) -> None:
        super().__init__(
            "Your session has ended (signed out, or idle for too long), so this was not saved. "
            "Please sign in again."
        )


@dataclass(frozen=True)
class SessionCheck:
    """A read-only look at a session: who holds it, and whether it needs a write (touch or end)."""

    moderator: ModeratorIdentity | None
    needs_write: bool


def peek_session(
    session: Session, *, token: str, idle_timeout: timedelta, now: datetime
) -> SessionCheck:
    """Who holds this token, without writing: most reruns need no write transaction at all."""
    row = _open_session(session, token)
    if row is None:
        return SessionCheck(None, needs_write=False)
    moderator_session, moderator = row
    idle = now - moderator_session.last_seen_at
    if moderator.disabled_at is not None or idle > idle_timeout:
        return SessionCheck(None, needs_write=True)
    return SessionCheck(_identity(moderator), idle > TOUCH_EVERY)


def time_left(
    session: Session, *, token: str, idle_timeout: timedelta, now: datetime
) -> timedelta | None:
    """How long this session has before it ends for being idle (None: it has ended). Reads only:
    looking at the clock is not activity, so it never keeps a session alive."""
    row = _open_session(session, token)
    if row is None or row[1].disabled_at is not None:
        return None
    left = idle_timeout - (now - row[0].last_seen_at)
    return left if left > timedelta(0) else None


def keep_alive(session: Session, *, token: str, idle_timeout: timedelta, now: datetime) -> bool:
    """The moderator asked to stay signed in: note them as active now (False: already ended)."""
    moderator = signed_in_moderator(session, token=token, idle_timeout=idle_timeout, now=now)
    if moderator is None:
        return False
    row = _open_session(session, token)
    if row is not None:
        row[0].last_seen_at = now
    return True


def _open_session(
    session: Session, token: str, *, awaiting_code: bool = False
) -> tuple[ModeratorSession, Moderator] | None:
    """The open session this token holds and its moderator. A session that passed the password
    but awaits its second factor is no sign-in yet: found only with `awaiting_code`."""
    row = session.execute(
        select(ModeratorSession, Moderator)
        .join(Moderator, Moderator.id == ModeratorSession.moderator_id)
        .where(
            _holds(token),
            ModeratorSession.awaiting_second_factor.is_(awaiting_code),
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


def _holds(token: str) -> ColumnElement[bool]:
    """The open session row this token belongs to."""
    return and_(
        ModeratorSession.token_hash == token_hash(token), ModeratorSession.ended_at.is_(None)
    )


def signed_in_moderator(
    session: Session, *, token: str, idle_timeout: timedelta, now: datetime
) -> ModeratorIdentity | None:
    """Who holds this session token, or None if it is unknown, ended or idle for too long.

    Writes: ends a session that timed out (audited) and notes that it was seen.
    """
    row = _open_session(session, token)
    if row is None:
        return None
    moderator_session, moderator = row
    if moderator.disabled_at is not None:
        moderator_session.ended_at = now
        return None
    if now - moderator_session.last_seen_at > idle_timeout:
        moderator_session.ended_at = now
        audit_log.record(
            session,
            action=Action.SESSION_EXPIRED,
            actor=Actor(ActorKind.SYSTEM, moderator_id=moderator.id),
            now=now,
        )
        return None
    if now - moderator_session.last_seen_at > TOUCH_EVERY:
        moderator_session.last_seen_at = now
    return _identity(moderator)


def _identity(moderator: Moderator) -> ModeratorIdentity:
    return ModeratorIdentity(
        moderator.id, moderator.username, has_second_factor=moderator.totp_secret is not None
    )


@dataclass(frozen=True)
class PendingSecondFactor:
    """A session that passed the password and waits for a code."""

    moderator_id: int
    username: str


def pending_second_factor(
    session: Session, *, token: str, now: datetime
) -> PendingSecondFactor | None:
    """Who is between password and code with this token (for at most PENDING_FOR), if anyone."""
    row = _open_session(session, token, awaiting_code=True)
    if row is None or now - row[0].started_at > PENDING_FOR or row[1].disabled_at is not None:
        return None
    return PendingSecondFactor(row[1].id, row[1].username)


def complete_second_factor(session: Session, *, token: str, now: datetime) -> str | None:
    """The code was right: the waiting session opens, under a new token (returned), so the
    token that crossed the password step alone never opens anything."""
    moderator_session = session.scalar(
        select(ModeratorSession).where(
            _holds(token), ModeratorSession.awaiting_second_factor.is_(True)
        )
    )
    if moderator_session is None or now - moderator_session.started_at > PENDING_FOR:
        return None
    new_token = secrets.token_urlsafe(32)
    moderator_session.token_hash = token_hash(new_token)
    moderator_session.awaiting_second_factor = False
    moderator_session.last_seen_at = now
    return new_token


def acting_moderator(
    session: Session,
    *,
    token: str | None,
    moderator_id: int,
    idle_timeout: timedelta,
    now: datetime,
) -> ModeratorIdentity:
    """The moderator about to act, checked inside the action's own transaction.

    The same check as the gate's: an unknown, ended, idle-too-long or disabled session, or one
    held by someone else, refuses the action (SessionEnded) and nothing of it is written.
    """
    moderator = (
        signed_in_moderator(session, token=token, idle_timeout=idle_timeout, now=now)
        if token
        else None
    )
    if moderator is None or moderator.id != moderator_id:
        raise SessionEnded
    return moderator


def sign_out(session: Session, *, token: str, now: datetime) -> None:
    """End this session now."""
    moderator_session = session.scalar(select(ModeratorSession).where(_holds(token)))
    if moderator_session is not None:
        moderator_session.ended_at = now
        audit_log.record(
            session,
            action=Action.LOGGED_OUT,
            actor=Actor(ActorKind.MODERATOR, moderator_id=moderator_session.moderator_id),
            now=now,
        )


def sign_out_everywhere(session: Session, *, token: str, now: datetime) -> None:
    """End every open session of the moderator who holds this token."""
    moderator_session = session.scalar(select(ModeratorSession).where(_holds(token)))
    if moderator_session is None:
        return
    session.execute(
        update(ModeratorSession)
        .where(
            ModeratorSession.moderator_id == moderator_session.moderator_id,
            ModeratorSession.ended_at.is_(None),
        )
        .values(ended_at=now)
    )
    audit_log.record(
        session,
        action=Action.LOGGED_OUT,
        actor=Actor(ActorKind.MODERATOR, moderator_id=moderator_session.moderator_id),
        now=now,
    )
