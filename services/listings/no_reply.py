"""'Reached out and heard nothing for two weeks?': a mentee's anonymous signal about a listing.

Never public and never a penalty. No address or session is stored with a signal, only a one-way
key of (client address, listing), so one address counts once per listing per 30 days; one address
may send a few a day in all. Three signals from different addresses within 60 days bring the
mentor's next "still available?" mail forward (services/listings/freshness.py); moderators see
the count on the mentor's file. After 60 days a signal loses its key (the clock): it is then only
a listing and a moment, counted in the trends, and deleted after 13 months.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from models import Mentor, NoReplySignal
from services.accounts import throttle
from services.core.bulk_rows import rows_changed
from services.core.vocabulary import ListingStatus
from services.listings import freshness

ONCE_PER = timedelta(days=30)  # one address, one listing
WINDOW = timedelta(days=60)  # signals counted, and their keys kept
KEPT = timedelta(days=397)  # 13 months: a year of trends and the same month a year before
BRING_FORWARD_AT = 3
PER_CLIENT = throttle.Limit("no_reply_client", 5, timedelta(days=1))


def sender_key(client_key: str, mentor_id: int) -> str:
    """One address's key for one listing: the same again for it, nothing about any other."""
    return hashlib.sha256(f"no-reply\x1f{mentor_id}\x1f{client_key}".encode()).hexdigest()


def signal(session: Session, *, mentor_id: int, client_key: str, now: datetime) -> None:
    """Count a mentee's signal (or nothing, when this address already sent one for this listing
    lately, or the listing isn't listed); raises Throttled after a client's share for the day.
    The mentee is thanked the same either way."""
    listed = session.scalar(select(Mentor.id).where(Mentor.id == mentor_id,
                                                    Mentor.status == ListingStatus.LISTED.value))  # fmt: skip
    if listed is None:
        return
    key = sender_key(client_key, mentor_id)
    throttle.lock(session, scope="no_reply_sender", key=key)
    if session.scalar(select(NoReplySignal.id).where(NoReplySignal.mentor_id == mentor_id,
                                                     NoReplySignal.sender_key == key,
                                                     NoReplySignal.created_at > now - ONCE_PER).limit(1)):  # fmt: skip
        return
    throttle.take(session, limits=[(PER_CLIENT, client_key)], now=now)
    session.add(NoReplySignal(mentor_id=mentor_id, sender_key=key, created_at=now))
    session.flush()
    if recent_senders(session, mentor_id=mentor_id, now=now) >= BRING_FORWARD_AT:
        freshness.ask_now(session, mentor_id=mentor_id, now=now)


def recent_senders(session: Session, *, mentor_id: int, now: datetime) -> int:
    """How many different addresses signalled this listing within the last 60 days."""
    return session.scalar(
        select(func.count(func.distinct(NoReplySignal.sender_key)))
        .where(NoReplySignal.mentor_id == mentor_id, NoReplySignal.created_at > now - WINDOW)
    ) or 0  # fmt: skip


def forget_old(session: Session, *, now: datetime) -> int:
    """Forget the keys of signals older than 60 days, and the signals older than 13 months; how
    many keys were forgotten."""
    session.execute(delete(NoReplySignal).where(NoReplySignal.created_at <= now - KEPT))
    return rows_changed(session.execute(
        update(NoReplySignal).where(NoReplySignal.created_at <= now - WINDOW, NoReplySignal.sender_key != "")
        .values(sender_key="")
    ))  # fmt: skip
