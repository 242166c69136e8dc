"""Sessions that change directory filters, closed loop or paced, and what one level of load measured.

Each session walks its own seeded path through the filters: every step changes one filter
(a discipline, a country, or "open to new mentees"), as a person would, so every step asks for
a different result. A step whose result looked the same as the one before is counted as
"unchanged" (so a broken filter, or one the page ignores, shows up in the report).
"""

from __future__ import annotations

import asyncio
import math
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import psutil

from benchmarks.streamlit_client import RunResult, Session


@dataclass(frozen=True)
class Target:
    """How to find the three filters on a page, by their labels."""

    name: str
    discipline: str
    country: str
    open_only: str
    countries: tuple[str, ...]  # the countries sessions pick from (those with many mentors)


@dataclass
class Walker:
    """One session's path through the filters: each step changes exactly one of them."""

    target: Target
    disciplines: Sequence[str]
    countries: Sequence[str]
    rng: random.Random
    discipline: str | None = None
    country: str | None = None
    open_only: bool = False
    country_kind: str = "selectbox"  # the app has a select box, the stand-in a multiselect

    def step(self) -> dict[str, object]:
        move = self.rng.choice(("discipline", "discipline", "country", "open"))
        if move == "discipline":
            choices = [d for d in self.disciplines if d != self.discipline]
            self.discipline = self.rng.choice(choices)
        elif move == "country":
            choices = [c for c in self.countries if c != self.country]
            self.country = self.rng.choice(choices)
        else:
            self.open_only = not self.open_only
        return self.values()

    def values(self) -> dict[str, object]:
        t = self.target
        country_is_multi = self.country_kind == "multiselect"
        country = ([self.country] if self.country else []) if country_is_multi else self.country
        return {
            t.discipline: [self.discipline] if self.discipline else [],
            t.country: country,
            t.open_only: self.open_only,
        }


def walker_for(session: Session, target: Target, seed: int) -> Walker:
    """A walker over the options the page itself offers."""
    disciplines = session.widget(target.discipline).options
    country = session.widget(target.country)
    session.widget(target.open_only)
    countries = [c for c in target.countries if c in country.options] or list(country.options)
    walker = Walker(target, disciplines, countries, random.Random(seed))
    walker.country_kind = country.kind
    return walker


@dataclass
class LevelResult:
    """What one level (n sessions, one mode, one target) measured."""

    latencies: list[float] = field(default_factory=list)
    # when each change was clicked (perf_counter), in the order of `latencies`
    clicks: list[float] = field(default_factory=list)
    wall: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    db_cpu: float | None = None
    rss_mib: float = 0.0
    unchanged: int = 0
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def n(self) -> int:
        return len(self.latencies)

    def percentile(self, fraction: float) -> float:
        """Nearest-rank percentile in milliseconds (nan without samples)."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return 1e3 * ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]

    @property
    def p50(self) -> float:
        return 1e3 * statistics.median(self.latencies) if self.latencies else math.nan

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    @property
    def rate(self) -> float:
        return self.n / self.wall if self.wall else math.nan

    @property
    def cpu_ms_per_rerun(self) -> float:
        return 1e3 * self.server_cpu / self.n if self.n else math.nan


def cpu_seconds(processes: Sequence[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def cpu_by_process(processes: Sequence[psutil.Process]) -> dict[int, float]:
    found = {}
    for process in processes:
        try:
            times = process.cpu_times()
            found[process.pid] = times.user + times.system
        except psutil.Error:
            pass
    return found


def cpu_used(before: dict[int, float], processes: Sequence[psutil.Process]) -> float:
    """CPU seconds used since `before` by the processes alive at the end, new ones included.
    PostgreSQL's backends come and go (a connection pool that overflows opens and closes
    them): one that ended during the level is missed, never subtracted."""
    after = cpu_by_process(processes)
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def postgres_processes() -> list[psutil.Process]:
    """The PostgreSQL server's processes on this machine (to show the database's share)."""
    found = []
    for process in psutil.process_iter(["name"]):
        if process.info["name"] in ("postgres", "postmaster"):
            found.append(process)
    return found


async def open_sessions(
    ports: Sequence[int], n: int, target: Target, seed: int
) -> list[tuple[Session, Walker]]:
    """n sessions spread evenly over `ports` (session i on ports[i % len]), 10 at a time."""
    pairs: list[tuple[Session, Walker]] = []
    for start in range(0, n, 10):
        batch = [
            Session("127.0.0.1", ports[i % len(ports)]) for i in range(start, min(n, start + 10))
        ]
        await asyncio.gather(*(s.connect() for s in batch))
        pairs += [(s, walker_for(s, target, seed * 1000 + start + i)) for i, s in enumerate(batch)]
    return pairs


async def run_level(
    pairs: list[tuple[Session, Walker]],
    servers: Sequence[psutil.Process],
    *,
    seconds: float,
    interval: float | None,
    with_db_cpu: bool,
    arrivals: str = "random",
    seed: int = 0,
) -> LevelResult:
    """Every session changes a filter until `seconds` have passed: back to back (closed loop,
    `interval` None), or paced: on average every `interval` seconds, at random moments
    (`arrivals="random"`: exponential gaps, seeded, as independent people click), or exactly
    every `interval` seconds with the sessions' first changes spread evenly over the first
    interval (`"even"`: the kindest case for the server). A paced change that has to wait for
    the one before counts its wait: latency runs from when the person clicked."""
    result = LevelResult()
    db = postgres_processes() if with_db_cpu else []
    me = psutil.Process()
    previous: dict[int, str] = {}
    begin = time.perf_counter()
    deadline = begin + seconds

    async def user(index: int, session: Session, walker: Walker) -> None:
        rng = random.Random(seed * 7919 + index)
        even = arrivals == "even"

        def gap() -> float:
            return interval if even else rng.expovariate(1 / interval)  # type: ignore[operator]

        due = begin + ((index * interval / len(pairs) if even else gap()) if interval else 0.0)
        while due < deadline:
            if interval:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            clicked = time.perf_counter()
            try:
                run: RunResult = await asyncio.wait_for(session.rerun(walker.step()), 120)
            except Exception as error:  # noqa: BLE001 - counted and reported, the level goes on
                result.errors[type(error).__name__] += 1
                return
            finished = time.perf_counter()
            result.latencies.append(finished - (due if interval else clicked))
            result.clicks.append(due if interval else clicked)
            if run.exceptions:
                result.errors["exception on the page"] += 1
            result.unchanged += previous.get(index) == run.signature
            previous[index] = run.signature
            due = due + gap() if interval else finished

    c0, m0, d0 = cpu_seconds(servers), cpu_seconds([me]), cpu_by_process(db)
    await asyncio.gather(*(user(i, s, w) for i, (s, w) in enumerate(pairs)))
    result.wall = time.perf_counter() - begin
    result.server_cpu = cpu_seconds(servers) - c0
    result.client_cpu = cpu_seconds([me]) - m0
    result.db_cpu = cpu_used(d0, postgres_processes()) if with_db_cpu else None
    result.rss_mib = sum(p.memory_info().rss for p in servers) / 2**20
    return result
