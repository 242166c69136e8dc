"""Counters kept in the database, so a new tab, a reload or a scripted client can't reset them.

Every limit is kept per client (its address, see `client_key`) and, where there is one, per
target (an account): someone who hammers a limit slows down only themselves. No limit counts
everyone together, since one attacker could use it up for all. Checking and counting is one
atomic step (`take`): on PostgreSQL a transaction-scoped advisory lock on the counter is taken
first, so parallel attempts queue instead of all reading the same count; on SQLite writers
already run one at a time (BEGIN IMMEDIATE, models/db.py).
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from models import RateLimitHit
from services.core.refusals import Throttled as Throttled  # raised here; refusals are defined there

KEY_LENGTH = 200  # rate_limit_hits.key
# No address is known only for connections from this machine (Streamlit reports none for
# localhost): local use, tests, or a proxy on the same host whose header is not configured.
# They share one key: in production that is a misconfiguration to fix (README: behind a proxy).
UNKNOWN_CLIENT = "local"


@dataclass(frozen=True)
class Limit:
    """At most `allowed` hits per `window` for one scope and key.

    With `longest_wait`, hits beyond `allowed` are not refused for the rest of the window but
    met with growing waits after the latest one: 1 s, 2 s, 4 s... up to `longest_wait`.
    """

    scope: str
    allowed: int
    window: timedelta
    longest_wait: timedelta | None = None


def client_address(*, forwarded: Sequence[str], peer: str | None) -> str | None:
    """The client's address: the last entry of the trusted proxy's header, else the socket's peer.

    `forwarded` holds the values of the configured header (e.g. X-Forwarded-For), in order. A
    proxy appends the address it saw to what the client sent, so only the last entry is the
    proxy's word; earlier ones are whatever the client chose to send.
    """
    entries = [entry.strip() for value in forwarded for entry in value.split(",")]
    return next((entry for entry in reversed(entries) if entry), None) or peer or None


def client_key(address: str | None) -> str:
    """The key a client's attempts are counted under: its address, the same across reloads.

    An IPv6 address counts by its /64 network (what one household or server is usually given, so
    rotating through it gains nothing); an IPv4-mapped one as the IPv4 address. Anything that is
    not an address is kept as given (cut to fit); no address at all is UNKNOWN_CLIENT.
    """
    if not address or not address.strip():
        return UNKNOWN_CLIENT
    written = address.strip().removeprefix("[").split("]")[0]
    if written.count(":") == 1:  # an IPv4 address with the port the proxy saw: the port varies
        written = written.split(":")[0]
    try:
        ip = ipaddress.ip_address(written)
    except ValueError:
        return f"other:{written}"[:KEY_LENGTH]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return f"ip:{ipaddress.IPv6Network((ip, 64), strict=False)}"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return f"ip:{ip.ipv4_mapped}"
    return f"ip:{ip}"


def _key(key: str) -> str:
    return key[:KEY_LENGTH]


def hits_since(session: Session, *, scope: str, key: str, since: datetime) -> list[datetime]:
    """When each hit of this scope and key happened since `since`, oldest first."""
    query = (
        select(RateLimitHit.created_at)
        .where(
            RateLimitHit.scope == scope,
            RateLimitHit.key == _key(key),
            RateLimitHit.created_at >= since,
        )
        .order_by(RateLimitHit.created_at)
    )
    return list(session.scalars(query))


def wait_needed(session: Session, *, limit: Limit, key: str, now: datetime) -> timedelta:
    """How long `key` must wait before the next hit counts (zero when it may go ahead)."""
    hits = hits_since(session, scope=limit.scope, key=key, since=now - limit.window)
    if len(hits) < limit.allowed:
        return timedelta(0)
    if limit.longest_wait is None:
        return max(timedelta(0), hits[len(hits) - limit.allowed] + limit.window - now)
    doublings = min(len(hits) - limit.allowed, 40)
    wait = min(timedelta(seconds=2**doublings), limit.longest_wait)
    return max(timedelta(0), hits[-1] + wait - now)


def take_each(session: Session, *, limit: Limit, keys: Iterable[str], now: datetime) -> set[str]:
    """Count one hit for each key that may go ahead now, atomically per key, in a few statements
    (a batch of the clock's work); the keys counted. A key at its limit is left out, not refused."""
    given = list(keys)
    wanted = sorted({_key(key) for key in given})
    for key in wanted:
        lock(session, scope=limit.scope, key=key)  # always in the same order: no deadlock
    counted = dict(session.execute(
        select(RateLimitHit.key, func.count()).where(
            RateLimitHit.scope == limit.scope, RateLimitHit.key.in_(wanted),
            RateLimitHit.created_at >= now - limit.window,
        ).group_by(RateLimitHit.key)
    ).all())  # fmt: skip
    allowed = {key for key in wanted if counted.get(key, 0) < limit.allowed}
    if allowed:
        session.execute(insert(RateLimitHit),
                        [{"scope": limit.scope, "key": key, "created_at": now} for key in sorted(allowed)])  # fmt: skip
    return {key for key in given if _key(key) in allowed}


def lock(session: Session, *, scope: str, key: str) -> None:
    """Hold this counter until the transaction ends, so checking and counting is one step.

    PostgreSQL: a transaction-scoped advisory lock on a hash of scope and key. SQLite needs none:
    its writers hold the database's write lock from their first statement (BEGIN IMMEDIATE).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"{scope}\x1f{_key(key)}".encode()).digest()
    lock_id = int.from_bytes(digest[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:lock_id)"), {"lock_id": lock_id})


def take(session: Session, *, limits: Iterable[tuple[Limit, str]], now: datetime) -> list[int]:
    """Check and count one hit on each (limit, key), atomically; the ids of the hits counted.

    Raises Throttled with the longest wait, counting nothing, when any of them must wait. The
    ids let a caller forget a hit that turned out fine (a correct password).
    """
    wanted = list(limits)
    for scope, key in sorted({(limit.scope, _key(key)) for limit, key in wanted}):
        lock(session, scope=scope, key=key)  # always in the same order: no deadlock
    waits = [wait_needed(session, limit=limit, key=key, now=now) for limit, key in wanted]
    if waits and max(waits) > timedelta(0):
        raise Throttled(max(waits))
    return [hit(session, scope=limit.scope, key=key, now=now) for limit, key in wanted]


def hit(session: Session, *, scope: str, key: str, now: datetime) -> int:
    """Count one attempt; its id."""
    row = RateLimitHit(scope=scope, key=_key(key), created_at=now)
    session.add(row)
    session.flush()
    return row.id


def forget(session: Session, *, hit_ids: Iterable[int]) -> None:
    """Un-count these hits (an attempt counted up front that turned out fine)."""
    ids = list(hit_ids)
    if ids:
        session.execute(delete(RateLimitHit).where(RateLimitHit.id.in_(ids)))


def forget_older_than(session: Session, *, cutoff: datetime) -> None:
    """Drop counters nobody looks at any more."""
    session.execute(delete(RateLimitHit).where(RateLimitHit.created_at < cutoff))
