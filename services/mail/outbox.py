"""The outbox: a mail is a row written in the transaction of the event that causes it.

If that transaction rolls back, there is no mail; once it commits, a relay (services/mail/relay.py)
sends the mail at least once, retrying what fails for a while. Each mail gets its own Message-ID,
so a mailbox that receives a retry of a mail it already has can tell.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from models import OutboxMail
from services.accounts import throttle
from services.accounts.auth import ModeratorIdentity
from services.audit import audit_log
from services.core.bulk_rows import rows_changed
from services.core.refusals import Refusal
from services.core.vocabulary import LabelledEnum
from services.mail import templates
from services.reports.conflicts import visible_mail

MESSAGE_ID_DOMAIN = "wearenext-mentors.invalid"
# Mail to one address, whatever asks for it: nobody floods a mailbox through our forms.
MAIL_PER_RECIPIENT = throttle.Limit("mail_recipient", 5, timedelta(hours=1))


class MailState(LabelledEnum):
    QUEUED = ("queued", "Waiting to be sent")
    SENDING = ("sending", "Being sent")
    SENT = ("sent", "Sent")
    FAILED = ("failed", "Failed")


@dataclass(frozen=True)
class FailedMail:
    id: int
    kind: str
    recipient: str
    tries: int
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True)
class MailCopy:
    """A mail as it went out (or will), for the console of the local sample setup."""

    id: int
    recipient: str
    state: MailState
    created_at: datetime
    subject: str
    body: str
    links: tuple[str, ...]


def queue(
    session: Session,
    *,
    kind: templates.Kind,
    recipient: str,
    values: dict[str, Any],
    now: datetime,
    mentor_id: int | None = None,
) -> int:
    """Write a mail in this transaction; the relay sends it once the transaction commits."""
    templates.check_values(kind, values)
    mail = OutboxMail(kind=kind.value, recipient=recipient, values=values,
                      message_id=f"<{secrets.token_hex(16)}@{MESSAGE_ID_DOMAIN}>",
                      state=MailState.QUEUED.value, tries=0, next_try_at=now,
                      mentor_id=mentor_id, created_at=now)  # fmt: skip
    session.add(mail)
    session.flush()
    return mail.id


def queue_many(session: Session, *, kind: templates.Kind, now: datetime,
               mails: Sequence[tuple[str, dict[str, Any], int | None]]) -> None:  # fmt: skip
    """Write many mails of one kind in this transaction, each (recipient, values, mentor id), in
    one statement (a batch of the clock's work)."""
    for _, values, _ in mails:
        templates.check_values(kind, values)
    if mails:
        session.execute(insert(OutboxMail), [
            {"kind": kind.value, "recipient": recipient, "values": values,
             "message_id": f"<{secrets.token_hex(16)}@{MESSAGE_ID_DOMAIN}>",
             "state": MailState.QUEUED.value, "tries": 0, "next_try_at": now,
             "mentor_id": mentor_id, "created_at": now}
            for recipient, values, mentor_id in mails
        ])  # fmt: skip


def may_mail_each(session: Session, *, address_keys: Sequence[str], now: datetime) -> set[str]:
    """may_mail for many addresses at once: the ones that may have one more mail (counted)."""
    return throttle.take_each(session, limit=MAIL_PER_RECIPIENT, keys=address_keys, now=now)


def may_mail(session: Session, *, address_key: str, now: datetime) -> bool:
    """Count one mail to this address (its email_key), or False when it has had its share this
    hour (the caller then sends nothing, and says the same as ever)."""
    throttle.lock(session, scope=MAIL_PER_RECIPIENT.scope, key=address_key)
    if throttle.wait_needed(session, limit=MAIL_PER_RECIPIENT, key=address_key, now=now):
        return False
    throttle.hit(session, scope=MAIL_PER_RECIPIENT.scope, key=address_key, now=now)
    return True


def counts(session: Session) -> dict[MailState, int]:
    """How many mails are in each state (every state, zero included)."""
    rows = session.execute(select(OutboxMail.state, func.count()).group_by(OutboxMail.state))
    found = {MailState.of(state): int(count) for state, count in rows}
    return {state: found.get(state, 0) for state in MailState}


def failed(session: Session, *, limit: int = 50, viewer: int | None = None) -> list[FailedMail]:
    """The mails the relay gave up on that `viewer` may see, newest first, with the last error."""
    rows = session.scalars(
        select(OutboxMail).where(OutboxMail.state == MailState.FAILED.value, visible_mail(viewer))
        .order_by(OutboxMail.id.desc()).limit(limit)
    )  # fmt: skip
    return [FailedMail(m.id, m.kind, m.recipient, m.tries, m.last_error, m.created_at) for m in rows]


class NotFailed(Refusal):
    message = "This mail isn't marked failed any more: it may have been sent again already."


def send_again(session: Session, *, mail_id: int, moderator: ModeratorIdentity, now: datetime) -> None:
    """Put a failed mail back in the queue, its tries counted from zero (a moderator's call,
    after fixing what made it fail); the audit log says who."""
    moved = rows_changed(session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.state == MailState.FAILED.value,
               visible_mail(moderator.id))  # never one hidden from them (a conflict of interest)
        .values(state=MailState.QUEUED.value, tries=0, next_try_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    ))  # fmt: skip
    if not moved:
        raise NotFailed()
    audit_log.record(session, action=audit_log.Action.MAIL_SENT_AGAIN, actor=moderator.actor,
                     now=now, detail=f"Mail {mail_id}")  # fmt: skip


def recent_copies(session: Session, *, frame: templates.Frame, limit: int = 20,
                  viewer: int | None = None) -> list[MailCopy]:  # fmt: skip
    """The newest mails as written that `viewer` may see, for the local sample setup's console
    (nobody else's mail reaches a real inbox there, so a newcomer can follow a link from it)."""
    rows = session.scalars(select(OutboxMail).where(visible_mail(viewer))
                           .order_by(OutboxMail.id.desc()).limit(limit))  # fmt: skip
    copies = []
    for mail in rows:
        kind = templates.Kind.of(mail.kind)
        subject, body = templates.render(kind, mail.values, frame)
        copies.append(MailCopy(mail.id, mail.recipient, MailState.of(mail.state), mail.created_at,
                               subject, body, tuple(templates.links_of(kind, mail.values, frame))))  # fmt: skip
    return copies
