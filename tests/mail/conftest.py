"""Mail tests: a real SMTP server (aiosmtpd) on a free loopback port, which accepts, refuses for
now (4xx), refuses for good (5xx) or drops the connection mid-message; and a fresh migrated
database per module (SQLite, and PostgreSQL with TEST_DATABASE_URL) whose rows really commit,
because a relay reads only what other transactions committed."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from models import OutboxMail
from models.db import make_session_factories
from services.mail import outbox, templates
from services.mail.relay import RetryPolicy
from services.mail.sending import RelayConfig
from services.mail.transport import SmtpTransport, parse_smtp_url
from tests.conftest import DATABASES, NOW, migrated_database

HANG_S = 4.0
FRAME = templates.Frame(site_url="https://mentors.example.org", sender="Mentors <mentors@example.org>")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Inbox:
    """What the SMTP server received, and what it does with the next messages: `plan` holds
    one step per message to come ("drop", "hang" (answer only after a few seconds), or an
    answer such as "451 4.3.0 Try later"); `always` answers every message once the plan is used
    up (None: accept)."""

    messages: list[EmailMessage] = field(default_factory=list)
    attempts: int = 0
    plan: list[str | None] = field(default_factory=list)
    always: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.attempts += 1
            step = self.plan.pop(0) if self.plan else self.always
        if step == "hang":
            await asyncio.sleep(HANG_S)
            step = None
        if step == "drop":
            server.transport.abort()  # the connection goes in the middle of the message
            return "250 never heard"
        if step:
            return step
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)


@dataclass
class SmtpServer:
    inbox: Inbox
    port: int

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=5"

    def transport(self) -> SmtpTransport:
        return SmtpTransport(parse_smtp_url(self.url))


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    for _attempt in range(3):  # another process may take the free port first
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        try:
            controller.start()
        except (OSError, RuntimeError):
            continue
        try:
            yield SmtpServer(inbox, port)
        finally:
            controller.stop()
        return
    pytest.fail("no free port for the SMTP server")


@pytest.fixture(scope="module", params=DATABASES)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sessionmaker[Session]]:
    with migrated_database(request.param, tmp_path_factory.mktemp("mail_db")) as engine:
        yield make_session_factories(engine)[1]


@pytest.fixture
def writer(database: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """The module's database, with an empty outbox for each test."""
    with database.begin() as session:
        session.execute(delete(OutboxMail))
    yield database


class Clock:
    """The relay's idea of now, moved by the test."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


def config(clock: Callable[[], datetime], **overrides: Any) -> RelayConfig:
    values: dict[str, Any] = {"frame": FRAME, "keep_secrets": False, "clock": clock,
                              "policy": RetryPolicy(first_wait=timedelta(minutes=1), tries=4)}  # fmt: skip
    values.update(overrides)
    return RelayConfig(**values)


def queue_link(writer: sessionmaker[Session], recipient: str, token: str, *,
               now: datetime = NOW) -> int:  # fmt: skip
    """A committed mail with a link in it (the manage-my-listing link)."""
    with writer.begin() as session:
        return outbox.queue(session, kind=templates.Kind.MANAGE_LINK, recipient=recipient,
                            values={"token": token}, now=now)  # fmt: skip


def mail_row(writer: sessionmaker[Session], mail_id: int) -> OutboxMail:
    with writer() as session:
        return session.scalars(select(OutboxMail).where(OutboxMail.id == mail_id)).one()

