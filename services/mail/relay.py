"""The relay's side of the outbox: claiming due mails, and recording what happened to each.

A claim marks due mails `sending` with a lease (`claimed_until`; `next_try_at` moves to the same
moment) and counts a try, in a transaction of its own that commits before anything is sent. On
PostgreSQL the claim takes rows with `FOR UPDATE SKIP LOCKED`, so relays in several processes
share the queue and never take the same mail; SQLite writers take turns (BEGIN IMMEDIATE). A
relay that dies mid-send leaves its mails `sending` until the lease runs out; then they are due
again and another relay (or the same one, restarted) takes them.

A claim is the mail's id and its try count: an outcome is recorded only while the mail is still
`sending` on that try, so a relay that overran its lease can't overwrite a later claim's result.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from models import OutboxMail
from services.core.bulk_rows import rows_changed
from services.evidence import receipts
from services.mail import templates
from services.mail.outbox import MailState
from services.mail.templates import Kind

DEFAULT_LEASE = timedelta(minutes=5)
DUE_STATES = (MailState.QUEUED.value, MailState.SENDING.value)


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait before trying a mail again, and when to give up.

    The n-th wait is `first_wait * 2**(n-1)`, plus up to a quarter more at random (so relays
    that failed together don't retry together), and never more than `longest_wait`."""

    first_wait: timedelta = timedelta(seconds=30)
    longest_wait: timedelta = timedelta(hours=1)
    tries: int = 10  # about three hours from the first try to the last, with the defaults

    def wait_after(self, tries: int, rng: random.Random | None = None) -> timedelta:
        base = self.first_wait * (2 ** max(0, tries - 1))
        jitter = (rng or random).uniform(0.0, 0.25)  # noqa: S311 - spreading retries, not a secret
        wait: timedelta = min(self.longest_wait, base * (1 + jitter))
        return wait


@dataclass(frozen=True)
class ClaimedMail:
    """A mail this relay holds until `claimed_until`, on its `tries`-th try."""

    id: int
    kind: str
    recipient: str
    values: dict[str, Any]
    message_id: str
    tries: int
    created_at: datetime
    claimed_until: datetime


def claim_due(
    session: Session, *, now: datetime, limit: int, lease: timedelta = DEFAULT_LEASE
) -> list[ClaimedMail]:
    """Take up to `limit` due mails (oldest first) for this relay until `now + lease`.

    Due: queued with its next try at or before `now`, or `sending` under a lease that ran out."""
    rows = session.execute(
        select(OutboxMail.id, OutboxMail.tries)
        .where(OutboxMail.state.in_(DUE_STATES), OutboxMail.next_try_at <= now)
        .order_by(OutboxMail.next_try_at, OutboxMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()  # fmt: skip
    if not rows:
        return []
    until = now + lease
    ids = [row.id for row in rows]
    session.execute(
        update(OutboxMail).where(OutboxMail.id.in_(ids))
        .values(state=MailState.SENDING.value, claimed_until=until, next_try_at=until,
                tries=OutboxMail.tries + 1)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    mails = session.execute(
        select(OutboxMail.id, OutboxMail.kind, OutboxMail.recipient, OutboxMail.values,
               OutboxMail.message_id, OutboxMail.tries, OutboxMail.created_at, OutboxMail.mentor_id)
        .where(OutboxMail.id.in_(ids)).order_by(OutboxMail.id)
    ).all()  # fmt: skip
    return [ClaimedMail(m.id, m.kind, m.recipient, _with_receipt(session, m), m.message_id, m.tries,
                        m.created_at, until) for m in mails]  # fmt: skip


def _with_receipt(session: Session, mail: Any) -> dict[str, Any]:
    """A confirmation's values, with the signature's receipt written in the first time it goes
    out: the audit row's hash on it exists only once the sign-up has committed (the chain seals
    it then), so the mail queued in that transaction can't carry it yet."""
    values = dict(mail.values)
    if mail.kind != Kind.CONFIRM_SIGN_UP.value or values.get("receipt") or mail.mentor_id is None:
        return values
    receipt = receipts.latest_receipt(session, mentor_id=mail.mentor_id)
    if receipt is None or receipt.audit_hash is None:
        return values  # not sealed yet (the sealer failed meanwhile): it goes without, for now
    values["receipt"] = receipts.as_text(receipt)
    session.execute(update(OutboxMail).where(OutboxMail.id == mail.id).values(values=values)
                    .execution_options(synchronize_session=False))  # fmt: skip
    return values


def _held(claim: ClaimedMail) -> Any:
    return (
        (OutboxMail.id == claim.id)
        & (OutboxMail.state == MailState.SENDING.value)
        & (OutboxMail.tries == claim.tries)
    )


def record_sent(
    session: Session, claims: Iterable[ClaimedMail], *, now: datetime, keep_secrets: bool
) -> int:
    """Mark mails sent; blank their link tokens unless `keep_secrets` (the local sample setup).
    Returns how many this relay still held (a mail whose lease ran out, and which another relay
    took meanwhile, is left to that relay). One plain UPDATE each, in the caller's transaction."""
    table = cast(Table, OutboxMail.__table__)
    connection = session.connection()
    held = 0
    for claim in claims:
        values = claim.values if keep_secrets else _blanked(claim.values)
        held += rows_changed(connection.execute(
            update(table).where(table.c.id == claim.id, table.c.state == MailState.SENDING.value,
                                table.c.tries == claim.tries)
            .values(state=MailState.SENT.value, sent_at=now, claimed_until=None, last_error=None,
                    values=values)
        ))  # fmt: skip
    return held


def record_failure(
    session: Session, claim: ClaimedMail, *, error: str, permanent: bool, now: datetime,
    policy: RetryPolicy, rng: random.Random | None = None,
) -> MailState | None:  # fmt: skip
    """A failed try: queued again after a growing wait, or failed (permanent, or out of tries).
    Returns the mail's new state, or None when this claim no longer holds it."""
    gives_up = permanent or claim.tries >= policy.tries
    state = MailState.FAILED if gives_up else MailState.QUEUED
    next_try = now if gives_up else now + policy.wait_after(claim.tries, rng)
    done = rows_changed(session.execute(
        update(OutboxMail).where(_held(claim))
        .values(state=state.value, next_try_at=next_try, claimed_until=None, last_error=error)
        .execution_options(synchronize_session=False)
    ))  # fmt: skip
    return state if done else None


def hand_back(session: Session, claims: Iterable[ClaimedMail], *, now: datetime) -> int:
    """Give mails back unsent (the relay is stopping, or its lease is nearly out): queued again,
    due at once, and this try not counted. How many were still held."""
    handed = 0
    for claim in claims:
        handed += rows_changed(session.execute(
            update(OutboxMail).where(_held(claim))
            .values(state=MailState.QUEUED.value, tries=claim.tries - 1, next_try_at=now,
                    claimed_until=None)
            .execution_options(synchronize_session=False)
        ))  # fmt: skip
    return handed


def next_due(session: Session) -> datetime | None:
    """When the next queued or claimed mail falls due (None: nothing waits)."""
    return session.scalar(
        select(OutboxMail.next_try_at).where(OutboxMail.state.in_(DUE_STATES))
        .order_by(OutboxMail.next_try_at).limit(1)
    )  # fmt: skip




def _blanked(values: dict[str, Any]) -> dict[str, Any]:
    return {key: "" if key in templates.SECRET_VALUES else value for key, value in values.items()}

