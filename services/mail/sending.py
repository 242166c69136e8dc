"""The relay at work: batches of due mails claimed, sent over one connection, each outcome
recorded in a transaction of its own; in a thread of the app's process (server/lifespan_work.py)
or once from a command (commands/send_mail.py).

Nothing here runs inside a page's transaction, so sending never makes a page wait. The logs say
how many mails went, will be retried or failed, and the kinds of error; never an address or a link.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from models import OutboxMail
from models.base import utcnow
from services.core.settings import mail_problem
from services.core.step_aside import StepAside, lower_priority
from services.mail import relay, templates
from services.mail.outbox import MailState
from services.mail.transport import DeliveryFailure, SmtpUrlError, Transport, parse_smtp_url

log = logging.getLogger("wan.mail")
POLL_S = 2.0
STOP_WAIT_S = 15.0
QUEUED_FLAG = "wan_mail_queued"
# Sent mails are recorded together, every so many or so often (one transaction, not one each).
RECORD_EVERY = 25
RECORD_AFTER_S = 1.0


@dataclass(frozen=True)
class RelayConfig:
    frame: templates.Frame
    keep_secrets: bool  # the local sample setup keeps link tokens: its console shows the mails
    policy: relay.RetryPolicy = field(default_factory=relay.RetryPolicy)
    batch: int = 100
    lease: timedelta = relay.DEFAULT_LEASE
    step_aside: float = 4.0  # 0: never rest for the other threads
    clock: Callable[[], datetime] = utcnow


@dataclass
class Tally:
    """What a round of sending did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    handed_back: int = 0
    lost_claims: int = 0  # outcomes not recorded: the lease ran out and the mail was taken again
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.handed_back += other.handed_back
        self.lost_claims += other.lost_claims
        self.errors.update(other.errors)

    def __bool__(self) -> bool:
        return bool(self.sent or self.retrying or self.failed or self.handed_back or self.lost_claims)

    def describe(self) -> str:
        kinds = ", ".join(f"{kind} x{count}" for kind, count in sorted(self.errors.items()))
        return (f"sent {self.sent}, to retry {self.retrying}, failed {self.failed}, "
                f"handed back {self.handed_back}, overtaken {self.lost_claims}"
                + (f"; errors: {kinds}" if kinds else ""))  # fmt: skip


def relay_config(settings: Any, **overrides: Any) -> RelayConfig:
    """The relay's configuration from the app's settings (services.core.settings.Settings)."""
    return RelayConfig(frame=templates.frame_of(settings),
                       keep_secrets=settings.uses_embedded_default, **overrides)  # fmt: skip


def mail_refusal(settings: Any) -> str | None:
    """Why this app may not start as configured (no destination for mail, an unusable
    SMTP_URL), or None."""
    problem = mail_problem(settings)
    if problem or not settings.smtp_url:
        return problem
    try:
        parse_smtp_url(settings.smtp_url)
    except SmtpUrlError as error:
        return str(error)
    return None


def send_due(
    writer: sessionmaker[Session], transport: Transport, config: RelayConfig,
    stopping: Callable[[], bool] = lambda: False,
) -> Tally:  # fmt: skip
    """Send every mail that is due, batch after batch over one connection, until none is due
    (or `stopping()`); mails that fail now and are retried later don't count as due."""
    tally = Tally()
    with transport:
        while not stopping():
            with writer.begin() as session:
                claims = relay.claim_due(session, now=config.clock(), limit=config.batch,
                                         lease=config.lease)  # fmt: skip
            if not claims:
                break
            tally.add(_send_batch(writer, transport, config, claims, stopping))
    return tally


def _send_batch(
    writer: sessionmaker[Session], transport: Transport, config: RelayConfig,
    claims: list[relay.ClaimedMail], stopping: Callable[[], bool],
) -> Tally:  # fmt: skip
    tally = Tally()
    # Half the lease is left for the mail in hand when this one ends: no claim outlives its lease.
    deadline = time.monotonic() + config.lease.total_seconds() / 2
    sent: list[relay.ClaimedMail] = []
    recorded_at = time.monotonic()
    courtesy = StepAside(config.step_aside)
    try:
        for index, claim in enumerate(claims):
            if stopping() or time.monotonic() > deadline:
                with writer.begin() as session:
                    tally.handed_back += relay.hand_back(session, claims[index:], now=config.clock())
                break
            courtesy.begin()
            if _send_one(writer, transport, config, claim, tally):
                sent.append(claim)
            courtesy.rest()  # the pages beside it come first (services/core/step_aside.py)
            if len(sent) >= RECORD_EVERY or time.monotonic() - recorded_at > RECORD_AFTER_S:
                _record_sent(writer, config, sent, tally)
                recorded_at = time.monotonic()
    finally:
        _record_sent(writer, config, sent, tally)
    return tally


def _send_one(writer: sessionmaker[Session], transport: Transport, config: RelayConfig,
              claim: relay.ClaimedMail, tally: Tally) -> bool:  # fmt: skip
    """Send one mail; a failure is recorded at once, a success is left to `_record_sent`."""
    now = config.clock()
    try:
        mail = templates.message(
            kind=templates.Kind.of(claim.kind), values=claim.values, recipient=claim.recipient,
            message_id=claim.message_id, frame=config.frame, when=now,
        )  # fmt: skip
        transport.send(mail, recipient=claim.recipient, mail_id=claim.id, now=now)
    except DeliveryFailure as failure:
        _record_failure(writer, config, claim, failure.error, failure.permanent, tally)
        tally.errors[failure.kind] += 1
        return False
    except (ValueError, KeyError) as error:  # a kind or values this version can't write
        _record_failure(writer, config, claim, f"the mail can't be written: {type(error).__name__}",
                        True, tally)  # fmt: skip
        tally.errors["unwritable"] += 1
        return False
    return True


def _record_sent(writer: sessionmaker[Session], config: RelayConfig,
                 sent: list[relay.ClaimedMail], tally: Tally) -> None:  # fmt: skip
    """Record the mails sent so far in one transaction (a relay killed before this sends them
    again after their lease: at least once, never lost)."""
    if not sent:
        return
    with writer.begin() as session:
        held = relay.record_sent(session, sent, now=config.clock(), keep_secrets=config.keep_secrets)
    tally.sent += held
    tally.lost_claims += len(sent) - held
    sent.clear()


def _record_failure(writer: sessionmaker[Session], config: RelayConfig, claim: relay.ClaimedMail,
                    error: str, permanent: bool, tally: Tally) -> None:  # fmt: skip
    with writer.begin() as session:
        state = relay.record_failure(session, claim, error=error, permanent=permanent,
                                     now=config.clock(), policy=config.policy)  # fmt: skip
    if state is MailState.FAILED:
        tally.failed += 1
    elif state is MailState.QUEUED:
        tally.retrying += 1
    else:
        tally.lost_claims += 1


class RelayThread:
    """The relay in a thread of its own: sends what is due, then waits `poll` seconds or until
    a transaction of this process that queued a mail commits. `stop()` lets the mail in hand
    finish and be recorded, hands the rest of the batch back, and waits a bounded time."""

    def __init__(self, writer: sessionmaker[Session], transport: Callable[[], Transport],
                 config: RelayConfig, *, poll: float = POLL_S) -> None:  # fmt: skip
        self.writer = writer
        self.transport = transport
        self.config = config
        self.poll = poll
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mail-relay", daemon=True)

    def start(self) -> None:
        _listen_for_queued_mail()
        _RELAYS.add(self)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = STOP_WAIT_S) -> bool:
        """Stop and wait at most `timeout` seconds; False if the thread was still sending."""
        self._stopping.set()
        self._wake.set()
        _RELAYS.discard(self)
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("mail relay still busy after %.0f s; its claims run out on their own", timeout)
            return False
        return True

    def _run(self) -> None:
        lower_priority()  # the pages get a core first (services/core/step_aside.py)
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                tally = send_due(self.writer, self.transport(), self.config, self._stopping.is_set)
            except Exception as error:  # noqa: BLE001 - the thread lives on; the mails wait
                log.warning("mail relay: %s; trying again in %.0f s", type(error).__name__, self.poll)
            else:
                if tally:
                    log.info("mail relay: %s", tally.describe())
            self._wake.wait(self.poll)


_RELAYS: set[RelayThread] = set()


def wake_relays() -> None:
    """Wake this process's relays (a transaction that queued mail just committed)."""
    for relay_thread in list(_RELAYS):
        relay_thread.wake()


def _listen_for_queued_mail() -> None:
    if event.contains(Session, "after_flush", _noted):
        return
    event.listen(Session, "after_flush", _noted)
    event.listen(Session, "after_commit", _committed)
    event.listen(Session, "after_soft_rollback", _rolled_back)


def _noted(session: Session, _context: Any) -> None:
    if any(isinstance(row, OutboxMail) for row in session.new):
        session.info[QUEUED_FLAG] = True


def _committed(session: Session) -> None:
    if session.info.pop(QUEUED_FLAG, False):
        wake_relays()


def _rolled_back(session: Session, _previous: Any) -> None:
    session.info.pop(QUEUED_FLAG, None)
