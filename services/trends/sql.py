"""What SQLite and PostgreSQL spell differently: the seconds between two timestamps, and percentiles.

PostgreSQL has `percentile_cont`. SQLite has none, so there the durations are ranked with window
functions and only the (at most four) rows on either side of each percentile leave the database;
the last step, interpolating between them, is the same formula percentile_cont uses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, Select, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

FRACTIONS = (0.5, 0.9)  # the median and the 90th percentile


class _SecondsBetween(ColumnElement[float]):
    inherit_cache = True
    type = Float()
    _traverse_internals = [
        ("later", InternalTraversal.dp_clauseelement),
        ("earlier", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, later: ColumnElement[Any], earlier: ColumnElement[Any]) -> None:
        self.later = later
        self.earlier = earlier


@compiles(_SecondsBetween, "postgresql")
def _seconds_postgresql(element: _SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = compiler.process(element.later, **kw), compiler.process(element.earlier, **kw)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


@compiles(_SecondsBetween, "sqlite")
def _seconds_sqlite(element: _SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = compiler.process(element.later, **kw), compiler.process(element.earlier, **kw)
    # Timestamps are stored as ISO text; rounded to the millisecond julianday can resolve.
    return f"ROUND((julianday({later}) - julianday({earlier})) * 86400.0, 3)"


def seconds_between(later: ColumnElement[Any], earlier: ColumnElement[Any]) -> ColumnElement[float]:
    """`later - earlier` in seconds, on either database."""
    return _SecondsBetween(later, earlier)


@dataclass(frozen=True)
class Spread:
    """How many durations a bucket had, and their percentiles (None when it had none)."""

    count: int
    percentiles: tuple[float | None, ...]


def percentiles(
    session: Session, durations: Select[Any], *, fractions: Sequence[float] = FRACTIONS
) -> dict[int, Spread]:
    """Per bucket of `durations` (columns idx, seconds): the count and percentile_cont of each fraction."""
    if session.get_bind().dialect.name == "postgresql":
        return _percentile_cont(session, durations, fractions)
    return _ranked(session, durations, fractions)


def _percentile_cont(
    session: Session, durations: Select[Any], fractions: Sequence[float]
) -> dict[int, Spread]:
    d = durations.subquery("durations")
    query = select(
        d.c.idx, func.count(),
        *(func.percentile_cont(f).within_group(d.c.seconds) for f in fractions),
    ).group_by(d.c.idx)  # fmt: skip
    return {
        idx: Spread(count, tuple(float(v) for v in values))
        for idx, count, *values in session.execute(query)
    }


def _ranked(
    session: Session, durations: Select[Any], fractions: Sequence[float]
) -> dict[int, Spread]:
    d = durations.subquery("durations")
    ranked = select(
        d.c.idx, d.c.seconds,
        func.row_number().over(partition_by=d.c.idx, order_by=d.c.seconds).label("rn"),
        func.count().over(partition_by=d.c.idx).label("n"),
    ).subquery("ranked")  # fmt: skip
    # The rank just below each percentile's position 1 + (n - 1) * f, and the one after it.
    below = [cast(1 + (ranked.c.n - 1) * f, Integer) for f in fractions]
    wanted = [rank for low in below for rank in (low, low + 1)]
    query = select(ranked.c.idx, ranked.c.n, ranked.c.rn, ranked.c.seconds).where(
        ranked.c.rn.in_(wanted) if len(wanted) > 1 else ranked.c.rn == wanted[0]
    )
    found: dict[int, tuple[int, dict[int, float]]] = {}
    for idx, n, rn, seconds in session.execute(query):
        found.setdefault(idx, (n, {}))[1][rn] = float(seconds)
    return {
        idx: Spread(n, tuple(_interpolate(by_rank, n, f) for f in fractions))
        for idx, (n, by_rank) in found.items()
    }


def _interpolate(by_rank: dict[int, float], n: int, fraction: float) -> float:
    """percentile_cont: between the two ranks around 1 + (n - 1) * fraction, linearly."""
    position = 1 + (n - 1) * fraction
    low = math.floor(position)
    weight = position - low
    below = by_rank[low]
    return below if weight == 0 or low >= n else below + weight * (by_rank[low + 1] - below)
