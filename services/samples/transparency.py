"""Sample data for the public transparency report: the sample year's ended quarters, published.

Only for the local sample setup (commands/start.py), through the report's own door
(`transparency.publish_period`, audited, marked as sample so the page says the figures are made
up). The newest ended quarter is left unpublished, so the console has one to preview and publish.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Moderator
from services.accounts.auth import ModeratorIdentity
from services.evidence import transparency


def publish_sample_quarters(
    session: Session, *, now: datetime, moderator_id: int | None
) -> list[str]:
    """Publish every ended quarter of the sample history but the newest; the keys published."""
    name = session.scalar(select(Moderator.username).where(Moderator.id == moderator_id))
    if moderator_id is None or name is None:
        return []
    leader = ModeratorIdentity(moderator_id, name)
    quarters = [p for p in transparency.publishable_periods(session, now=now) if p.quarter]
    for period in quarters[1:]:
        transparency.publish_period(session, period_key=period.key, moderator=leader, now=now,
                                    sample=True)  # fmt: skip
    return [p.key for p in quarters[1:]]
