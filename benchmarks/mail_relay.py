"""How fast one relay empties a full outbox: `python -m benchmarks.mail_relay`.

Each run queues --mails mails (10,000 by default) at once into a fresh database (a SQLite file
under a temporary folder, or with --database-url a new schema of that PostgreSQL database,
dropped afterwards), starts a local SMTP server (aiosmtpd on a free loopback port, in a process
of its own so it doesn't share the relay's interpreter), and times one relay (the one the app's
lifespan starts, services/mail/sending.py) from its start until the server has received every
mail and every outcome is recorded. Prints each run and the median of --runs runs.
Target: under a minute for 10,000 mails.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.directory import postgres_schema_url
from models import OutboxMail
from models.base import utcnow
from models.db import make_engine, make_session_factories, migrate
from services.mail import templates
from services.mail.sending import RelayConfig, send_due
from services.mail.transport import SmtpTransport, parse_smtp_url

FRAME = templates.Frame(site_url="https://mentors.example.org", sender="Mentors <m@example.org>")
# The SMTP server: counts what it receives, one line per message on stdout.
SERVER = """
import asyncio, sys
from aiosmtpd.controller import Controller
class Count:
    async def handle_DATA(self, server, session, envelope):
        sys.stdout.write("m\\n"); sys.stdout.flush()
        return "250 OK"
controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
sys.stdout.write("ready\\n"); sys.stdout.flush()
sys.stdin.read()
controller.stop()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def fresh_database(database_url: str | None, folder: Path) -> Iterator[sessionmaker[Session]]:
    if not database_url:
        engine = make_engine(f"sqlite:///{folder / f'{uuid.uuid4().hex}.sqlite3'}")
        migrate(engine)
        yield make_session_factories(engine)[1]
        engine.dispose()
        return
    schema = f"bench_mail_{uuid.uuid4().hex[:10]}"
    admin = make_engine(database_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(postgres_schema_url(database_url, schema))
    try:
        migrate(engine)
        yield make_session_factories(engine)[1]
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def smtp_server() -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = free_port()
    # A session of its own: a Ctrl+C in the terminal reaches us, and we stop it.
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdin=subprocess.PIPE,  # noqa: S603
                              stdout=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    try:
        if server.stdout is None or server.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP server didn't start")
        yield port, server
    finally:
        if server.stdin:
            server.stdin.close()  # it stops when its stdin closes
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def queue_all(writer: sessionmaker[Session], count: int) -> None:
    """`count` link mails, as outbox.queue writes them, in one transaction (not timed)."""
    now = utcnow()
    rows = [{"kind": templates.Kind.MANAGE_LINK.value, "recipient": f"mentor{n}@example.org",
             "values": {"token": uuid.uuid4().hex}, "message_id": f"<{uuid.uuid4().hex}@bench>",
             "state": "queued", "tries": 0, "next_try_at": now, "created_at": now}
            for n in range(count)]  # fmt: skip
    with writer.begin() as session:
        session.execute(insert(OutboxMail), rows)


def one_run(database_url: str | None, count: int, batch: int) -> float:
    with tempfile.TemporaryDirectory() as folder, fresh_database(database_url, Path(folder)) as writer:
        queue_all(writer, count)
        with smtp_server() as (port, server):
            transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}"))
            config = RelayConfig(frame=FRAME, keep_secrets=False, batch=batch)
            started = time.perf_counter()
            tally = send_due(writer, transport, config)
            elapsed = time.perf_counter() - started
            if server.stdin:
                server.stdin.close()  # the server stops; what it counted follows
            received = sum(1 for line in server.stdout or [] if line.strip() == "m")
        with writer() as session:
            sent = session.scalar(select(func.count()).where(OutboxMail.state == "sent"))
    if not (tally.sent == sent == received == count):
        raise RuntimeError(f"expected {count} sent once: relay {tally.sent}, rows {sent}, "
                           f"received {received}")  # fmt: skip
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mail_relay", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--mails", type=int, default=10_000, help="mails queued at once (10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs; the median is printed (3)")
    parser.add_argument("--batch", type=int, default=RelayConfig.batch, help="mails per claim")
    parser.add_argument("--database-url", help="PostgreSQL (a schema of its own); default SQLite")
    args = parser.parse_args(argv)
    database = "PostgreSQL" if args.database_url else "SQLite"
    times = []
    for run in range(1, args.runs + 1):
        times.append(one_run(args.database_url, args.mails, args.batch))
        print(f"run {run}: {args.mails:,} mails in {times[-1]:.1f} s "
              f"({args.mails / times[-1]:,.0f}/s)", flush=True)  # fmt: skip
    median = statistics.median(times)
    print(f"{database}, {args.mails:,} mails, batch {args.batch}: median {median:.1f} s over "
          f"{args.runs} runs ({args.mails / median:,.0f} mails/s); target under 60 s")  # fmt: skip


if __name__ == "__main__":
    main()
