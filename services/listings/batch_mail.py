"""A batch of the clock's mail to listed mentors (still available?, a new Code to sign): each
listing locked, still listed and with an address, mailed one link within its address's hourly
share (an address whose share is used up is asked on a later run)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Mentor
from services.core.vocabulary import ListingStatus
from services.listings import links
from services.listings.links import Purpose
from services.mail import outbox
from services.mail.templates import Kind


def mail_listed(session: Session, *, ids: Sequence[int], kind: Kind, purpose: Purpose,
                now: datetime, values: dict[str, Any] | None = None) -> int:  # fmt: skip
    """Mail each listing of `ids` (its name, a new link, and `values`); how many were mailed."""
    rows = session.execute(
        select(Mentor.id, Mentor.email, Mentor.email_key, Mentor.full_name)
        .where(Mentor.id.in_(ids), Mentor.status == ListingStatus.LISTED.value,
               Mentor.email.is_not(None))
        .order_by(Mentor.id).with_for_update()
    ).all()  # fmt: skip
    allowed = outbox.may_mail_each(session, address_keys=[r.email_key or "" for r in rows], now=now)
    chosen = [r for r in rows if (r.email_key or "") in allowed]
    tokens = links.issue_each(session, listings=[(r.id, r.email) for r in chosen],
                              purpose=purpose, now=now)  # fmt: skip
    outbox.queue_many(session, kind=kind, now=now, mails=[
        (r.email or "", {"name": r.full_name, "token": token, **(values or {})}, r.id)
        for r, token in zip(chosen, tokens, strict=True)
    ])  # fmt: skip
    return len(chosen)
