"""What the load benchmark prints: a line per level as it goes, then one table per configuration,
the two/one process ratios at saturation, and the issue's targets (issue 15) checked."""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from benchmarks.load import LevelResult

# Issue 15's targets, measured here rather than asserted in tests.
PACED_P95_TARGET_MS = 1000.0
CPU_RATIO_TARGET = 1.5
SATURATION_RATIO_TARGET = 0.7
TWO_PROCESS_TARGET = 1.7


def header(args: Any, versions: str) -> str:
    return "\n".join([
        f"# benchmarks.server_load, {args.started:%Y-%m-%d %H:%M %Z}; {versions}",
        f"# load average at start {tuple(round(x, 2) for x in os.getloadavg())}",
        f"# app: {args.mentors:,} sample mentors; stand-in: ../shared/floor/floor_app.py "
        "(FLOOR_APP_MODE=db, 100,000 mentors, always SQLite: it has no PostgreSQL mode)",
        f"# sessions {args.sessions}; closed loop {args.closed_seconds:g} s per level; paced: a "
        f"change every {args.interval:g} s per session on average "
        f"({'at random moments, exponential gaps' if args.arrivals == 'random' else 'evenly spread'}), "
        f"{args.paced_seconds:g} s per level",
        f"# Streamlit options for both: {' '.join(args.streamlit_args) or 'none (as committed)'}",
        "# latency: a filter change until its rerun finished (paced: from the click, waits "
        "included); CPU: the Streamlit processes (user+system), per rerun; PostgreSQL ~: all its "
        "processes, other clients' too, less backends that ended within the level",
    ])  # fmt: skip


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _ratio(a: float, b: float) -> str:
    if math.isnan(a) or math.isnan(b) or b == 0:
        return "-"
    return f"{a / b:.2f}x"


def _line(name: str, r: LevelResult) -> str:
    db = "" if r.db_cpu is None else f", PostgreSQL ~{1e3 * r.db_cpu / max(1, r.n):.1f} ms/rerun"
    errors = ", ".join(f"{k} {v}" for k, v in r.errors.items()) or "0"
    return (
        f"  {name:9s} p50 {_ms(r.p50):>7s} ms  p95 {_ms(r.p95):>7s} ms  n={r.n:<5d} "
        f"{r.rate:6.1f} reruns/s  server CPU {100 * r.server_cpu / r.wall:4.0f}% "
        f"({r.cpu_ms_per_rerun:.1f} ms/rerun{db}), client CPU {100 * r.client_cpu / r.wall:.0f}%, "
        f"RSS {r.rss_mib:.0f} MiB, unchanged {r.unchanged}, errors {errors}"
    )


def level_lines(
    config: Any, mode: str, n: int, app: LevelResult, standin: LevelResult | None
) -> str:
    title = "closed loop" if mode == "closed" else "paced"
    load = os.getloadavg()[0]
    lines = [f"[{config}] {title}, {n} session{'s' if n > 1 else ''} (load average {load:.1f})",
             _line("app", app)]  # fmt: skip
    if standin is not None:
        lines.append(_line("stand-in", standin))
        lines.append(
            f"  {'ratio':9s} p50 {_ratio(app.p50, standin.p50)}  p95 {_ratio(app.p95, standin.p95)}"
            f"  reruns/s {_ratio(app.rate, standin.rate)}  CPU/rerun "
            f"{_ratio(app.cpu_ms_per_rerun, standin.cpu_ms_per_rerun)}"
        )
    return "\n".join(lines)


def _table(results: dict[tuple[str, int], tuple[LevelResult, LevelResult | None]]) -> list[str]:
    out = [
        "| mode | sessions | p50 ms app / stand-in | p95 ms app / stand-in | p95 ratio "
        "| reruns/s app / stand-in | ratio | CPU ms/rerun app / stand-in | ratio | unchanged, errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for (mode, n), (a, s) in results.items():
        s = s or LevelResult()
        errors = sum(a.errors.values()) + sum(s.errors.values())
        out.append(
            f"| {mode} | {n} | {_ms(a.p50)} / {_ms(s.p50)} | {_ms(a.p95)} / {_ms(s.p95)} "
            f"| {_ratio(a.p95, s.p95)} | {a.rate:.1f} / {s.rate:.1f} | {_ratio(a.rate, s.rate)} "
            f"| {a.cpu_ms_per_rerun:.1f} / {s.cpu_ms_per_rerun:.1f} "
            f"| {_ratio(a.cpu_ms_per_rerun, s.cpu_ms_per_rerun)} | {a.unchanged + s.unchanged}, {errors} |"
        )
    return out


def saturation(results: dict, which: int) -> float:
    """The best closed-loop rerun rate over the levels (`which` 0: app, 1: stand-in)."""
    rates = [pair[which].rate for (mode, _), pair in results.items()
             if mode == "closed" and pair[which] is not None]  # fmt: skip
    return max(rates, default=math.nan)


def summary(all_results: dict) -> str:
    out = ["", "# Summary"]
    for config, results in all_results.items():
        out += ["", f"## {config}", "", *_table(results)]
    out += ["", "## Saturation (best closed-loop reruns/s) and two processes against one", ""]
    out += ["| database | processes | app reruns/s | stand-in reruns/s | app / stand-in |",
            "|---|---:|---:|---:|---:|"]  # fmt: skip
    by_db: dict[str, dict[int, tuple[float, float]]] = {}
    for config, results in all_results.items():
        app, standin = saturation(results, 0), saturation(results, 1)
        by_db.setdefault(config.database, {})[config.processes] = (app, standin)
        out.append(f"| {config.database} | {config.processes} | {app:.1f} | {standin:.1f} "
                   f"| {_ratio(app, standin)} |")  # fmt: skip
    for database, rates in by_db.items():
        if 1 in rates and 2 in rates:
            out.append(f"\n{database}: two processes / one at saturation: app "
                       f"{_ratio(rates[2][0], rates[1][0])}, stand-in {_ratio(rates[2][1], rates[1][1])}")  # fmt: skip
    out += ["", *targets(all_results, by_db)]
    return "\n".join(out)


def targets(all_results: dict, by_db: dict) -> list[str]:
    """Issue 15's targets against this run's figures."""

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    out = ["## Issue 15 targets (one process unless said)"]
    for config, results in all_results.items():
        if config.processes != 1:
            continue
        paced = results.get(("paced", 50))
        if paced:
            p95 = paced[0].p95
            out.append(f"- {config.database}: 50 paced sessions, p95 {_ms(p95)} ms "
                       f"(target < {PACED_P95_TARGET_MS:.0f}): {verdict(p95 < PACED_P95_TARGET_MS)}")  # fmt: skip
        cpu = [(a.cpu_ms_per_rerun / s.cpu_ms_per_rerun) for (m, _), (a, s) in results.items()
               if m == "closed" and s is not None and s.n and a.n]  # fmt: skip
        if cpu:
            worst = max(cpu)
            out.append(f"- {config.database}: server CPU per rerun vs stand-in, worst closed level "
                       f"{worst:.2f}x (target <= {CPU_RATIO_TARGET}): {verdict(worst <= CPU_RATIO_TARGET)}")  # fmt: skip
        app, standin = saturation(results, 0), saturation(results, 1)
        if not math.isnan(standin):
            ratio = app / standin
            out.append(f"- {config.database}: saturation vs stand-in {ratio:.2f}x "
                       f"(target >= {SATURATION_RATIO_TARGET}): {verdict(ratio >= SATURATION_RATIO_TARGET)}")  # fmt: skip
    pg = by_db.get("PostgreSQL", {})
    if 1 in pg and 2 in pg:
        ratio = pg[2][0] / pg[1][0]
        out.append(f"- PostgreSQL: two processes / one {ratio:.2f}x (target >= {TWO_PROCESS_TARGET}): "
                   f"{verdict(ratio >= TWO_PROCESS_TARGET)}")  # fmt: skip
    return out


class _Tee:
    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


@contextlib.contextmanager
def tee(path: Path) -> Iterator[None]:
    """Everything printed also goes to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as file:
        original = sys.stdout
        sys.stdout = _Tee(original, file)  # type: ignore[assignment]
        try:
            yield
        finally:
            sys.stdout = original


def _stop_on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # unwinds like Ctrl+C: every server a benchmark started is stopped


def run_main(run: Callable[[Any], None], args: Any) -> None:
    """A benchmark's main: SIGTERM and SIGINT stop it cleanly, and with `args.output` everything
    printed also goes to that file."""
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    if args.output is None:
        run(args)
        return
    with tee(args.output):
        run(args)
