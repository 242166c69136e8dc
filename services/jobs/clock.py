"""The clock: run each due job once, whichever process gets to it first.

A job's row (`scheduled_jobs`) keeps when it is due next, so a restart neither skips nor repeats
a run. A process runs a job only after winning its lease (one UPDATE that succeeds for one
process: the row is due and nobody's lease is running); a process that dies mid-run leaves a
lease that runs out, and the job runs again then. Every job is idempotent (it acts on what is due
when it runs), so a run twice or late after an outage does the right thing once. The next run is
counted from when this one started: after an outage a job runs once, not once per missed turn.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models import ScheduledJob
from models.base import utcnow
from services.core.bulk_rows import rows_changed
from services.core.step_aside import lower_priority

log = logging.getLogger("wan.clock")
LEASE = timedelta(minutes=10)  # longer than any job runs; then another process may take over
RETRY_AFTER_FAILURE = timedelta(minutes=10)
POLL_S = 60.0
STOP_WAIT_S = 15.0


@dataclass(frozen=True)
class JobContext:
    """What a job gets: its own transactions to open, the time it runs at, the app's settings."""

    writer: sessionmaker[Session]
    now: datetime
    settings: Any


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    every: timedelta
    run: Callable[[JobContext], str]  # says what it did, in a few words (the console shows it)


@dataclass(frozen=True)
class JobState:
    """A job as the console shows it."""

    name: str
    label: str
    every: timedelta
    next_run_at: datetime | None
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_outcome: str | None
    last_detail: str | None
    running: bool


def holder_name() -> str:
    """Who holds a lease: this machine, process and a random part (threads of one process differ)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def ensure_jobs(session: Session, jobs: Sequence[Job], *, now: datetime) -> None:
    """A row for every job, due at once the first time (two processes may try: one row wins)."""
    known = set(session.scalars(select(ScheduledJob.name)))
    for job in jobs:
        if job.name in known:
            continue
        try:
            with session.begin_nested():
                session.add(ScheduledJob(name=job.name, next_run_at=now))
        except IntegrityError:
            pass  # another process added it a moment ago


def make_all_due(session: Session, jobs: Sequence[Job], *, now: datetime) -> None:
    """Every job due now (an operator's `--all`); the leases still decide who runs each."""
    ensure_jobs(session, jobs, now=now)
    session.execute(update(ScheduledJob).values(next_run_at=now))


def claim(session: Session, *, name: str, now: datetime, holder: str) -> bool:
    """Take this job's lease if it is due and nobody holds a running lease; True if won."""
    return rows_changed(session.execute(
        update(ScheduledJob)
        .where(ScheduledJob.name == name, ScheduledJob.next_run_at <= now,
               or_(ScheduledJob.lease_until.is_(None), ScheduledJob.lease_until <= now))
        .values(lease_until=now + LEASE, lease_holder=holder, last_started_at=now)
    )) == 1  # fmt: skip


def finish(session: Session, *, name: str, holder: str, now: datetime, outcome: str,
           detail: str, next_run_at: datetime) -> bool:  # fmt: skip
    """Record the run and give the lease back (only while this holder still holds it)."""
    return rows_changed(session.execute(
        update(ScheduledJob)
        .where(ScheduledJob.name == name, ScheduledJob.lease_holder == holder)
        .values(lease_until=None, lease_holder=None, last_finished_at=now, last_outcome=outcome,
                last_detail=detail[:300], next_run_at=next_run_at)
    )) == 1  # fmt: skip


def run_due(
    writer: sessionmaker[Session], jobs: Sequence[Job], *, clock: Callable[[], datetime],
    holder: str, settings: Any = None, stopping: Callable[[], bool] = lambda: False,
) -> dict[str, str]:  # fmt: skip
    """Run every job that is due and whose lease this holder wins; what each said (by name)."""
    with writer.begin() as session:
        ensure_jobs(session, jobs, now=clock())
    ran: dict[str, str] = {}
    for job in jobs:
        if stopping():
            break
        started = clock()
        with writer.begin() as session:
            if not claim(session, name=job.name, now=started, holder=holder):
                continue
        try:
            detail, outcome, wait = job.run(JobContext(writer, started, settings)), "done", job.every
        except Exception as error:  # noqa: BLE001 - recorded; the job is tried again soon
            log.warning("job %s failed: %s", job.name, type(error).__name__)
            detail, outcome = f"Failed: {type(error).__name__}", "failed"
            wait = min(job.every, RETRY_AFTER_FAILURE)
        with writer.begin() as session:
            finish(session, name=job.name, holder=holder, now=clock(), outcome=outcome,
                   detail=detail, next_run_at=started + wait)  # fmt: skip
        ran[job.name] = detail
    return ran


def job_states(session: Session, jobs: Sequence[Job], *, now: datetime | None = None) -> list[JobState]:
    """Every job with its last run, its outcome and its next one, in the catalogue's order."""
    now = now or utcnow()
    rows = {row.name: row for row in session.scalars(select(ScheduledJob))}
    states = []
    for job in jobs:
        row = rows.get(job.name)
        states.append(JobState(
            job.name, job.label, job.every, row.next_run_at if row else None,
            row.last_started_at if row else None, row.last_finished_at if row else None,
            row.last_outcome if row else None, row.last_detail if row else None,
            bool(row and row.lease_until and row.lease_until > now),
        ))  # fmt: skip
    return states


class ClockThread:
    """The clock in a thread of every app process: runs what is due, then waits `poll` seconds.
    `stop()` lets the job in hand finish and waits a bounded time (a job cut short is run again
    when its lease runs out)."""

    def __init__(self, writer: sessionmaker[Session], jobs: Sequence[Job], *,
                 clock: Callable[[], datetime], settings: Any = None, poll: float = POLL_S) -> None:  # fmt: skip
        self.writer, self.jobs, self.clock, self.settings, self.poll = writer, jobs, clock, settings, poll
        self.holder = holder_name()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="clock", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = STOP_WAIT_S) -> bool:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        lower_priority()  # the pages get a core first (services/core/step_aside.py)
        while not self._stopping.is_set():
            try:
                ran = run_due(self.writer, self.jobs, clock=self.clock, holder=self.holder,
                              settings=self.settings, stopping=self._stopping.is_set)  # fmt: skip
            except Exception as error:  # noqa: BLE001 - the database may be away: try later
                log.warning("clock: %s; trying again in %.0f s", type(error).__name__, self.poll)
            else:
                if ran:
                    log.info("clock ran %s", ", ".join(sorted(ran)))
            self._stopping.wait(self.poll)
