"""Relays in several threads (as in several processes: each has its own connections) share one
queue; the relay thread of an app process wakes when mail is queued and stops cleanly."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from models import OutboxMail
from models.base import utcnow
from services.mail import outbox, templates
from services.mail.sending import RelayThread, Tally, send_due
from tests.mail.conftest import Clock, SmtpServer, config

MAILS = 300


def test_two_relays_at_once_send_each_mail_exactly_once(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    with writer.begin() as session:
        ids = [outbox.queue(session, kind=templates.Kind.MANAGE_LINK, recipient=f"m{n}@example.org",
                            values={"token": f"t{n}"}, now=clock.now) for n in range(MAILS)]  # fmt: skip
    tallies: list[Tally] = []
    start = threading.Barrier(2)

    def relay() -> None:
        start.wait()
        tallies.append(send_due(writer, smtp_server.transport(), config(clock, batch=10)))

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    received = Counter(smtp_server.inbox.message_ids())
    assert len(received) == MAILS
    assert set(received.values()) == {1}
    assert sorted(tally.sent for tally in tallies) != [0, MAILS]  # both relays did their share
    assert sum(tally.sent for tally in tallies) == MAILS
    with writer() as session:
        assert outbox.counts(session)[outbox.MailState.SENT] == len(ids)


def test_the_relay_thread_wakes_when_a_mail_is_queued_and_stops_cleanly(
    writer: sessionmaker[Session], smtp_server: SmtpServer
) -> None:
    relay = RelayThread(writer, smtp_server.transport, config(utcnow), poll=60)
    relay.start()
    try:
        time.sleep(0.3)  # its first look found nothing; now it waits up to a minute
        with writer.begin() as session:
            outbox.queue(session, kind=templates.Kind.TEST, recipient="ada@example.org", values={},
                         now=utcnow())  # fmt: skip
        assert len(smtp_server.inbox.wait_for(1, timeout=10)) == 1
    finally:
        started = time.monotonic()
        assert relay.stop(timeout=10)
    assert time.monotonic() - started < 5


def test_a_relay_stopped_mid_batch_leaves_every_mail_sent_or_queued(
    writer: sessionmaker[Session], smtp_server: SmtpServer
) -> None:
    now = utcnow()
    with writer.begin() as session:
        session.execute(insert(OutboxMail), [
            {"kind": "test", "recipient": f"m{n}@example.org", "values": {},
             "message_id": f"<stop-{n}@test>", "state": "queued", "tries": 0, "next_try_at": now,
             "created_at": now} for n in range(200)
        ])  # fmt: skip
    relay = RelayThread(writer, smtp_server.transport, config(utcnow, batch=50))
    relay.start()
    smtp_server.inbox.wait_for(20)
    assert relay.stop(timeout=10)

    with writer() as session:
        counts = outbox.counts(session)
    sent = counts[outbox.MailState.SENT]
    assert 20 <= sent < 200  # it stopped in the middle
    assert counts[outbox.MailState.SENDING] == 0  # nothing half-done: claims were handed back
    assert sent + counts[outbox.MailState.QUEUED] == 200
    assert sent == len(set(smtp_server.inbox.message_ids()))
    assert send_due(writer, smtp_server.transport(), config(Clock(utcnow() + timedelta(seconds=1)))
                    ).sent == 200 - sent  # fmt: skip
