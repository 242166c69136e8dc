"""Counters kept in the database, so a new tab or a scripted client can't reset them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import RateLimitHit
from services.refusals import Throttled

__all__ = ["Limit", "Throttled", "check", "count", "forget_older_than", "hit", "hits_since"]


@dataclass(frozen=True)
class Limit:
    """At most `allowed` hits per `window` for one scope and key."""

    scope: str
    allowed: int
    window: timedelta


def hits_since(session: Session, *, scope: str, key: str, since: datetime) -> list[datetime]:
    """When each hit of this scope and key happened since `since`, oldest first."""
    query = (
        select(RateLimitHit.created_at)
        .where(
            RateLimitHit.scope == scope, RateLimitHit.key == key, RateLimitHit.created_at >= since
        )
        .order_by(RateLimitHit.created_at)
    )
    return list(session.scalars(query))


def check(session: Session, *, limit: Limit, key: str, now: datetime) -> None:
    """Raise Throttled when `key` has used up its allowance in the current window."""
    recent = hits_since(session, scope=limit.scope, key=key, since=now - limit.window)
    if len(recent) >= limit.allowed:
        oldest_counted = recent[len(recent) - limit.allowed]
        raise Throttled(oldest_counted + limit.window - now)


def count(session: Session, *, scope: str, key: str, since: datetime) -> int:
    """How many hits this scope and key had since `since`."""
    query = select(func.count()).where(
        RateLimitHit.scope == scope, RateLimitHit.key == key, RateLimitHit.created_at >= since
    )
    return session.execute(query).scalar_one()


def hit(session: Session, *, scope: str, key: str, now: datetime) -> None:
    """Count one attempt."""
    session.add(RateLimitHit(scope=scope, key=key[:200], created_at=now))


def forget_older_than(session: Session, *, cutoff: datetime) -> int:
    """Drop counters nobody looks at any more; returns how many went."""
    result = session.execute(delete(RateLimitHit).where(RateLimitHit.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
