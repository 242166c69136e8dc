"""Moderator accounts, sign-in and sessions.

Passwords exist only as Argon2 hashes (in the database, or in the secrets for accounts managed
there). Failed sign-ins are counted in the database and met with growing waits, per account and
client address, and per client address over all accounts; never across all clients, so nobody
elsewhere can keep a moderator out. An unknown account costs the same hash check as a known one.
Sessions end on sign-out and after idle time. A sign-in is three short steps (`sign_in` runs
them), so the slow Argon2 check never holds a write transaction open, which on SQLite would stall
every other writer: count the attempt up front, check the password, record the outcome.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Moderator, ModeratorSession
from services.accounts import throttle
from services.audit import audit_log
from services.audit.audit_log import Action, Actor
from services.core.refusals import InvalidSubmission
from services.core.text import clean_line
from services.core.vocabulary import ActorKind

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
MIN_PASSWORD_LENGTH = 12
FAILURE_WINDOW = timedelta(minutes=15)
# Failures allowed before growing waits start: on one account from one client address, and from
# one client address over all accounts (someone trying many names).
ACCOUNT_FAILURES = throttle.Limit("login_failed_account_client", 3, FAILURE_WINDOW,
                                  longest_wait=timedelta(minutes=15))  # fmt: skip
CLIENT_FAILURES = throttle.Limit("login_failed_client", 10, FAILURE_WINDOW,
                                 longest_wait=timedelta(minutes=15))  # fmt: skip


@dataclass(frozen=True)
class ModeratorIdentity:
    id: int
    username: str
    has_second_factor: bool = False

    @property
    def actor(self) -> Actor:
        """This moderator as the author of a change."""
        return Actor(ActorKind.MODERATOR, moderator_id=self.id, label=self.username)


@dataclass(frozen=True)
class PendingSignIn:
    """A sign-in attempt that was let through and counted: what to check the password against."""

    username: str
    stored_hash: str | None  # None: no usable account (the check runs on a stand-in hash)
    hit_ids: tuple[int, ...]


@dataclass(frozen=True)
class SignIn:
    """A right password: the session token to keep (only its hash is stored).

    With `needs_second_factor`, the session opens nothing until a code completes it
    (moderator_sessions.complete_second_factor), which gives it a new token.
    """

    token: str
    moderator: ModeratorIdentity
    needs_second_factor: bool = False


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
    return clean_line(username).casefold()


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
    audit_log.record(
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
    audit_log.record(
        session,
        action=Action.PASSWORD_RESET,
        actor=Actor(ActorKind.SYSTEM, moderator_id=moderator.id),
        now=now,
    )


def start_sign_in(
    session: Session,
    *,
    username: str,
    client_key: str,
    secret_hashes: Mapping[str, str],
    now: datetime,
) -> PendingSignIn:
    """Step 1, a short transaction: wait if due, count the attempt, read the stored hash.

    Raises Throttled while recent failures on this account from this client, or from this client
    on any account, ask for a wait; nothing is counted then.
    """
    name = normalise_username(username)[:60]
    hit_ids = throttle.take(
        session,
        limits=[(ACCOUNT_FAILURES, f"{name}|{client_key}"), (CLIENT_FAILURES, client_key)],
        now=now,
    )
    moderator = session.scalar(select(Moderator).where(Moderator.username == name))
    stored_hash = _usable_hash(moderator, secret_hashes.get(name))
    return PendingSignIn(name, stored_hash, tuple(hit_ids))


def _usable_hash(moderator: Moderator | None, secret_hash: str | None) -> str | None:
    if moderator is not None and moderator.disabled_at is not None:
        return None
    return moderator.password_hash if moderator and moderator.password_hash else secret_hash


def password_matches(pending: PendingSignIn, password: str) -> bool:
    """Step 2, with no transaction open: the Argon2 check (as costly for an unknown account)."""
    if pending.stored_hash is None:
        _verify(_unknown_account_hash(), password)
        return False
    return _verify(pending.stored_hash, password)


def finish_sign_in(
    session: Session,
    *,
    pending: PendingSignIn,
    password_matched: bool,
    secret_hashes: Mapping[str, str],
    now: datetime,
) -> SignIn | None:
    """Step 3, a short transaction: a session for the moderator, or None and the failure audited.

    The account is read again: disabled, or given another password since step 1, means no.
    """
    name = pending.username
    moderator = session.scalar(select(Moderator).where(Moderator.username == name))
    still_valid = _usable_hash(moderator, secret_hashes.get(name)) == pending.stored_hash
    if not (password_matched and still_valid and pending.stored_hash is not None):
        audit_log.record(session, action=Action.LOGIN_FAILED, now=now,
                     actor=Actor(ActorKind.PUBLIC, moderator.id if moderator else None, name))  # fmt: skip
        return None
    throttle.forget(session, hit_ids=pending.hit_ids)  # a right password is no failure
    if moderator is None:  # an account kept in the secrets signs in for the first time
        moderator = Moderator(username=name, password_hash=None, created_at=now)
        session.add(moderator)
        session.flush()
    moderator.last_login_at = now
    token = secrets.token_urlsafe(32)
    needs_code = moderator.totp_secret is not None
    session.add(
        ModeratorSession(
            token_hash=token_hash(token),
            moderator_id=moderator.id,
            started_at=now,
            last_seen_at=now,
            awaiting_second_factor=needs_code,
        )
    )
    audit_log.record(
        session,
        action=Action.LOGIN_SUCCEEDED,
        actor=Actor(ActorKind.MODERATOR, moderator_id=moderator.id),
        now=now,
    )
    identity = ModeratorIdentity(moderator.id, moderator.username, has_second_factor=needs_code)
    return SignIn(token=token, moderator=identity, needs_second_factor=needs_code)


def sign_in(
    transaction: Callable[[], AbstractContextManager[Session]],
    *,
    username: str,
    password: str,
    client_key: str,
    secret_hashes: Mapping[str, str],
    now: datetime,
) -> SignIn | None:
    """A session for the moderator, or None for a wrong name or password (failure recorded).

    `transaction()` opens one transaction that commits (ui.db.writing); the password is checked
    between two short ones. Raises Throttled while a wait is due.
    """
    with transaction() as session:
        pending = start_sign_in(session, username=username, client_key=client_key,
                                secret_hashes=secret_hashes, now=now)  # fmt: skip
    matched = password_matches(pending, password)
    with transaction() as session:
        return finish_sign_in(session, pending=pending, password_matched=matched,
                              secret_hashes=secret_hashes, now=now)  # fmt: skip


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    """What is stored of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def moderator_list(session: Session) -> list[ModeratorIdentity]:
    """Every active moderator, by name (for assigning reports)."""
    rows = session.execute(
        select(Moderator.id, Moderator.username)
        .where(Moderator.disabled_at.is_(None))
        .order_by(Moderator.username)
    )
    return [ModeratorIdentity(id_, name) for id_, name in rows]
