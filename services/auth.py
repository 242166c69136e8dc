"""Moderator accounts, sign-in and sessions.

Passwords exist only as Argon2 hashes (in the database, or in the secrets for accounts managed
there). Failed sign-ins are counted in the database and met with growing waits, per account and
overall; an unknown account costs the same hash check as a known one. Sessions end on sign-out
and after idle time.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Moderator, ModeratorSession
from services import audit, throttle
from services.audit import Action, Actor
from services.refusals import InvalidSubmission, Throttled
from services.vocabulary import ActorKind

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
MIN_PASSWORD_LENGTH = 12
FAILURE_WINDOW = timedelta(minutes=15)
# (scope, failures allowed before waits start, longest wait)
ACCOUNT_FAILURES = ("login_failed_account", 3, timedelta(minutes=15))
ALL_FAILURES = ("login_failed_any", 30, timedelta(minutes=1))
TOUCH_EVERY = timedelta(seconds=30)  # how stale last_seen_at may get before it is written again


@dataclass(frozen=True)
class ModeratorIdentity:
    id: int
    username: str

    @property
    def actor(self) -> Actor:
        """This moderator as the author of a change."""
        return Actor(ActorKind.MODERATOR, moderator_id=self.id, label=self.username)


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: the session token to keep (only its hash is stored)."""

    token: str
    moderator: ModeratorIdentity


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _unknown_account_hash() -> str:
    """A real hash of a random password: checking against it costs what a real check costs."""
    return _hasher().hash(secrets.token_urlsafe(32))


def hash_password(password: str) -> str:
    """An Argon2id hash of the password, for the database or for secrets.toml."""
    return _hasher().hash(password)


def normalise_username(username: str) -> str:
    return username.strip().casefold()


def password_problems(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    return None


def add_moderator(
    session: Session, *, username: str, password: str, now: datetime
) -> ModeratorIdentity:
    """Create a named moderator account with this password."""
    name = normalise_username(username)
    errors: dict[str, str] = {}
    if not USERNAME_PATTERN.match(name):
        errors["username"] = "Use 3 to 60 lowercase letters, digits, dots, dashes or underscores."
    elif session.scalar(select(Moderator.id).where(Moderator.username == name)) is not None:
        errors["username"] = "There is already a moderator with this name."
    if problem := password_problems(password):
        errors["password"] = problem
    if errors:
        raise InvalidSubmission(errors)
    moderator = Moderator(username=name, password_hash=hash_password(password), created_at=now)
    session.add(moderator)
    session.flush()
    audit.record(
        session,
        action=Action.MODERATOR_ADDED,
        actor=Actor(ActorKind.SYSTEM, moderator_id=moderator.id),
        now=now,
    )
    return ModeratorIdentity(moderator.id, moderator.username)


def reset_password(session: Session, *, username: str, password: str, now: datetime) -> None:
    """Give an existing moderator a new password and end their open sessions."""
    moderator = session.scalar(
        select(Moderator).where(Moderator.username == normalise_username(username))
    )
    if moderator is None:
        raise InvalidSubmission({"username": "There is no moderator with this name."})
    if problem := password_problems(password):
        raise InvalidSubmission({"password": problem})
    moderator.password_hash = hash_password(password)
    for open_session in session.scalars(
        select(ModeratorSession).where(
            ModeratorSession.moderator_id == moderator.id, ModeratorSession.ended_at.is_(None)
        )
    ):
        open_session.ended_at = now
    audit.record(
        session,
        action=Action.PASSWORD_RESET,
        actor=Actor(ActorKind.SYSTEM, moderator_id=moderator.id),
        now=now,
    )


def _wait_after_failures(
    session: Session, *, scope: str, key: str, allowed: int, longest: timedelta, now: datetime
) -> timedelta:
    failures = throttle.hits_since(session, scope=scope, key=key, since=now - FAILURE_WINDOW)
    if len(failures) < allowed:
        return timedelta(0)
    wait = min(timedelta(seconds=2 ** (len(failures) - allowed)), longest)
    return max(timedelta(0), failures[-1] + wait - now)


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    secret_hashes: Mapping[str, str],
    now: datetime,
) -> SignIn | None:
    """A session for the moderator, or None for a wrong name or password (failure recorded).

    Raises Throttled while too many recent failures ask for a wait; nothing is checked then.
    """
    name = normalise_username(username)[:60]
    for scope, allowed, longest in (ACCOUNT_FAILURES, ALL_FAILURES):
        key = name if scope == ACCOUNT_FAILURES[0] else "*"
        wait = _wait_after_failures(
            session, scope=scope, key=key, allowed=allowed, longest=longest, now=now
        )
        if wait > timedelta(0):
            raise Throttled(wait)
    moderator = session.scalar(select(Moderator).where(Moderator.username == name))
    stored_hash = (
        moderator.password_hash
        if moderator and moderator.password_hash
        else secret_hashes.get(name)
    )
    usable = stored_hash is not None and (moderator is None or moderator.disabled_at is None)
    if not (_verify(stored_hash or _unknown_account_hash(), password) and usable):
        throttle.hit(session, scope=ACCOUNT_FAILURES[0], key=name, now=now)
        throttle.hit(session, scope=ALL_FAILURES[0], key="*", now=now)
        audit.record(session, action=Action.LOGIN_FAILED, now=now,
                     actor=Actor(ActorKind.PUBLIC, moderator.id if moderator else None, name))  # fmt: skip
        return None
    if moderator is None:  # an account kept in the secrets signs in for the first time
        moderator = Moderator(username=name, password_hash=None, created_at=now)
        session.add(moderator)
        session.flush()
    moderator.last_login_at = now
    token = secrets.token_urlsafe(32)
    session.add(
        ModeratorSession(
            token_hash=_token_hash(token),
            moderator_id=moderator.id,
            started_at=now,
            last_seen_at=now,
        )
    )
    audit.record(
        session,
        action=Action.LOGIN_SUCCEEDED,
        actor=Actor(ActorKind.MODERATOR, moderator_id=moderator.id),
        now=now,
    )
    return SignIn(token=token, moderator=ModeratorIdentity(moderator.id, moderator.username))


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
    return SessionCheck(ModeratorIdentity(moderator.id, moderator.username), idle > TOUCH_EVERY)


def _open_session(session: Session, token: str) -> tuple[ModeratorSession, Moderator] | None:
    row = session.execute(
        select(ModeratorSession, Moderator)
        .join(Moderator, Moderator.id == ModeratorSession.moderator_id)
        .where(
            ModeratorSession.token_hash == _token_hash(token), ModeratorSession.ended_at.is_(None)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


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
        audit.record(
            session,
            action=Action.SESSION_EXPIRED,
            actor=Actor(ActorKind.SYSTEM, moderator_id=moderator.id),
            now=now,
        )
        return None
    if now - moderator_session.last_seen_at > TOUCH_EVERY:
        moderator_session.last_seen_at = now
    return ModeratorIdentity(moderator.id, moderator.username)


def sign_out(session: Session, *, token: str, now: datetime) -> None:
    """End this session now."""
    moderator_session = session.scalar(
        select(ModeratorSession).where(
            ModeratorSession.token_hash == _token_hash(token), ModeratorSession.ended_at.is_(None)
        )
    )
    if moderator_session is not None:
        moderator_session.ended_at = now
        audit.record(
            session,
            action=Action.LOGGED_OUT,
            actor=Actor(ActorKind.MODERATOR, moderator_id=moderator_session.moderator_id),
            now=now,
        )


def moderator_list(session: Session) -> list[ModeratorIdentity]:
    """Every active moderator, by name (for assigning reports)."""
    rows = session.execute(
        select(Moderator.id, Moderator.username)
        .where(Moderator.disabled_at.is_(None))
        .order_by(Moderator.username)
    )
    return [ModeratorIdentity(id_, name) for id_, name in rows]
