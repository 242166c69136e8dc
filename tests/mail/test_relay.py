"""The relay against a real SMTP server: what arrives, what is retried, what is given up on."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from services.core.step_aside import (
    BACKGROUND_NICENESS,
    MAX_REST_S,
    MAX_WAIT_S,
    StepAside,
    foreground,
    lower_priority,
    reruns_running,
)
from services.mail import outbox, relay, templates
from services.mail.sending import send_due
from services.mail.transport import SmtpTransport, parse_smtp_url
from tests.conftest import NOW
from tests.mail.conftest import FRAME, Clock, SmtpServer, config, free_port, mail_row, queue_link


def test_a_queued_mail_arrives_once_with_its_headers_and_link(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    mail_id = queue_link(writer, "ada@example.org", "tok-en/1")
    message_id = mail_row(writer, mail_id).message_id

    tally = send_due(writer, smtp_server.transport(), config(clock))
    send_due(writer, smtp_server.transport(), config(clock))  # nothing is due any more

    assert tally.sent == 1
    [received] = smtp_server.inbox.messages
    assert received["Message-ID"] == message_id
    assert received["From"] == FRAME.sender
    assert received["To"] == "ada@example.org"
    assert received["X-Envelope-To"] == "ada@example.org"
    assert received["Subject"] == "Your link to manage your listing"
    assert "https://mentors.example.org/manage-link?token=tok-en%2F1" in received.get_content()
    row = mail_row(writer, mail_id)
    assert (row.state, row.tries, row.sent_at) == ("sent", 1, NOW)
    assert row.values == {"token": ""}  # the link is blanked once it is out


def test_the_local_sample_setup_keeps_the_link_for_its_console(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    mail_id = queue_link(writer, "ada@example.org", "kept")
    send_due(writer, smtp_server.transport(), config(clock, keep_secrets=True))
    assert mail_row(writer, mail_id).values == {"token": "kept"}
    assert len(smtp_server.inbox.messages) == 1


def test_a_transaction_that_rolls_back_sends_nothing(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    with pytest.raises(RuntimeError), writer.begin() as session:
        outbox.queue(session, kind=templates.Kind.MANAGE_LINK, recipient="ada@example.org",
                     values={"token": "never"}, now=NOW)  # fmt: skip
        raise RuntimeError("the sign-up failed after the mail was queued")

    tally = send_due(writer, smtp_server.transport(), config(clock))

    assert not tally
    assert smtp_server.inbox.attempts == 0
    with writer() as session:
        assert sum(outbox.counts(session).values()) == 0


def test_a_server_that_refuses_for_now_is_retried_with_growing_waits_then_given_up(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    smtp_server.inbox.always = "451 4.3.0 Mailbox busy, try later"
    mail_id = queue_link(writer, "ada@example.org", "t")
    waits = []
    for _try in range(3):
        tally = send_due(writer, smtp_server.transport(), config(clock))
        assert tally.retrying == 1
        row = mail_row(writer, mail_id)
        assert row.state == "queued"
        waits.append(row.next_try_at - clock.now)
        assert not send_due(writer, smtp_server.transport(), config(clock))  # not due yet
        clock.advance(waits[-1])

    tally = send_due(writer, smtp_server.transport(), config(clock))  # the 4th and last try

    assert waits[0] >= timedelta(minutes=1)
    assert waits[0] < waits[1] < waits[2]
    assert tally.failed == 1
    assert smtp_server.inbox.attempts == 4
    row = mail_row(writer, mail_id)
    assert (row.state, row.tries) == ("failed", 4)
    with writer() as session:
        [failed] = outbox.failed(session)
    assert failed.id == mail_id
    assert "451 4.3.0 Mailbox busy" in (failed.last_error or "")


def test_a_permanent_refusal_fails_the_mail_at_once(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    smtp_server.inbox.always = "550 5.1.1 No such mailbox"
    mail_id = queue_link(writer, "nobody@example.org", "t")

    tally = send_due(writer, smtp_server.transport(), config(clock))

    assert tally.failed == 1
    row = mail_row(writer, mail_id)
    assert (row.state, row.tries) == ("failed", 1)
    assert "550 5.1.1 No such mailbox" in (row.last_error or "")


def test_a_dropped_connection_is_retried_and_the_rest_of_the_batch_still_goes(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    smtp_server.inbox.plan = ["drop"]
    first = queue_link(writer, "ada@example.org", "a")
    queue_link(writer, "bo@example.org", "b")
    queue_link(writer, "cy@example.org", "c")

    tally = send_due(writer, smtp_server.transport(), config(clock))

    assert (tally.sent, tally.retrying) == (2, 1)
    assert "connection dropped" in (mail_row(writer, first).last_error or "")
    clock.advance(timedelta(minutes=2))
    assert send_due(writer, smtp_server.transport(), config(clock)).sent == 1
    recipients = sorted(str(m["To"]) for m in smtp_server.inbox.messages)
    assert recipients == ["ada@example.org", "bo@example.org", "cy@example.org"]


def test_a_server_that_cannot_be_reached_leaves_the_mail_to_be_retried(
    writer: sessionmaker[Session], clock: Clock
) -> None:
    mail_id = queue_link(writer, "ada@example.org", "t")
    nobody = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{free_port()}?timeout=2"))

    tally = send_due(writer, nobody, config(clock))

    assert tally.retrying == 1
    row = mail_row(writer, mail_id)
    assert row.state == "queued"
    assert "connection refused" in (row.last_error or "")


def test_a_relay_that_dies_after_claiming_loses_no_mail(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    mail_id = queue_link(writer, "ada@example.org", "t")
    with writer.begin() as session:  # a relay claims the mail, then is killed: nothing recorded
        [dead_claim] = relay.claim_due(session, now=NOW, limit=10, lease=timedelta(minutes=5))

    assert not send_due(writer, smtp_server.transport(), config(clock))  # held by the claim
    clock.advance(timedelta(minutes=5))
    assert send_due(writer, smtp_server.transport(), config(clock)).sent == 1

    assert smtp_server.inbox.message_ids() == [dead_claim.message_id]
    with writer.begin() as session:  # the dead relay's late word changes nothing
        assert relay.record_failure(session, dead_claim, error="late", permanent=True, now=NOW,
                                    policy=relay.RetryPolicy()) is None  # fmt: skip
    assert mail_row(writer, mail_id).state == "sent"


def test_a_relay_that_stops_mid_batch_hands_the_rest_back(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    ids = [queue_link(writer, f"p{n}@example.org", "t") for n in range(5)]

    def stopping() -> bool:
        return len(smtp_server.inbox.messages) >= 2

    tally = send_due(writer, smtp_server.transport(), config(clock), stopping)

    assert (tally.sent, tally.handed_back) == (2, 3)
    rows = [mail_row(writer, mail_id) for mail_id in ids]
    assert [row.state for row in rows] == ["sent", "sent", "queued", "queued", "queued"]
    assert [row.tries for row in rows[2:]] == [0, 0, 0]  # a try handed back is not counted
    assert send_due(writer, smtp_server.transport(), config(clock)).sent == 3


def test_a_server_that_says_421_and_closes_gets_the_rest_of_the_batch_on_a_new_connection(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    smtp_server.inbox.plan = ["421 4.7.0 Too busy, closing the connection"]
    first = queue_link(writer, "ada@example.org", "a")
    queue_link(writer, "bo@example.org", "b")

    tally = send_due(writer, smtp_server.transport(), config(clock))

    assert (tally.sent, tally.retrying) == (1, 1)
    assert "421 4.7.0 Too busy" in (mail_row(writer, first).last_error or "")
    assert [str(m["To"]) for m in smtp_server.inbox.messages] == ["bo@example.org"]


def _work(seconds: float) -> None:
    """Use this much CPU in the calling thread."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_background_work_rests_only_while_other_threads_of_its_process_work() -> None:
    courtesy = StepAside(4.0)
    _work(0.02)  # the background thread's own work: no rest for that (a stray thread of the
    assert courtesy.rest() < 0.01  # test process may still tick meanwhile)

    page = threading.Thread(target=_work, args=(0.01,))  # a page's rerun, meanwhile
    page.start()
    page.join()
    started = time.monotonic()
    rested = courtesy.rest()
    assert 0.03 <= rested <= MAX_REST_S  # 4x its CPU, capped
    assert rested <= time.monotonic() - started < MAX_REST_S + 0.05

    never = StepAside(0)  # the relay's step_aside=0
    page = threading.Thread(target=_work, args=(0.01,))
    page.start()
    page.join()
    assert never.rest() == 0.0


def test_background_work_waits_for_a_rerun_under_way_and_goes_on_when_it_ends() -> None:
    courtesy = StepAside(4.0)
    started = threading.Event()
    finish = threading.Event()

    def rerun() -> None:
        with foreground():
            started.set()
            finish.wait(5)

    page = threading.Thread(target=rerun)
    page.start()
    started.wait(5)
    threading.Timer(0.1, finish.set).start()  # the rerun ends after 0.1 s
    before = time.monotonic()
    courtesy.rest()
    waited = time.monotonic() - before
    page.join()
    assert 0.08 <= waited < MAX_WAIT_S  # until the rerun ended, not the longest wait
    assert reruns_running() == 0


def test_background_work_is_slowed_never_stopped_by_reruns_without_a_break() -> None:
    courtesy = StepAside(4.0)
    with foreground():  # a rerun that doesn't end while the step rests
        before = time.monotonic()
        courtesy.rest()
        waited = time.monotonic() - before
        assert StepAside(0).rest() == 0.0  # step_aside=0: never waits, even for a rerun
    assert MAX_WAIT_S - 0.01 <= waited < MAX_WAIT_S + 0.1
    assert reruns_running() == 0


def test_a_failed_rerun_is_not_counted_as_running_any_more() -> None:
    with pytest.raises(RuntimeError), foreground():
        assert reruns_running() == 1
        raise RuntimeError("the page failed")
    assert reruns_running() == 0


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="threads have no nice value of their own here")
def test_background_threads_ask_the_system_for_less_cpu_than_the_pages() -> None:
    seen: list[int | None] = []
    worker = threading.Thread(target=lambda: seen.append(lower_priority()))
    worker.start()
    worker.join()
    pages = os.getpriority(os.PRIO_PROCESS, 0)  # this thread, a page's, keeps the process's
    assert seen == [min(19, pages + BACKGROUND_NICENESS)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == pages
