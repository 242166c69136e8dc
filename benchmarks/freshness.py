"""The clock's freshness job at scale: `python -m benchmarks.freshness`.

Fills a fresh database (SQLite, and with --postgres-url a fresh PostgreSQL schema, dropped at the
end) with --mentors made-up mentors who are not marked as sample data (the clock leaves sample
data alone), each of whom last confirmed being available evenly over the last 100 days: a tenth
of them are past 90 days and due a "still available?" mail. Then:

1. The job alone (services/jobs/catalogue.py, as the clock runs it): how long one run takes to
   ask every due listing (target < 30 s on each database), checked against the mails it queued.
2. The job under load (SQLite unless --load-postgres): the app as benchmarks.server_load starts
   it (`python -m commands.serve`, one process, MAIL_DIR mail), --sessions paced sessions on
   Find a mentor, phases A (nothing due) and B (the job made due: the app's own clock runs it
   within its poll, and its relay writes the mails) taking turns, A B A B, replaying the same
   clicks. For B, the changes clicked while the job ran (from its start to its end, as the
   scheduled_jobs row records them) are compared with A's: p95 B/A, target <= 1.2x.

Everything it starts is stopped on the way out. Not a pytest test: a script, printing a table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from benchmarks import report, servers
from benchmarks.directory import postgres_schema, prepare
from benchmarks.load import LevelResult, open_sessions, run_level
from benchmarks.mail_under_load import ms, p50, p95
from benchmarks.server_load import APP, versions, warm_up
from models import ListingLink, Mentor, OutboxMail, ScheduledJob
from models.base import utcnow
from models.db import make_engine, make_session_factories, migrate
from services.jobs.catalogue import JOBS
from services.jobs.clock import JobContext, ensure_jobs
from services.listings.code_of_conduct import current_code
from services.listings.links import Purpose
from services.mail.templates import Kind
from services.samples.freshness import spread_confirmations
from services.samples.mentors import insert_sample_mentors

JOB_TARGET_S = 30.0
P95_RATIO_TARGET = 1.2
SPREAD = timedelta(days=100)  # confirmations evenly over 100 days: a tenth past 90
FRESHNESS = next(job for job in JOBS if job.name == "freshness")
MAX_SECONDS = 300.0


def fill(url: str, mentors: int, seed: int, now: datetime) -> float:
    """Migrate, fill and prepare; seconds the fill took."""
    engine = make_engine(url)
    try:
        migrate(engine)
        writer = make_session_factories(engine)[1]
        started = time.perf_counter()
        with writer.begin() as session:
            insert_sample_mentors(session, count=mentors, code=current_code(), now=now, seed=seed,
                                  marked=False)  # fmt: skip
        with writer.begin() as session:
            spread_confirmations(session, now=now, within=SPREAD, seed=seed)
        with writer.begin() as session:  # the clock's rows, none due: B makes the freshness job due
            ensure_jobs(session, JOBS, now=now)
            session.execute(update(ScheduledJob).values(next_run_at=now + timedelta(days=1)))
        seconds = time.perf_counter() - started
        prepare(engine, [])
        return seconds
    finally:
        engine.dispose()


def asked(writer: sessionmaker[Session]) -> int:
    with writer() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxMail)
                                  .where(OutboxMail.kind == Kind.STILL_AVAILABLE.value)) or 0)  # fmt: skip


def forget_the_asks(writer: sessionmaker[Session]) -> None:
    """Back to before the job ran: no still-available link, no mail (so the same listings are due)."""
    with writer.begin() as session:
        session.execute(delete(ListingLink).where(ListingLink.purpose == Purpose.STILL_AVAILABLE.value))
        session.execute(delete(OutboxMail))


def due_listings(engine: Engine, now: datetime) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Mentor).where(
            Mentor.status == "listed", Mentor.available_confirmed_at < now - timedelta(days=90))) or 0)  # fmt: skip


def time_the_job(kind: str, url: str, now: datetime, repeats: int) -> list[str]:
    """The job alone, `repeats` times (the asks forgotten in between); lines to print."""
    engine = make_engine(url)
    writer = make_session_factories(engine)[1]
    due = due_listings(engine, now)
    seconds: list[float] = []
    try:
        for _ in range(repeats):
            forget_the_asks(writer)
            started = time.perf_counter()
            said = FRESHNESS.run(JobContext(writer, now, None))
            seconds.append(time.perf_counter() - started)
            if asked(writer) != due:
                raise RuntimeError(f"{kind}: {due:,} due, {asked(writer):,} asked ({said})")
        forget_the_asks(writer)
    finally:
        engine.dispose()
    median = statistics.median(seconds)
    return [f"| {kind} | {due:,} | {', '.join(f'{s:.1f}' for s in seconds)} | {median:.1f} | "
            f"{'met' if median < JOB_TARGET_S else 'NOT met'} |"]  # fmt: skip


@dataclass
class Phase:
    kind: str
    round: int
    result: LevelResult
    job_s: float | None = None
    during: list[float] = field(default_factory=list)  # B: changes clicked while the job ran


def make_due(writer: sessionmaker[Session]) -> None:
    with writer.begin() as session:
        session.execute(update(ScheduledJob).where(ScheduledJob.name == "freshness")
                        .values(next_run_at=utcnow() - timedelta(seconds=1)))  # fmt: skip


def job_window(writer: sessionmaker[Session]) -> tuple[datetime | None, datetime | None, str]:
    with writer() as session:
        row = session.get_one(ScheduledJob, "freshness")
        return row.last_started_at, row.last_finished_at, row.last_detail or ""


async def one_phase(kind: str, round_: int, app: servers.Servers, writer: sessionmaker[Session],
                    args: argparse.Namespace) -> Phase:  # fmt: skip
    seed = 1 + 100 * round_
    forget_the_asks(writer)
    pairs = await open_sessions(app.ports, args.sessions, APP, seed)
    offset = time.time() - time.perf_counter()  # wall clock -> perf_counter
    try:
        if kind == "B":
            make_due(writer)
        result = await run_level(pairs, app.processes, seconds=args.seconds if kind == "A" else args.b_seconds,
                                 interval=args.interval, with_db_cpu=False, arrivals="random", seed=seed)  # fmt: skip
    finally:
        await asyncio.gather(*(s.close() for s, _ in pairs), return_exceptions=True)
    phase = Phase(kind, round_, result)
    if kind == "B":
        started, finished, detail = job_window(writer)
        if started and finished and finished > started:
            begin, end = started.timestamp() - offset, finished.timestamp() - offset
            phase.job_s = end - begin
            phase.during = [lat for lat, click in zip(result.latencies, result.clicks, strict=True)
                            if begin <= click <= end]  # fmt: skip
        print(f"            job: {detail or 'did not run'}", flush=True)
    return phase


async def run_phases(app: servers.Servers, writer: sessionmaker[Session],
                     args: argparse.Namespace) -> list[Phase]:  # fmt: skip
    await warm_up(app.ports, APP)
    phases = []
    for round_ in range(1, args.rounds + 1):
        for kind in ("A", "B"):
            phase = await one_phase(kind, round_, app, writer, args)
            phases.append(phase)
            r = phase.result
            job = "" if phase.job_s is None else (f"  job ran {phase.job_s:.1f} s; changes meanwhile "
                                                  f"n={len(phase.during)} p95 {ms(p95(phase.during))} ms")  # fmt: skip
            print(f"[round {round_}] {kind}  p50 {ms(r.p50):>6s} ms  p95 {ms(r.p95):>6s} ms  n={r.n:<4d}"
                  f"{job}  (load average {os.getloadavg()[0]:.1f})", flush=True)  # fmt: skip
    return phases


def summary(phases: list[Phase]) -> list[str]:
    a = [x for p in phases if p.kind == "A" for x in p.result.latencies]
    during = [x for p in phases if p.kind == "B" for x in p.during]
    ratio = p95(during) / p95(a) if a and during else float("nan")
    return [
        "", "| phase | changes | p50 ms | p95 ms |", "|---|---:|---:|---:|",
        f"| A: nothing due | {len(a)} | {ms(p50(a))} | {ms(p95(a))} |",
        f"| B: clicked while the job ran | {len(during)} | {ms(p50(during))} | {ms(p95(during))} |",
        "", f"- p95 B (while the job ran) / A: {ratio:.2f}x (target <= {P95_RATIO_TARGET}): "
        f"{'met' if ratio <= P95_RATIO_TARGET else 'NOT met'}",
    ]  # fmt: skip


def run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    now = utcnow()
    print(f"# benchmarks.freshness, {args.started:%Y-%m-%d %H:%M %Z}; {versions()}")
    print(f"# {args.mentors:,} mentors, confirmations evenly over the last 100 days; load average "
          f"at start {tuple(round(x, 2) for x in os.getloadavg())}", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench_freshness_") as tmp, ExitStack() as stack:
        sqlite_url = f"sqlite:///{Path(tmp) / 'fresh.sqlite3'}"
        urls = {"SQLite": sqlite_url}
        if args.postgres_url:
            urls["PostgreSQL"] = stack.enter_context(postgres_schema(args.postgres_url))
        for kind, url in urls.items():
            print(f"# filling {kind} ...", flush=True)
            print(f"# filled {kind} in {fill(url, args.mentors, args.seed, now):.0f} s", flush=True)
        lines = ["", "| database | due | seconds per run | median s | < 30 s |", "|---|---:|---|---:|---|"]
        for kind, url in urls.items():
            lines += time_the_job(kind, url, now, args.repeats)
            print(lines[-1], flush=True)
        phases: list[Phase] = []
        if not args.no_load:
            load_kind = "PostgreSQL" if args.load_postgres and "PostgreSQL" in urls else "SQLite"
            url = urls[load_kind]
            print(f"# under load: the app on {load_kind}, {args.sessions} sessions, A {args.seconds:g} s, "
                  f"B {args.b_seconds:g} s, {args.rounds} round(s)", flush=True)  # fmt: skip
            engine = make_engine(url)
            stack.callback(engine.dispose)
            writer = make_session_factories(engine)[1]
            log = Path(tmp) / "servers.log"
            app = stack.enter_context(servers.app_servers(url, 1, args.first_port, log))
            try:
                phases = asyncio.run(run_phases(app, writer, args))
            except BaseException:
                print(f"# the app's log, last lines:\n{log.read_text()[-2000:]}")
                raise
    print("\n".join(lines))
    if phases:
        print("\n".join(summary(phases)))
    print(f"# load average at end {tuple(round(x, 2) for x in os.getloadavg())}; "
          f"took {time.perf_counter() - started:.0f} s")  # fmt: skip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.freshness", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    add = parser.add_argument
    add("--mentors", type=int, default=100_000, help="listings (100000)")
    add("--repeats", type=int, default=3, help="runs of the job alone per database (3)")
    add("--postgres-url", default=os.environ.get("TEST_DATABASE_URL") or None,
        help="also PostgreSQL, in a new schema of this database (default: TEST_DATABASE_URL)")  # fmt: skip
    add("--no-postgres", action="store_true", help="SQLite only")
    add("--no-load", action="store_true", help="the job alone, no sessions")
    add("--load-postgres", action="store_true", help="the load part on PostgreSQL (default SQLite)")
    add("--sessions", type=int, default=25, help="paced sessions (25)")
    add("--seconds", type=float, default=45.0, help="length of each A phase (45)")
    add("--b-seconds", type=float, default=120.0,
        help="length of each B phase: the clock polls every 60 s, then the job runs (120)")  # fmt: skip
    add("--rounds", type=int, default=2, help="rounds of A then B (2)")
    add("--interval", type=float, default=5.0, help="seconds between a session's changes (5)")
    add("--first-port", type=int, default=8660, help="the app's port (8660)")
    add("--seed", type=int, default=42, help="sample data seed (42)")
    add("--quick", action="store_true", help="while developing: 5,000 listings, one round")
    add("--output", type=Path, help="also write everything printed to this file")
    args = parser.parse_args(argv)
    if args.no_postgres:
        args.postgres_url = None
    if args.quick:
        args.mentors, args.rounds, args.seconds, args.b_seconds = 5_000, 1, 15.0, 75.0
    if not 0 < args.seconds <= MAX_SECONDS or not 0 < args.b_seconds <= MAX_SECONDS:
        parser.error(f"a phase lasts at most {MAX_SECONDS:.0f} s")
    args.started = datetime.now().astimezone()
    return args


def main(argv: list[str] | None = None) -> None:
    report.run_main(run, parse_args(argv))


if __name__ == "__main__":
    main()
