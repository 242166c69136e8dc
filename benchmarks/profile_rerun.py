"""Where a rerun's server time goes: `python -m benchmarks.profile_rerun` (needs `pip install py-spy`).

Starts the app as benchmarks.server_load does (one process on the cached 100,000-mentor SQLite
copy, or --postgres-url), lets one websocket session change filters back to back, and samples the
server with py-spy (`--gil`: only the thread holding the GIL, i.e. the Python work that limits a
process). Prints the share of samples, and the estimated milliseconds per rerun, by where the
time went (the first matching row wins), then the heaviest frames. Extra Streamlit options for
the app go after `--`, e.g. `-- --runner.postScriptGC false`.

The milliseconds are the process's measured CPU per rerun split by those shares, so C code that
releases the GIL while it works (SQLite executing a query) is spread over the rest: on SQLite,
compare the SQL row with benchmarks.directory's timings.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks import servers
from benchmarks.load import cpu_seconds, open_sessions
from benchmarks.server_load import APP

# (label, test on one collapsed stack): the first that matches takes the sample.
CATEGORIES = (
    ("full garbage collection after each run (runner.postScriptGC)",
     lambda s: s[-1].startswith("ScriptRunner._on_script_finished")),
    ("SQL: SQLAlchemy and the driver", lambda s: any("sqlalchemy/" in f or "sqlite3" in f
                                                     or "psycopg" in f for f in s)),
    ("the mentor cards (ui/cards.py)", lambda s: any("ui/cards.py" in f for f in s)),
    ("the filter widgets (_filter_widgets)", lambda s: any("_filter_widgets" in f for f in s)),
    ("the rest of the page and dashboard.py", lambda s: any("pages/" in f or "find_a_mentor.py" in f
                                                            or "dashboard.py" in f for f in s)),
    ("script runner, before and after the script", lambda s: s[0].startswith("thread") and
     "ScriptRunner" in s[0]),
    ("event loop: sending messages to the browser", lambda s: "MainThread" in s[0]),
    ("other", lambda _stack: True),
)  # fmt: skip


def read_stacks(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        stacks.append((stack.split(";"), int(count)))
    return stacks


def summarise(stacks: list[tuple[list[str], int]], reruns: int, cpu_s: float) -> str:
    total = sum(n for _, n in stacks) or 1
    per_rerun_ms = 1e3 * cpu_s / max(1, reruns)
    shares: Counter[str] = Counter()
    frames: Counter[str] = Counter()
    for stack, n in stacks:
        shares[next(label for label, test in CATEGORIES if test(stack))] += n
        for frame in {f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0].split("site-packages/")[-1]
                      + ")" for f in stack[1:] if " (" in f}:  # fmt: skip
            frames[frame] += n
    out = [f"{reruns} reruns, server CPU {per_rerun_ms:.1f} ms per rerun, {total} samples",
           "", "| where | share | ~ms per rerun |", "|---|---:|---:|"]  # fmt: skip
    for label, _ in CATEGORIES:
        share = shares[label] / total
        out.append(f"| {label} | {100 * share:.0f}% | {share * per_rerun_ms:.1f} |")
    out += ["", "heaviest frames (inclusive share of samples):"]
    boring = ("Thread.", "_run_module", "_run_code", "Command.", "Group.", "Context.", "Base",
              "Runner.", "run (", "main", "_main_run", "_run_server_loop", "<module> (commands",
              "serve (commands", "Handle._run", "exec_func", "ScriptRunner._run_script")  # fmt: skip
    shown = [(f, n) for f, n in frames.most_common() if not f.startswith(boring)][:30]
    out += [f"  {100 * n / total:5.1f}%  {f}" for f, n in shown]
    return "\n".join(out)


async def drive(port: int, seconds: float) -> int:
    ((session, walker),) = await open_sessions([port], 1, APP, seed=5)
    reruns, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        await session.rerun(walker.step())
        reruns += 1
    await session.close()
    return reruns


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_rerun", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--mentors", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--postgres-url", help="profile on PostgreSQL (a cached schema) instead")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=8640)
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second (200)")
    args, extra = parser.parse_known_args(argv)
    extra = [a for a in extra if a != "--"]
    beside = Path(sys.executable).with_name("py-spy")  # in this virtual environment
    py_spy = str(beside) if beside.exists() else shutil.which("py-spy")
    if py_spy is None:
        raise SystemExit("py-spy is missing: pip install py-spy")
    sqlite_file, pg_url = servers.prepare_data(
        args.mentors, args.seed, args.postgres_url, fresh=False
    )
    with tempfile.TemporaryDirectory(prefix="profile_rerun_") as tmp:
        url = pg_url or servers.copy_sqlite(sqlite_file, Path(tmp))
        log, raw = Path(tmp) / "server.log", Path(tmp) / "stacks.txt"
        with servers.app_servers(url, 1, args.port, log, extra) as app:
            (process,) = app.processes
            recorder = subprocess.Popen(  # noqa: S603 - py-spy from this environment
                [py_spy, "record", "--pid", str(process.pid), "--gil", "--threads",
                 "--rate", str(args.rate), "--duration", str(int(args.seconds) + 3),
                 "--format", "raw", "--output", str(raw), "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            )  # fmt: skip
            cpu0 = cpu_seconds([process])
            reruns = asyncio.run(drive(args.port, args.seconds))
            cpu = cpu_seconds([process]) - cpu0
            recorder.wait(timeout=60)
        print(f"# {'PostgreSQL' if pg_url else 'SQLite'}, {args.mentors:,} mentors, "
              f"app options {extra or 'as committed'}")  # fmt: skip
        print(summarise(read_stacks(raw), reruns, cpu))


if __name__ == "__main__":
    main()
