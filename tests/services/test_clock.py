"""The clock: a job runs when due, once at a time across processes, keeps its due time across
restarts, runs once after an outage, and is tried again soon after a failure."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import OutboxMail, ScheduledJob
from services.jobs.clock import (
    LEASE,
    RETRY_AFTER_FAILURE,
    Job,
    JobContext,
    claim,
    job_states,
    run_due,
)
from tests.conftest import NOW


class Counting:
    """A job that counts its runs (and can be made to fail or to take a while)."""

    def __init__(self, *, fails: bool = False, takes: float = 0.0) -> None:
        self.runs: list[datetime] = []
        self.fails, self.takes = fails, takes
        self.lock = threading.Lock()

    def __call__(self, context: JobContext) -> str:
        with self.lock:
            self.runs.append(context.now)
        if self.takes:
            threading.Event().wait(self.takes)
        if self.fails:
            raise RuntimeError("the database went away")
        return f"run {len(self.runs)}"


def at(moment: datetime):  # noqa: ANN201 - a clock that says `moment`
    return lambda: moment


def row(writer: sessionmaker[Session], name: str) -> ScheduledJob:
    with writer() as session:
        return session.get_one(ScheduledJob, name)


def test_a_new_job_runs_at_once_then_not_again_until_it_is_due(writer: sessionmaker[Session]) -> None:
    work = Counting()
    jobs = [Job("tidy", "Tidy up", timedelta(hours=1), work)]
    assert run_due(writer, jobs, clock=at(NOW), holder="a") == {"tidy": "run 1"}
    assert run_due(writer, jobs, clock=at(NOW + timedelta(minutes=59)), holder="a") == {}
    assert run_due(writer, jobs, clock=at(NOW + timedelta(hours=1)), holder="b") == {"tidy": "run 2"}
    saved = row(writer, "tidy")
    assert (saved.last_outcome, saved.last_detail, saved.lease_holder) == ("done", "run 2", None)
    assert saved.next_run_at == NOW + timedelta(hours=2)


def test_after_an_outage_a_job_runs_once_not_once_per_missed_turn(writer: sessionmaker[Session]) -> None:
    work = Counting()
    jobs = [Job("tidy", "Tidy up", timedelta(hours=1), work)]
    run_due(writer, jobs, clock=at(NOW), holder="a")
    back = NOW + timedelta(days=3)  # the app was down for three days
    run_due(writer, jobs, clock=at(back), holder="a")
    run_due(writer, jobs, clock=at(back), holder="b")  # a restart: the due time is in the database
    assert work.runs == [NOW, back]
    assert row(writer, "tidy").next_run_at == back + timedelta(hours=1)


def test_two_processes_racing_for_a_due_job_run_it_once(writer: sessionmaker[Session]) -> None:
    work = Counting(takes=0.3)
    jobs = [Job("tidy", "Tidy up", timedelta(hours=1), work)]
    with writer.begin() as session:
        session.add(ScheduledJob(name="tidy", next_run_at=NOW))
    barrier = threading.Barrier(4)

    def process(name: str) -> None:
        barrier.wait()
        run_due(writer, jobs, clock=at(NOW), holder=name)

    threads = [threading.Thread(target=process, args=(f"p{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert work.runs == [NOW]


def test_a_job_whose_process_died_runs_again_once_its_lease_runs_out(writer: sessionmaker[Session]) -> None:
    work = Counting()
    jobs = [Job("tidy", "Tidy up", timedelta(hours=1), work)]
    with writer.begin() as session:
        session.add(ScheduledJob(name="tidy", next_run_at=NOW))
        assert claim(session, name="tidy", now=NOW, holder="died")  # ... and never finished
    assert run_due(writer, jobs, clock=at(NOW + LEASE - timedelta(seconds=1)), holder="b") == {}
    assert run_due(writer, jobs, clock=at(NOW + LEASE), holder="b") == {"tidy": "run 1"}


def test_a_failing_job_is_recorded_and_tried_again_soon(writer: sessionmaker[Session]) -> None:
    jobs = [Job("tidy", "Tidy up", timedelta(days=1), Counting(fails=True))]
    assert run_due(writer, jobs, clock=at(NOW), holder="a") == {"tidy": "Failed: RuntimeError"}
    saved = row(writer, "tidy")
    assert (saved.last_outcome, saved.next_run_at) == ("failed", NOW + RETRY_AFTER_FAILURE)
    with writer() as session:
        [state] = job_states(session, jobs, now=NOW)
    assert (state.last_outcome, state.running, state.next_run_at) == ("failed", False, NOW + RETRY_AFTER_FAILURE)


def test_the_console_sees_a_job_that_is_running(writer: sessionmaker[Session]) -> None:
    jobs = [Job("tidy", "Tidy up", timedelta(hours=1), Counting())]
    with writer.begin() as session:
        session.add(ScheduledJob(name="tidy", next_run_at=NOW))
        claim(session, name="tidy", now=NOW, holder="a")
    with writer() as session:
        assert [s.running for s in job_states(session, jobs, now=NOW)] == [True]
        assert session.scalar(select(ScheduledJob.lease_holder)) == "a"


def test_one_run_of_the_freshness_job_asks_every_due_listing_batch_by_batch(
    writer: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.jobs import catalogue
    from services.listings import freshness
    from services.mail.templates import Kind
    from tests.factories import sign_up

    monkeypatch.setattr(freshness, "ASK_BATCH", 2)  # 5 due listings: 3 batches in one run
    with writer.begin() as session:
        for n in range(5):
            sign_up(session, email=f"quiet{n}@example.org", now=NOW - timedelta(days=100))
        sign_up(session, email="fresh@example.org", now=NOW - timedelta(days=10))
    said = catalogue._freshness(JobContext(writer, NOW, None))
    assert said == "Asked 5 mentors whether they are still available; paused 0 unanswered."
    with writer() as session:
        asked = session.scalars(select(OutboxMail.recipient).where(
            OutboxMail.kind == Kind.STILL_AVAILABLE.value)).all()  # fmt: skip
    assert sorted(asked) == [f"quiet{n}@example.org" for n in range(5)]
    assert catalogue._freshness(JobContext(writer, NOW, None)).startswith("Asked 0 mentors")
