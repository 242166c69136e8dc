"""A moderator's second factor: a code from an authenticator app (TOTP), or a recovery code.

The app's secret is kept in `moderators.totp_secret`; a code is accepted for the 30-second step
it belongs to, the step before or the step after (a phone's clock drifts), and only once: the
step of the last code accepted is kept, and a code of that step or an earlier one is refused, so
a code seen over someone's shoulder is worth nothing once used. Ten recovery codes, each good
once, stand in for a lost phone; only their SHA-256 is stored. Time is always the caller's `now`.

At sign-in (`attempt`), a wrong code counts against the same limits as a wrong password
(services/accounts/auth.py), per account and client address and per client address.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime

import pyotp
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import Moderator, ModeratorRecoveryCode
from services.accounts import throttle
from services.accounts.auth import ACCOUNT_FAILURES, CLIENT_FAILURES, normalise_username
from services.audit import audit_log
from services.audit.audit_log import Action, Actor
from services.core.refusals import InvalidSubmission
from services.core.vocabulary import ActorKind

ISSUER = "We Are Next Mentors"
STEP_SECONDS = 30
VALID_WINDOW = 1  # steps either side of now: ±30 s
CODE_DIGITS = 6
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # base32, lowercase: easy to read out
RECOVERY_HALF = 5  # a code reads "xxxxx-xxxxx": 50 random bits
WRONG_CODE = "That code doesn't match; check the time on your phone and try the newest code."


def new_secret() -> str:
    """A fresh base32 secret for an authenticator app."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str = ISSUER) -> str:
    """The otpauth:// address an authenticator app reads (shown as a QR code)."""
    return pyotp.TOTP(_checked_secret(secret)).provisioning_uri(name=username, issuer_name=issuer)


def enrol(session: Session, *, moderator_id: int, secret: str, now: datetime) -> list[str]:
    """Give the moderator this secret and ten new recovery codes; the codes, to show once.

    Any earlier secret and recovery codes stop working.
    """
    return _enrol(session, moderator_id=moderator_id, secret=secret, last_step=None, now=now)


def confirm_and_enrol(
    session: Session, *, moderator_id: int, secret: str, code: str, now: datetime
) -> list[str]:
    """Enrol only once the moderator's app shows a right code for the new secret.

    Raises InvalidSubmission (field "code") when the code doesn't match. The code used to
    confirm is spent: it won't also open a sign-in.
    """
    step = _matching_step(_checked_secret(secret), code, now, after=None)
    if step is None:
        raise InvalidSubmission({"code": WRONG_CODE})
    return _enrol(session, moderator_id=moderator_id, secret=secret, last_step=step, now=now)


def _enrol(
    session: Session, *, moderator_id: int, secret: str, last_step: int | None, now: datetime
) -> list[str]:
    now = _aware(now)
    moderator = _moderator(session, moderator_id)
    moderator.totp_secret = _checked_secret(secret)
    moderator.totp_last_step = last_step
    codes = _new_recovery_codes(session, moderator_id=moderator.id, now=now)
    _audit(session, Action.SECOND_FACTOR_ENROLLED, Actor(ActorKind.SYSTEM, moderator.id), now)
    return codes


def remove(session: Session, *, moderator_id: int, now: datetime) -> None:
    """Take the second factor away: no secret, no recovery codes (audited if there was one)."""
    now = _aware(now)
    moderator = _moderator(session, moderator_id)
    had_one = moderator.totp_secret is not None
    moderator.totp_secret = None
    moderator.totp_last_step = None
    session.execute(
        delete(ModeratorRecoveryCode).where(ModeratorRecoveryCode.moderator_id == moderator.id)
    )
    if had_one:
        _audit(session, Action.SECOND_FACTOR_REMOVED, Actor(ActorKind.SYSTEM, moderator.id), now)


def has_second_factor(session: Session, moderator_id: int) -> bool:
    """Whether this moderator has set up a second factor."""
    secret = session.scalar(select(Moderator.totp_secret).where(Moderator.id == moderator_id))
    return secret is not None


def check_code(session: Session, *, moderator_id: int, code: str, now: datetime) -> bool:
    """Whether `code` is a fresh app code or an unused recovery code; using it spends it.

    The moderator's row is locked first (FOR UPDATE), so two checks of one code queue and only
    the first can succeed. A disabled account, or one without a second factor, has no right code.
    """
    now = _aware(now)
    moderator = session.scalar(
        select(Moderator).where(Moderator.id == moderator_id).with_for_update()
    )
    if moderator is None or moderator.disabled_at is not None or moderator.totp_secret is None:
        return False
    typed = "".join(str(code).split())
    if typed.isdigit() and len(typed) == CODE_DIGITS:
        step = _matching_step(moderator.totp_secret, typed, now, after=moderator.totp_last_step)
        if step is None:
            return False
        moderator.totp_last_step = step
        return True
    return _spend_recovery_code(session, moderator_id=moderator.id, code=typed, now=now)


def attempt(
    transaction: Callable[[], AbstractContextManager[Session]],
    *,
    moderator_id: int,
    username: str,
    code: str,
    client_key: str,
    now: datetime,
) -> bool:
    """The code at sign-in, counted like a password: True lets the moderator in.

    `transaction()` opens one transaction that commits (ui.db.writing). Raises Throttled while
    recent wrong passwords or codes on this account from this client, or from this client on
    any account, ask for a wait; nothing is counted or checked then. A wrong code is audited.
    """
    now = _aware(now)
    name = normalise_username(username)[:60]
    with transaction() as session:
        hit_ids = throttle.take(
            session,
            limits=[(ACCOUNT_FAILURES, f"{name}|{client_key}"), (CLIENT_FAILURES, client_key)],
            now=now,
        )
        if check_code(session, moderator_id=moderator_id, code=code, now=now):
            throttle.forget(session, hit_ids=hit_ids)  # a right code is no failure
            return True
        actor = Actor(ActorKind.PUBLIC, moderator_id, name)
        _audit(session, Action.SECOND_FACTOR_FAILED, actor, now)
        return False


def normalise_recovery_code(code: str) -> str:
    """A recovery code as it is hashed: no spaces or dashes, lowercase."""
    return "".join(str(code).split()).replace("-", "").casefold()


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode("utf-8")).hexdigest()


def _new_recovery_codes(session: Session, *, moderator_id: int, now: datetime) -> list[str]:
    session.execute(
        delete(ModeratorRecoveryCode).where(ModeratorRecoveryCode.moderator_id == moderator_id)
    )
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(2 * RECOVERY_HALF))
        codes.append(f"{raw[:RECOVERY_HALF]}-{raw[RECOVERY_HALF:]}")
    session.add_all(
        ModeratorRecoveryCode(
            moderator_id=moderator_id, code_hash=_recovery_hash(c), created_at=now
        )
        for c in codes
    )
    session.flush()
    return codes


def _spend_recovery_code(session: Session, *, moderator_id: int, code: str, now: datetime) -> bool:
    if not normalise_recovery_code(code):
        return False
    row = session.scalar(
        select(ModeratorRecoveryCode).where(
            ModeratorRecoveryCode.moderator_id == moderator_id,
            ModeratorRecoveryCode.code_hash == _recovery_hash(code),
            ModeratorRecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = now
    session.flush()
    left = session.scalar(
        select(func.count()).where(
            ModeratorRecoveryCode.moderator_id == moderator_id,
            ModeratorRecoveryCode.used_at.is_(None),
        )
    )
    actor = Actor(ActorKind.MODERATOR, moderator_id)
    _audit(session, Action.RECOVERY_CODE_USED, actor, now, detail=f"{left} recovery codes left")
    return True


def _matching_step(secret: str, code: str, now: datetime, *, after: int | None) -> int | None:
    """The time step near `now` whose code this is, if later than `after`; else None."""
    typed = "".join(str(code).split())
    if not (typed.isdigit() and len(typed) == CODE_DIGITS):
        return None
    totp = pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS)
    current = int(_aware(now).timestamp()) // STEP_SECONDS
    for step in range(current + VALID_WINDOW, current - VALID_WINDOW - 1, -1):  # newest first
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def _checked_secret(secret: str) -> str:
    """The secret, if it is base32 that fits the column (at least 128 bits); else ValueError."""
    cleaned = str(secret).strip().upper()
    try:
        decoded = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) < 16 or len(cleaned) > 64:
        raise ValueError("a TOTP secret is base32 of 16 to 40 bytes")
    return cleaned


def _moderator(session: Session, moderator_id: int) -> Moderator:
    moderator = session.scalar(
        select(Moderator).where(Moderator.id == moderator_id).with_for_update()
    )
    if moderator is None:
        raise InvalidSubmission({"username": "There is no moderator with this name."})
    return moderator


def _aware(now: datetime) -> datetime:
    """`now` as an aware datetime; a naive one is taken as UTC (models.base.utcnow is aware)."""
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now


def _audit(
    session: Session, action: Action, actor: Actor, now: datetime, detail: str | None = None
) -> None:
    audit_log.record(session, action=action, actor=actor, now=now, detail=detail)
