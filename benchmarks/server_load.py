"""How many mentees the app's server processes can serve: `python -m benchmarks.server_load`.

Drives the real app, started as in production (`python -m commands.serve`: migrate once, then
one or two `streamlit run dashboard.py` processes with the legacy pages/ mode off), over
Streamlit's own websocket protocol: no browser, loopback only. Each session opens Find a mentor
and changes one filter at a time (discipline, country, open to new mentees) through the widgets'
real protocol messages; a change lasts until its rerun has finished.

For each database (SQLite; PostgreSQL with --postgres-url or TEST_DATABASE_URL), each number of
processes (1, 2) and each mode, at 1, 10, 25 and 50 sessions:
  closed loop  every session changes a filter again as soon as the last change has finished:
               the rerun rate at saturation;
  paced        every session changes a filter on average every 5 s, at random moments
               (exponential gaps: independent people; --arrivals even for a strict, evenly
               spread 5 s beat), the target scenario of 50 mentees browsing at a normal pace;
               latency counts from the click, waits included.
It reports p50/p95 latency per change, reruns/s, and server CPU per rerun (psutil on the
Streamlit processes; PostgreSQL's own CPU beside it).

The stand-in of ../shared/floor (floor_app.py, FLOOR_APP_MODE=db: the same filters over 100,000
mentors in SQLite) runs in the same run, each level right after (or before) the app's, with as
many processes, so every figure is printed beside the stand-in's with the ratio: the machine is
noisy, so ratios within one run are what counts. Without ../shared the comparison is skipped.

The sample data (default 100,000 mentors) is cached between runs: see benchmarks/servers.py.
Bounded: at most 100 sessions, at most 300 s per level.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from benchmarks import report, servers
from benchmarks.load import LevelResult, Target, open_sessions, run_level

APP = Target(
    "app", discipline="Discipline", country="Country",
    open_only="Only mentors open to new mentees",
    countries=("United States", "United Kingdom", "France", "Germany", "Spain", "Brazil",
               "Canada", "India"),
)  # fmt: skip
STANDIN = Target(
    "stand-in", discipline="Discipline", country="Country", open_only="Open to new mentees",
    countries=("France", "United Kingdom", "Spain", "Germany", "United States", "Italy",
               "Netherlands", "Portugal"),
)  # fmt: skip
MAX_SESSIONS = 100
MAX_SECONDS = 300.0
WARM_UP_CHANGES = 10


@dataclass(frozen=True)
class Config:
    database: str  # SQLite | PostgreSQL
    processes: int

    def __str__(self) -> str:
        return f"{self.database}, {self.processes} process{'es' if self.processes > 1 else ''}"


async def warm_up(ports: list[int], target: Target) -> None:
    """A few changes on every process first: caches, imports and the engine are ready."""
    pairs = await open_sessions(ports, len(ports), target, seed=999)
    for session, walker in pairs:
        for _ in range(WARM_UP_CHANGES):
            await session.rerun(walker.step())
        await session.close()


async def measure(
    group: servers.Servers, target: Target, n: int, mode: str, args: argparse.Namespace, seed: int
) -> LevelResult:
    pairs = await open_sessions(group.ports, n, target, seed)
    try:
        return await run_level(
            pairs, group.processes,
            seconds=args.closed_seconds if mode == "closed" else args.paced_seconds,
            interval=None if mode == "closed" else args.interval,
            with_db_cpu=args.db_cpu and args.current_database == "postgresql",
            arrivals=args.arrivals,
            seed=seed,
        )  # fmt: skip
    finally:
        await asyncio.gather(*(s.close() for s, _ in pairs), return_exceptions=True)


async def run_config(
    config: Config, app: servers.Servers, standin: servers.Servers | None, args: argparse.Namespace
) -> dict[tuple[str, int], tuple[LevelResult, LevelResult | None]]:
    await warm_up(app.ports, APP)
    if standin is not None:
        await warm_up(standin.ports, STANDIN)
    results = {}
    step = 0
    for mode in args.modes:
        for n in args.sessions:
            seed = 1 + 100 * step
            # Alternate who goes first, so a drift in the machine's load favours neither.
            order = [("app", app, APP), ("stand-in", standin, STANDIN)]
            if step % 2:
                order.reverse()
            got: dict[str, LevelResult] = {}
            for name, group, target in order:
                if group is not None:
                    got[name] = await measure(group, target, n, mode, args, seed)
            step += 1
            results[(mode, n)] = (got["app"], got.get("stand-in"))
            print(report.level_lines(config, mode, n, *results[(mode, n)]), flush=True)
    return results


def run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    print(report.header(args, versions()), flush=True)
    compare = not args.no_standin and servers.floor_available()
    if not args.no_standin and not compare:
        print(
            f"# NOTE: {servers.FLOOR_DIR} is absent: no stand-in, no ratios. Figures are the app's alone."
        )
    if compare:
        servers.ensure_floor_data()
    sqlite_file, pg_url = servers.prepare_data(
        args.mentors, args.seed, args.postgres_url if "postgresql" in args.databases else None,
        fresh=args.fresh_data,
    )  # fmt: skip
    all_results = {}
    with tempfile.TemporaryDirectory(prefix="server_load_") as tmp:
        for database in args.databases:
            if database == "postgresql" and not pg_url:
                print("# NOTE: no --postgres-url / TEST_DATABASE_URL: PostgreSQL skipped.")
                continue
            for processes in args.processes:
                config = Config("SQLite" if database == "sqlite" else "PostgreSQL", processes)
                args.current_database = database
                run_dir = Path(tempfile.mkdtemp(dir=tmp))
                url = servers.copy_sqlite(sqlite_file, run_dir) if database == "sqlite" else pg_url
                print(f"\n## {config}: app on ports {args.first_port}.., stand-in on "
                      f"{args.first_port + 10}..", flush=True)  # fmt: skip
                with ExitStack() as stack:
                    log = run_dir / "servers.log"
                    app = stack.enter_context(
                        servers.app_servers(
                            url, processes, args.first_port, log, args.streamlit_args
                        )
                    )
                    standin = (
                        stack.enter_context(servers.standin_servers(
                            processes, args.first_port + 10, log, args.streamlit_args))
                        if compare else None
                    )  # fmt: skip
                    all_results[config] = asyncio.run(run_config(config, app, standin, args))
    print(report.summary(all_results))
    print(f"# load average at end {tuple(round(x, 2) for x in os.getloadavg())}; "
          f"took {time.perf_counter() - started:.0f} s")  # fmt: skip


def versions() -> str:
    import sqlalchemy
    import streamlit

    return (f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, SQLAlchemy "
            f"{sqlalchemy.__version__}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores")  # fmt: skip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.server_load", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    add = parser.add_argument
    add(
        "--mentors", type=int, default=100_000, help="sample mentors in the app's database (100000)"
    )
    add("--sessions", type=int, nargs="+", default=[1, 10, 25, 50], help="levels (1 10 25 50)")
    add("--modes", nargs="+", choices=["closed", "paced"], default=["closed", "paced"])
    add(
        "--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    add("--processes", type=int, nargs="+", choices=[1, 2, 3, 4], default=[1, 2])
    add("--closed-seconds", type=float, default=20.0, help="length of a closed-loop level (20)")
    add("--paced-seconds", type=float, default=30.0, help="length of a paced level (30)")
    add(
        "--interval", type=float, default=5.0, help="paced: seconds between a session's changes (5)"
    )
    add(
        "--arrivals",
        choices=["random", "even"],
        default="random",
        help="paced: changes at random moments, on average every --interval s (exponential "
        "gaps, seeded: independent people), or exactly every --interval s, spread evenly",
    )
    add(
        "--postgres-url",
        default=os.environ.get("TEST_DATABASE_URL") or None,
        help="PostgreSQL to use, in a schema of its own (default: TEST_DATABASE_URL)",
    )
    add("--first-port", type=int, default=8610, help="app on this port and up, stand-in 10 above")
    add("--seed", type=int, default=42, help="sample data seed (42)")
    add("--fresh-data", action="store_true", help="rebuild the cached databases")
    add("--no-standin", action="store_true", help="the app alone, no stand-in, no ratios")
    add("--no-db-cpu", dest="db_cpu", action="store_false", help="don't sample PostgreSQL's CPU")
    add(
        "--streamlit-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Streamlit option for the app and the stand-in alike, e.g. runner.postScriptGC=false",
    )
    add("--output", type=Path, help="also write everything printed to this file")
    args = parser.parse_args(argv)
    if max(args.sessions) > MAX_SESSIONS or min(args.sessions) < 1:
        parser.error(f"sessions must be between 1 and {MAX_SESSIONS}")
    if max(args.closed_seconds, args.paced_seconds) > MAX_SECONDS:
        parser.error(f"a level lasts at most {MAX_SECONDS:.0f} s")
    args.started = datetime.now().astimezone()
    args.streamlit_args = []
    for option in args.streamlit_option:
        name, equals, value = option.partition("=")
        if not equals or not name:
            parser.error(f"--streamlit-option wants NAME=VALUE, not {option!r}")
        args.streamlit_args += [f"--{name}", value]
    return args


def main(argv: list[str] | None = None) -> None:
    report.run_main(run, parse_args(argv))


if __name__ == "__main__":
    main()
