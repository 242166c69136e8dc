"""Single-use links mailed about a listing, and the browser sessions they open.

A link's token is random (256 bits), mailed once and stored only as its SHA-256. Looking at a
link (`look`) changes nothing: mail scanners open links, so only a button (a POST) uses one
(`use`), once. An owner session is what a "manage my listing" link leaves in the browser that
used it (a cookie); it opens that listing like the private code does, for a while.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from models import ListingLink
from services.core.bulk_rows import rows_changed
from services.core.refusals import Refusal
from services.core.text import clean_line

TOKEN_BYTES = 32
OWNER_SESSION_PREFIX = "wal-"  # beside the private code's "wan-": which kind a credential is


class Purpose(StrEnum):
    CONFIRM = "confirm"  # confirm a sign-up's address
    MANAGE = "manage"  # open Manage my listing in this browser
    NEW_ADDRESS = "new_address"  # confirm a changed address at the new one
    OWNER_SESSION = "owner_session"  # what a used manage link left in the browser
    STILL_AVAILABLE = "still_available"  # the clock's "are you still available?"
    NEW_CODE = "new_code"  # a new version of the Code to sign (services/evidence/code_versions.py)


LIFETIME = {
    Purpose.CONFIRM: timedelta(hours=72),
    Purpose.MANAGE: timedelta(hours=1),
    Purpose.NEW_ADDRESS: timedelta(hours=72),
    Purpose.OWNER_SESSION: timedelta(hours=2),
    Purpose.STILL_AVAILABLE: timedelta(days=60),  # an answer after the pause still brings them back
    Purpose.NEW_CODE: timedelta(days=60),  # the 30 days to sign, and a while after the pause
}


class LinkState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"
    UNKNOWN = "unknown"


class LinkRefused(Refusal):
    """The link can't be used: `state` says why (expired, used, unknown)."""

    TEXTS = {
        LinkState.EXPIRED: "This link has expired.",
        LinkState.USED: "This link has already been used.",
        LinkState.UNKNOWN: "This link isn't one of ours, or it was copied incompletely.",
    }

    def __init__(self, state: LinkState) -> None:
        self.state = state
        super().__init__(self.TEXTS[state])


@dataclass(frozen=True)
class Link:
    id: int
    mentor_id: int
    purpose: Purpose
    email: str | None
    state: LinkState
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(clean_line(token).encode("utf-8")).hexdigest()


def issue(
    session: Session, *, mentor_id: int, purpose: Purpose, now: datetime, email: str | None = None
) -> str:
    """A new link for this listing; the token, to be mailed (or set as a cookie) and forgotten."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    if purpose is Purpose.OWNER_SESSION:
        token = OWNER_SESSION_PREFIX + token
    session.add(ListingLink(mentor_id=mentor_id, purpose=purpose.value, token_hash=token_hash(token),
                            email=email, created_at=now, expires_at=now + LIFETIME[purpose]))  # fmt: skip
    session.flush()
    return token


def issue_each(
    session: Session, *, listings: Sequence[tuple[int, str | None]], purpose: Purpose, now: datetime
) -> list[str]:
    """`issue` for many listings at once, each (mentor id, email), in one statement; the tokens,
    in the same order."""
    tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _ in listings]
    if listings:
        session.execute(insert(ListingLink), [
            {"mentor_id": mentor_id, "purpose": purpose.value, "token_hash": token_hash(token),
             "email": email, "created_at": now, "expires_at": now + LIFETIME[purpose]}
            for (mentor_id, email), token in zip(listings, tokens, strict=True)
        ])  # fmt: skip
    return tokens


def look(session: Session, *, token: str, purpose: Purpose, now: datetime) -> Link | None:
    """What this token is, without using it (None: not a link of this purpose)."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(
        select(ListingLink).where(
            ListingLink.token_hash == token_hash(token), ListingLink.purpose == purpose.value
        )
    )
    return _link(row, now) if row is not None else None


def use(session: Session, *, token: str, purpose: Purpose, now: datetime) -> Link:
    """Use this link once: marked used in this transaction (two clicks at once: one wins)."""
    link = look(session, token=token, purpose=purpose, now=now)
    if link is None:
        raise LinkRefused(LinkState.UNKNOWN)
    if link.state is not LinkState.VALID:
        raise LinkRefused(link.state)
    won = rows_changed(session.execute(
        update(ListingLink)
        .where(ListingLink.id == link.id, ListingLink.used_at.is_(None))
        .values(used_at=now)
    ))  # fmt: skip
    if not won:
        raise LinkRefused(LinkState.USED)
    return link


def retire(session: Session, *, mentor_id: int, purpose: Purpose, now: datetime) -> None:
    """Mark every unused link of this purpose for this listing used (a newer one replaces them,
    or what they were for has happened)."""
    session.execute(
        update(ListingLink)
        .where(ListingLink.mentor_id == mentor_id, ListingLink.purpose == purpose.value,
               ListingLink.used_at.is_(None))
        .values(used_at=now)
    )  # fmt: skip


def _link(row: ListingLink, now: datetime) -> Link:
    if row.used_at is not None:
        state = LinkState.USED
    elif row.expires_at <= now:
        state = LinkState.EXPIRED
    else:
        state = LinkState.VALID
    return Link(row.id, row.mentor_id, Purpose(row.purpose), row.email, state, row.expires_at)
