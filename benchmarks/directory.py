"""How fast the public directory is at scale: `python -m benchmarks.directory [--mentors 100000]`.

Fills a fresh SQLite file (and, with --postgres-url or TEST_DATABASE_URL, a fresh PostgreSQL
schema, dropped at the end) with seeded sample mentors, each of whom confirmed being available
within the last 104 days (as the clock keeps a directory: asked after 90 days, paused after 104),
runs ANALYZE, then measures with warm caches:

- services.directory.mentor_search.search_mentors (capped COUNT, one page, the page's tags) for several
  realistic filter combinations, on each database, each alone and then with "confirmed in the
  last 3 months" (the ratio of the two is printed: target <= 1.2x);
- one run of the Find a mentor page through Streamlit's AppTest, on the big SQLite database and
  on a small one, to show how the page scales with the size of the directory.

The databases are filled in parallel (two processes) unless --sequential-fill; the measurements
run one at a time. The "floor" column is the bare stand-in's figure on this machine kind, for
comparison. Not a pytest test: a script, printing a table.
"""

from __future__ import annotations

import argparse
import gc
import logging
import math
import multiprocessing
import os
import platform
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from models.db import PROJECT_ROOT, make_engine, make_session_factories, migrate
from services.directory.mentor_search import COUNT_CAP, MentorFilter, search_mentors
from services.listings.code_of_conduct import current_code
from services.samples.freshness import spread_confirmations
from services.samples.mentors import insert_sample_mentors

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SMALL_MENTORS = 1_000
WARM_UP_RUNS = 3
SEARCH_TARGET_MS = 30
PAGE_TARGET_MS = 300
PAGE_MAX_RATIO = 1.5
BENCH_TABLES = ("mentors", "mentor_disciplines", "mentor_languages", "mentor_offers")


@dataclass(frozen=True)
class Case:
    """One filter combination a mentee might use, with its target and the floor to compare with."""

    name: str
    mentor_filter: MentorFilter
    target_ms: float | None = None
    floor: str = ""  # "SQLite / PostgreSQL" ms, as the team's bare stand-in recorded them on this machine kind (2 cores)


# Values common in the sample data: GB is the second biggest country (~14%), "strategy" tags
# ~12% of mentors, 80% are open to new mentees.
CASES = (
    Case(
        "3 filters: discipline+country+open",
        MentorFilter(disciplines=("strategy",), country="GB", open_only=True),
        target_ms=SEARCH_TARGET_MS,
        floor="3.3 / 5.2",
    ),
    Case("landing view (no filter)", MentorFilter(), floor="3.2 / 7.8"),
    Case(
        "keyword + the 3 filters",
        MentorFilter(
            keywords="strategist", disciplines=("strategy",), country="GB", open_only=True
        ),
        floor="7.6 / 11.7",
    ),
    Case("keyword+country", MentorFilter(keywords="strategist", country="GB")),
    Case("common keyword alone", MentorFilter(keywords="brand"), floor="27-85 / 28-69"),
    # ~550 of 100,000: under the count's cap, so every match is counted (target < 30 ms).
    Case("rare keyword alone", MentorFilter(keywords="ribbon studio"), target_ms=30),
    Case("language+offer only", MentorFilter(languages=("fr",), offers=("portfolio_reviews",))),
    Case(
        "seniority+country+discipline",
        MentorFilter(
            seniorities=("director",), country="FR", disciplines=("creative_copywriting",)
        ),
    ),
    Case(
        "country+city+discipline+open",
        MentorFilter(country="DE", city="Köln", disciplines=("data_analytics",), open_only=True),
    ),
    Case(
        "country+2 offers",
        MentorFilter(country="US", offers=("one_off_questions", "interview_prep")),
    ),
)

# Index changes not in the migrations, to measure what one would buy: --try-index NAME
# (repeatable). Each replaces an index of the migrations under the same name.
CANDIDATE_INDEXES: dict[str, dict[str, list[str]]] = {
    # The column filters in the directory's order index: a broad search's first page is found
    # by walking the index alone, reading only the rows shown.
    "recent_wide": {
        "sqlite": [
            "DROP INDEX ix_mentors_listed_recent",
            "CREATE INDEX ix_mentors_listed_recent ON mentors (available_confirmed_at, id, "
            "country, open_to_new_mentees, seniority, city_key) WHERE status = 'listed'",
        ],
        "postgresql": [
            "DROP INDEX ix_mentors_listed_recent",
            "CREATE INDEX ix_mentors_listed_recent ON mentors (available_confirmed_at, id) "
            "INCLUDE (country, open_to_new_mentees, seniority, city_key) WHERE status = 'listed'",
        ],
    },
}
CLOCK_KEPT = timedelta(days=90 + 14)  # every listed mentor confirmed within this, once the clock runs
RECENT_MAX_RATIO = 1.2  # "confirmed in the last 3 months" against the same search without it


@dataclass
class Row:
    work: str
    database: str
    mentors: int
    median_ms: float
    p95_ms: float
    cpu_ms: float
    target_ms: float | None = None
    floor: str = ""
    matches: str = ""

    @property
    def target(self) -> str:
        if self.target_ms is None:
            return ""
        verdict = "ok" if self.median_ms < self.target_ms else "OVER"
        return f"< {self.target_ms:g}: {verdict}"


@dataclass
class Database:
    kind: str  # "SQLite" or "PostgreSQL"
    url: str
    engine: Engine
    mentors: int
    fill_seconds: float

    @property
    def reader(self) -> sessionmaker[Session]:
        return make_session_factories(self.engine)[0]


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def timed(
    work: Callable[[], object], repeats: int, *, warm_up: int = WARM_UP_RUNS
) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU milliseconds of `repeats` calls, after `warm_up` more."""
    for _ in range(warm_up):
        work()
    gc.collect()
    wall, cpu = [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return wall, cpu


# --- the databases ---------------------------------------------------------------------------


def postgres_schema_url(base_url: str, schema: str) -> str:
    """The same PostgreSQL database, with `schema` first on the search path (as tests/conftest)."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema},public"


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A new, empty schema in the database at `base_url`, as a URL; dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield postgres_schema_url(base_url, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def fill(engine: Engine, mentors: int, seed: int) -> float:
    """Migrate and fill with sample mentors; seconds the fill (not the migration) took."""
    migrate(engine)
    _, writer = make_session_factories(engine)
    started = time.perf_counter()
    with writer.begin() as session:
        insert_sample_mentors(session, count=mentors, code=current_code(), now=NOW, seed=seed)
    with writer.begin() as session:  # as the clock keeps it: asked after 90 days, paused after 104
        spread_confirmations(session, now=NOW, within=CLOCK_KEPT, seed=seed)
    return time.perf_counter() - started


def prepare(engine: Engine, try_indexes: list[str]) -> None:
    """Make any candidate index changes asked for, then refresh the planners' statistics."""
    dialect = engine.dialect.name
    with engine.begin() as connection:
        for name in try_indexes:
            for ddl in CANDIDATE_INDEXES[name][dialect]:
                connection.exec_driver_sql(ddl)
    if dialect == "sqlite":
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        return
    # VACUUM too: after a bulk load autovacuum would otherwise start at some random point of the
    # measurements, and index-only scans need the visibility map it sets.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM ANALYZE {', '.join(BENCH_TABLES)}")


def fill_database(url: str, mentors: int, seed: int, try_indexes: list[str]) -> float:
    """Fill and prepare the (empty) database at `url`; seconds the fill took. Runs in a worker."""
    engine = make_engine(url)
    try:
        seconds = fill(engine, mentors, seed)
        prepare(engine, try_indexes)
    finally:
        engine.dispose()
    return seconds


def fill_all(
    jobs: list[tuple[str, int]], seed: int, try_indexes: list[str], *, parallel: bool
) -> list[float]:
    """Fill every (url, mentors) job; two at a time unless not `parallel`."""
    if not parallel:
        return [fill_database(url, mentors, seed, try_indexes) for url, mentors in jobs]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures: list[Future[float]] = [
            pool.submit(fill_database, url, mentors, seed, try_indexes) for url, mentors in jobs
        ]
        return [future.result() for future in futures]


# --- the search ------------------------------------------------------------------------------


def measure_searches(db: Database, cases: list[Case], repeats: int) -> list[Row]:
    """One row per case; the cases' runs take turns (a drift in the machine's load favours none)."""
    reader = db.reader

    def search(case: Case) -> Callable[[], int]:
        def run() -> int:
            with reader() as session:
                return search_mentors(session, mentor_filter=case.mentor_filter, now=NOW).total

        return run

    totals = [search(case)() for case in cases]
    samples = [([], []) for _ in cases]  # type: list[tuple[list[float], list[float]]]
    for _ in range(repeats):
        for case, (wall, cpu) in zip(cases, samples, strict=True):
            one_wall, one_cpu = timed(search(case), 1, warm_up=0 if wall else WARM_UP_RUNS)
            wall += one_wall
            cpu += one_cpu
    return [
        Row(work=f"search: {case.name}", database=db.kind, mentors=db.mentors,
            median_ms=statistics.median(wall), p95_ms=percentile(wall, 0.95),
            cpu_ms=statistics.median(cpu), target_ms=case.target_ms, floor=case.floor,
            matches=f"{COUNT_CAP:,}+" if total > COUNT_CAP else f"{total:,}")
        for case, total, (wall, cpu) in zip(cases, totals, samples, strict=True)
    ]  # fmt: skip


def captured_statements(db: Database, case: Case) -> list[tuple[str, Any]]:
    """The SELECTs one search runs, exactly as sent to the driver, with their parameters."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and statement.strip() != "SELECT 1":
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        with db.reader() as session:
            search_mentors(session, mentor_filter=case.mentor_filter, now=NOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    return statements


def explain(db: Database, case: Case, *, analyze: bool) -> str:
    """The plan of each statement of one search: EXPLAIN QUERY PLAN (SQLite) / EXPLAIN (PG)."""
    labels = iter(("count", "page", "tags"))
    out = [f"--- {db.kind}, {db.mentors:,} mentors: {case.name} ---"]
    with db.engine.connect() as connection:
        for statement, parameters in captured_statements(db, case):
            sql = " ".join(statement.split())
            out.append(f"[{next(labels, 'query')}] {sql[:400]}{' ...' if len(sql) > 400 else ''}")
            if db.kind == "SQLite":
                rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                depth: dict[int, int] = {0: 0}
                for node_id, parent, _, detail in rows:
                    depth[node_id] = depth.get(parent, 0) + 1
                    out.append("  " * depth[node_id] + detail)
            else:
                prefix = "EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN "
                rows = connection.exec_driver_sql(prefix + statement, parameters)
                out.extend("    " + line for (line,) in rows)
    return "\n".join(out) + "\n"


# --- the page --------------------------------------------------------------------------------


# Streamlit warns on every AppTest and cache call outside `streamlit run` ("missing
# ScriptRunContext", "No runtime found"); its config resets logger levels, a filter stays.
QUIET_STREAMLIT_LOGGERS = (
    "streamlit.runtime.scriptrunner_utils.script_run_context",
    "streamlit.runtime.caching.cache_data_api",
    "streamlit.runtime.caching.cache_resource_api",
)


def _errors_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR


def use_app_database(url: str) -> None:
    """Point the app (which reads DATABASE_URL) at `url`, with nothing cached from before."""
    import streamlit as st

    for name in QUIET_STREAMLIT_LOGGERS:
        if _errors_only not in logging.getLogger(name).filters:
            logging.getLogger(name).addFilter(_errors_only)
    os.environ["DATABASE_URL"] = url
    st.cache_data.clear()
    st.cache_resource.clear()


def measure_page(db: Database, repeats: int) -> list[Row]:
    """A fresh AppTest's first run of the page, and reruns of one AppTest, in milliseconds."""
    from streamlit.testing.v1 import AppTest

    use_app_database(db.url)

    def fresh_run() -> AppTest:
        app = AppTest.from_file(DASHBOARD, default_timeout=60)
        app.run()
        if app.exception:
            raise RuntimeError(f"the page failed: {app.exception[0].message}")
        return app

    fresh_wall, fresh_cpu = timed(fresh_run, repeats, warm_up=3)
    app = fresh_run()
    cards = f"{len(app.get('link_button'))} cards"
    rerun_wall, rerun_cpu = timed(app.run, repeats, warm_up=2)
    return [
        Row("page: first run, fresh AppTest", db.kind, db.mentors, statistics.median(fresh_wall),
            percentile(fresh_wall, 0.95), statistics.median(fresh_cpu), PAGE_TARGET_MS, "",
            cards),
        Row("page: rerun, same AppTest", db.kind, db.mentors, statistics.median(rerun_wall),
            percentile(rerun_wall, 0.95), statistics.median(rerun_cpu), PAGE_TARGET_MS,
            "~20 (rerun)", cards),
    ]  # fmt: skip


# --- the report ------------------------------------------------------------------------------

HEADERS = (
    "work", "database", "mentors", "matches", "median ms", "p95 ms", "cpu ms", "target ms",
    "floor ms",
)  # fmt: skip


def table(rows: list[Row]) -> str:
    cells = [
        (r.work, r.database, f"{r.mentors:,}", r.matches, f"{r.median_ms:.1f}", f"{r.p95_ms:.1f}",
         f"{r.cpu_ms:.1f}", r.target, r.floor)
        for r in rows
    ]  # fmt: skip
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(HEADERS)]
    right = {2, 3, 4, 5, 6}

    def line(values: tuple[str, ...]) -> str:
        padded = (
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(HEADERS), separator, *(line(c) for c in cells)])


def versions(postgres: Database | None) -> str:
    parts = [
        f"Python {platform.python_version()}",
        f"SQLAlchemy {sqlalchemy.__version__}",
        f"SQLite {sqlite3.sqlite_version}",
    ]
    if postgres is not None:
        with postgres.engine.connect() as connection:
            parts.append(f"PostgreSQL {connection.exec_driver_sql('SHOW server_version').scalar()}")
    return ", ".join(parts) + f", {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.directory",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--mentors", type=int, default=100_000, help="big directory (100000)")
    parser.add_argument(
        "--small-mentors", type=int, default=SMALL_MENTORS,
        help=f"small directory the page is compared with ({SMALL_MENTORS})",
    )  # fmt: skip
    parser.add_argument("--repeats", type=int, default=30, help="timed runs per row (30)")
    parser.add_argument("--seed", type=int, default=42, help="sample data seed (42)")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("TEST_DATABASE_URL") or None,
        help="also benchmark PostgreSQL, in a new schema of this database, dropped at the end "
        "(default: TEST_DATABASE_URL)",
    )  # fmt: skip
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-page", action="store_true", help="skip the AppTest page runs")
    parser.add_argument(
        "--sequential-fill", action="store_true",
        help="fill the databases one after another (fill times then don't share the CPU)",
    )  # fmt: skip
    parser.add_argument(
        "--explain", action="store_true",
        help="print the query plan of every statement of every measured search",
    )  # fmt: skip
    parser.add_argument(
        "--analyze", action="store_true", help="with --explain: EXPLAIN (ANALYZE, BUFFERS) on PG"
    )
    parser.add_argument(
        "--try-index", action="append", default=[], choices=sorted(CANDIDATE_INDEXES),
        metavar="NAME", help="make a candidate index change before measuring, on every database: "
        + ", ".join(sorted(CANDIDATE_INDEXES)),
    )  # fmt: skip
    args = parser.parse_args(argv)
    postgres_url = None if args.no_postgres else args.postgres_url

    started = time.perf_counter()
    load_before = os.getloadavg()
    rows: list[Row] = []
    plans: list[str] = []
    notes: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench_directory_") as tmp,
        postgres_schema(postgres_url) if postgres_url else _nothing() as pg_url,
    ):
        big_url = f"sqlite:///{Path(tmp) / 'big.sqlite3'}"
        small_url = f"sqlite:///{Path(tmp) / 'small.sqlite3'}"
        jobs = [("SQLite", big_url, args.mentors)]
        if pg_url:
            jobs.append(("PostgreSQL", pg_url, args.mentors))
        if not args.no_page:
            jobs.append(("SQLite", small_url, args.small_mentors))
        how = "one after another" if args.sequential_fill else "two at a time, in parallel"
        print(f"Filling {len(jobs)} databases ({how}) ...", flush=True)
        seconds = fill_all(
            [(url, n) for _, url, n in jobs], args.seed, args.try_index,
            parallel=not args.sequential_fill,
        )  # fmt: skip
        dbs = [
            Database(kind, url, make_engine(url), n, s)
            for (kind, url, n), s in zip(jobs, seconds, strict=True)
        ]
        for db in dbs:
            size = ""
            if db.kind == "SQLite":
                size = (
                    f", file {Path(db.url.removeprefix('sqlite:///')).stat().st_size / 1e6:.0f} MB"
                )
            notes.append(
                f"Filled {db.kind} with {db.mentors:,} sample mentors in {db.fill_seconds:.1f} s{size}"
            )
            print(notes[-1], flush=True)
        big, small = dbs[0], (dbs[-1] if not args.no_page else None)
        postgres = dbs[1] if pg_url else None
        try:
            for db in (big, postgres):
                if db is None:
                    continue
                ratios: list[float] = []
                for case in CASES:  # each search, then the same with the recent filter
                    recent = Case(case.name + " + confirmed in 3 months",
                                  replace(case.mentor_filter, recent_only=True))  # fmt: skip
                    rows += measure_searches(db, [case, recent], args.repeats)  # runs interleaved
                    for measured, row in zip((case, recent), rows[-2:], strict=True):
                        print(f"  {db.kind} {row.work}: {row.median_ms:.1f} ms", flush=True)
                        if args.explain:
                            plans.append(explain(db, measured, analyze=args.analyze))
                    ratios.append(rows[-1].median_ms / rows[-2].median_ms)
                worst = max(ratios)
                notes.append(
                    f"{db.kind}: with 'confirmed in the last 3 months' / without, same search: "
                    f"median {statistics.median(ratios):.2f}x, worst {worst:.2f}x "
                    f"(target <= {RECENT_MAX_RATIO}x: {'ok' if worst <= RECENT_MAX_RATIO else 'OVER'})"
                )
            if small is not None:
                page_rows = measure_page(small, args.repeats) + measure_page(big, args.repeats)
                rows += page_rows
                use_app_database("")
                for work, small_row, big_row in zip(
                    ("first run", "rerun"), page_rows[:2], page_rows[2:], strict=True
                ):
                    ratio = big_row.median_ms / small_row.median_ms
                    verdict = "ok" if ratio <= PAGE_MAX_RATIO else "OVER"
                    notes.append(
                        f"Page {work}: {big_row.mentors:,} vs {small_row.mentors:,} mentors = "
                        f"{ratio:.2f}x (target <= {PAGE_MAX_RATIO}x: {verdict})"
                    )
            environment = versions(postgres)
        finally:
            for db in dbs:
                db.engine.dispose()

    print()
    print(environment)
    print(
        f"Repeats per row: {args.repeats}, after warm-up. median/p95: wall clock; cpu: this "
        "process's CPU time (for PostgreSQL the client side only)."
    )
    print(
        "Load average 1/5/15 min, before: {:.1f} {:.1f} {:.1f}; after: {:.1f} {:.1f} {:.1f}".format(
            *load_before, *os.getloadavg()
        )
    )
    if args.try_index:
        print(f"Candidate index changes made: {', '.join(args.try_index)}")
    print()
    print(table(rows))
    print()
    for line in notes:
        print(line)
    print(
        "floor ms: SQLite / PostgreSQL, as the team's bare stand-in recorded them on this machine kind (2 cores)."
    )
    print(f"Total time {time.perf_counter() - started:.0f} s.")
    if plans:
        print("\nQuery plans\n")
        print("\n".join(plans))


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    main()
