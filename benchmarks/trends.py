"""How fast the trends page's data is at scale: `python -m benchmarks.trends [--runs 15]`.

Fills (once; then kept under data/benchmarks/ and in PostgreSQL schemas named bench_trends_*)
databases of 100,000 sample mentors with their listing history (1% removed by a moderator from a
report, a few banned or taken off the page on request), 1,000,000 directory searches
over 13 months, and either 1,000,000 reports with their events over five years ("big"), 10,000
("small"), or 100,000 over the last 26 weeks ("recent": the range holds as many reports as in
"big", with a tenth of the history), on SQLite and, with --postgres-url or TEST_DATABASE_URL,
on PostgreSQL. Then
times services.trends.overview.overview (everything the page shows) for the default range, the
last 12 weeks in Europe/London, after warm-up: the median of --runs runs, the databases taking
turns run by run (so the machine's other load weighs on each alike), and each query's share. Targets: under 300 ms median on each database, and the big history at most 2x the small
one (the cost follows the range, not the length of the history). --fresh refills, --explain
prints each query's plan. Not a pytest test: a script, printing a table.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy
from sqlalchemy import Engine, event, insert, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from benchmarks.directory import postgres_schema_url
from models import Moderator
from models.db import DATABASE_FAULTS, PROJECT_ROOT, make_engine, make_session_factories, migrate
from services.accounts.auth import ModeratorIdentity
from services.directory.mentor_search import MentorFilter
from services.directory.search_log import SearchRecord
from services.listings.code_of_conduct import current_code
from services.listings.listing_lifecycle import ListingAction
from services.samples.mentors import insert_sample_mentors
from services.samples.report_stories import insert_reports
from services.samples.searches import insert_sample_searches
from services.samples.year import insert_take_downs, listed_sample_mentors
from services.trends import collective, demand, queue, response
from services.trends.overview import PAGE_WORKERS, overview
from services.trends.periods import Period

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/London")
MENTORS, SEARCHES, SEARCH_DAYS = 100_000, 1_000_000, 395
# name -> (reports, days of history they are spread over). "recent" holds the same reports in
# the range as "big" with a tenth of its history: what a long history costs, on its own.
HISTORIES = {"big": (1_000_000, 5 * 365), "recent": (100_000, 182), "small": (10_000, 5 * 365)}
TARGET_MS, MAX_RATIO = 300, 2.0
FILL_VERSION = "3"  # bump when the fill changes, so cached databases are rebuilt
CACHE = PROJECT_ROOT / "data" / "benchmarks"
A = ListingAction
TABLES = ("mentors", "mentor_disciplines", "mentor_languages", "listing_events", "reports",
          "report_events", "directory_searches", "directory_search_demand")  # fmt: skip


def fake_results(wanted: MentorFilter) -> int:
    """A stable number of results per search: about one search in seven finds 3 mentors or fewer."""
    key = SearchRecord.of(wanted, results=0, day=NOW.date()).filter_key
    number = int(hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:8], 16)
    return number % 4 if number % 7 == 0 else number % 400


def fill(url: str, reports: int, days: int, scale: float = 1.0, seed: int = 42) -> float:
    """Migrate and fill an empty database; seconds it took. Runs in a worker process."""
    mentors, search_count = int(MENTORS * scale), int(SEARCHES * scale)
    engine = make_engine(url)
    started = time.perf_counter()
    migrate(engine)
    rng = random.Random(seed)
    with make_session_factories(engine)[1].begin() as session:
        insert_sample_mentors(session, count=mentors, code=current_code(), now=NOW, seed=seed)
        moderators = [
            ModeratorIdentity(session.execute(insert(Moderator).values(username=name, created_at=NOW)
                                              .returning(Moderator.id)).scalar_one(), name).actor
            for name in (f"bench-{n}" for n in range(6))
        ]  # fmt: skip
        listed = listed_sample_mentors(session, before=NOW - timedelta(days=60))
        take_downs = {A.REMOVE: mentors // 100, A.BAN: mentors // 1000, A.TAKE_OFF_ON_REQUEST: mentors // 1000}
        chosen = rng.sample(listed, sum(take_downs.values()))
        insert_take_downs(session, rng, mentor_ids=chosen, counts=take_downs, restores=mentors // 1000,
                          moderators=moderators, since=NOW - timedelta(days=2 * 365), now=NOW)  # fmt: skip
        taken = set(chosen)  # their take-down resolved the one report about them
        insert_reports(session, rng, count=reports, start=NOW - timedelta(days=days), now=NOW,
                       mentor_ids=[i for i in range(1, mentors + 1) if i not in taken],
                       moderators=moderators, improving=False, audit=False)  # fmt: skip
        insert_sample_searches(session, rng=rng, now=NOW, days=SEARCH_DAYS, count=search_count,
                               results=fake_results)  # fmt: skip
    analyze(engine)
    engine.dispose()
    return time.perf_counter() - started


def analyze(engine: Engine) -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map index-only scans need)."""
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:  # our SQLite engine always opens a transaction
            connection.exec_driver_sql("ANALYZE")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM ANALYZE {', '.join(TABLES)}")


def databases(postgres_url: str | None, fresh: bool, scale: float) -> dict[tuple[str, str], str]:
    """(database, size) -> URL of each database to measure; filled here when not cached yet."""
    CACHE.mkdir(parents=True, exist_ok=True)
    urls: dict[tuple[str, str], str] = {}
    to_fill: list[tuple[str, int, int]] = []
    for size, (full, days) in HISTORIES.items():
        reports = int(full * scale)
        name = f"trends_{size}_v{FILL_VERSION}" + (
            f"_x{scale:g}".replace(".", "_") if scale != 1 else ""
        )
        path = CACHE / f"{name}.sqlite3"
        if fresh:
            for stale in CACHE.glob(f"{name}.sqlite3*"):
                stale.unlink()
        urls["SQLite", size] = f"sqlite:///{path}"
        if not _filled(urls["SQLite", size]):
            for stale in CACHE.glob(f"{name}.sqlite3*"):
                stale.unlink()
            to_fill.append((urls["SQLite", size], reports, days))
        if postgres_url:
            schema = f"bench_{name}"
            urls["PostgreSQL", size] = postgres_schema_url(postgres_url, schema)
            if fresh or not _filled(urls["PostgreSQL", size]):
                _new_schema(postgres_url, schema)
                to_fill.append((urls["PostgreSQL", size], reports, days))
    if to_fill:
        print(
            f"Filling {len(to_fill)} database(s), two at a time (once; then cached) ...", flush=True
        )
        with ProcessPoolExecutor(max_workers=2) as pool:
            filled = pool.map(fill, *zip(*to_fill, strict=True), [scale] * len(to_fill))
            for (url, reports, days), seconds in zip(to_fill, filled, strict=True):
                where = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
                print(f"  {where}, {reports:,} reports over {days} days: filled in {seconds:.0f} s",
                      flush=True)  # fmt: skip
    return urls


def _filled(url: str) -> bool:
    """True when a fill finished here (its last step, the searches' demand, has rows)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return bool(
                connection.execute(text("SELECT 1 FROM directory_search_demand LIMIT 1")).first()
            )
    except DATABASE_FAULTS + (ProgrammingError,):
        return False
    finally:
        engine.dispose()


def _new_schema(base_url: str, schema: str) -> None:
    engine = make_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


def parts(period: Period) -> dict[str, Callable[[Session], Any]]:
    """The page's queries one by one (overview runs each once)."""
    start, end = period.start, period.end
    return {
        "listing events": lambda s: collective.listing_tallies(s, period),
        "report events": lambda s: queue.report_tallies(s, period),
        "reports received": lambda s: queue.report_intake(s, period, now=NOW),
        "time to first action": lambda s: response.response_times(s, period, "first_action"),
        "time to a decision": lambda s: response.response_times(s, period, "resolution"),
        "the collective today": collective.collective_today,
        "demand": lambda s: demand.demand(
            s, start=start, end=end, fields=("discipline", "country")
        ),
        "searches with few results": lambda s: demand.unmet_searches(
            s, start=start, end=end, tz=ZONE
        ),
    }


def history(size: str, scale: float) -> str:
    reports, days = HISTORIES[size]
    span = f"{days // 365} years" if days >= 365 else f"{days // 7} weeks"
    return f"{int(reports * scale):,} reports over {span}"


def once(engine: Engine, work: Callable[[Session], Any]) -> float:
    """Milliseconds of `work` in a fresh read session."""
    started = time.perf_counter()
    with make_session_factories(engine)[0]() as session:
        work(session)
    return (time.perf_counter() - started) * 1000


def timed(engine: Engine, work: Callable[[Session], Any], runs: int) -> float:
    """Median milliseconds of `work`, after 3 warm-up runs."""
    for _ in range(3):
        once(engine, work)
    return statistics.median(once(engine, work) for _ in range(runs))


def interleaved(
    engines: dict[Any, Engine], work: Callable[[Session], Any], runs: int
) -> dict[Any, float]:
    """Median milliseconds of `work` on each database, taking turns run by run: the machine's
    other load then weighs on every database alike, and their ratios hold."""
    for engine in engines.values():
        for _ in range(3):
            once(engine, work)
    samples: dict[Any, list[float]] = {key: [] for key in engines}
    for _ in range(runs):
        for key, engine in engines.items():
            samples[key].append(once(engine, work))
    return {key: statistics.median(values) for key, values in samples.items()}


def explain(engine: Engine, period: Period) -> str:
    """The plan of every statement the overview runs."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    with make_session_factories(engine)[0]() as session:
        overview(session, start=period.start, end=period.end, tz=ZONE, now=NOW)
    event.remove(engine, "before_cursor_execute", capture)
    lines = []
    with engine.connect() as connection:
        for statement, parameters in statements:
            lines.append("--- " + " ".join(statement.split())[:300])
            prefix = (
                "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
            )
            for row in connection.exec_driver_sql(prefix + statement, parameters):
                lines.append("    " + str(row[-1]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.trends", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--runs", type=int, default=21, help="timed runs per figure (21)")
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_DATABASE_URL") or None,
                        help="also PostgreSQL, in schemas of this database (default: TEST_DATABASE_URL)")  # fmt: skip
    parser.add_argument(
        "--workers",
        type=int,
        default=PAGE_WORKERS,
        help=f"reads at a time, as the page does ({PAGE_WORKERS})",
    )
    parser.add_argument("--fresh", action="store_true", help="refill the cached databases")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--scale", type=float, default=1.0, help="fill a fraction of the sizes (1)")
    args = parser.parse_args(argv)
    urls = databases(args.postgres_url, args.fresh, args.scale)
    today = NOW.astimezone(ZONE).date()
    period = Period(today - timedelta(days=83), today, ZONE)
    print(f"\nRange: {period.start} to {period.end} ({period.days} days, by week), {ZONE.key}.")
    print(f"Load average before: {os.getloadavg()[0]:.1f}. Median of {args.runs} runs, ms.\n")
    engines = {key: make_engine(url) for key, url in urls.items()}
    results = interleaved(
        engines,
        lambda s: overview(
            s, start=period.start, end=period.end, tz=ZONE, now=NOW, workers=args.workers
        ),
        args.runs,
    )
    rows = []
    server = ""
    for (kind, size), engine in engines.items():
        split = {name: timed(engine, work, args.runs) for name, work in parts(period).items()}
        rows.append((kind, size, results[kind, size], split))
        if args.explain:
            print(f"Plans on {kind}, {size} history:\n{explain(engine, period)}\n")
        if kind == "PostgreSQL":
            with engine.connect() as connection:
                server = connection.exec_driver_sql("SHOW server_version").scalar()
        engine.dispose()
    names = list(parts(period))
    print("| database | reports, over | all the page's data | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 3) + "|")
    for kind, size, whole, split in rows:
        verdict = "ok" if whole < TARGET_MS else "OVER"
        cells = " | ".join(f"{split[n]:.1f}" for n in names)
        print(f"| {kind} | {history(size, args.scale)} | **{whole:.1f}** ({verdict}) | {cells} |")
    print()
    for kind in ("SQLite", "PostgreSQL"):
        if (kind, "big") not in results:
            continue
        ratio = results[kind, "big"] / results[kind, "small"]
        print(f"{kind}: {history('big', args.scale)} take {ratio:.2f}x the time of "
              f"{history('small', args.scale)} (target <= {MAX_RATIO}x: "
              f"{'ok' if ratio <= MAX_RATIO else 'OVER'}); "
              f"{results[kind, 'big'] / results[kind, 'recent']:.2f}x the time of "
              f"{history('recent', args.scale)}, the same range with a tenth of the history.")  # fmt: skip
    print(
        f"Load average after: {os.getloadavg()[0]:.1f}. Python {platform.python_version()}, "
        f"SQLAlchemy {sqlalchemy.__version__}, SQLite {sqlite3.sqlite_version}"
        + (f", PostgreSQL {server}" if "PostgreSQL" in {k for k, _ in urls} else "")
        + f", {os.cpu_count()} cores."
    )


if __name__ == "__main__":
    main()
