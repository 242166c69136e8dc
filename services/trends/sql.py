"""What SQLite and PostgreSQL spell differently: the seconds between two timestamps, and percentiles.

PostgreSQL has `percentile_cont`. SQLite has none: there the range's waits (one number per report
acted on in the range, read from an index that holds it) are fetched and interpolated with the
same formula. SQLite's window functions can rank them too, but took twice as long at scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import (
    CTE,
    ColumnElement,
    Float,
    Select,
    String,
    case,
    column,
    func,
    select,
    text,
    tuple_,
    values,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from services.trends.periods import WHOLE

FRACTIONS = (0.5, 0.9)  # the median and the 90th percentile


def code_table(name: str, codes: Sequence[str]) -> CTE:
    """A one-column VALUES list (`code`), to count each code in a correlated subquery."""
    return values(column("code", String), name=name).data([(code,) for code in codes]).cte(name)


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
    """Per bucket of `durations` (columns idx, seconds), and over every bucket of the range
    together (WHOLE): the count and the percentile_cont of each fraction."""
    if session.get_bind().dialect.name == "postgresql":
        return _percentile_cont(session, durations, fractions)
    return _fetched(session, durations, fractions)


def _percentile_cont(
    session: Session, durations: Select[Any], fractions: Sequence[float]
) -> dict[int, Spread]:
    """PostgreSQL's percentile_cont, per bucket and over the range, from one pass (grouping sets)."""
    session.execute(text("SET LOCAL work_mem = '64MB'"))  # sort the range's waits in memory
    d = durations.subquery("durations")
    part = case((d.c.idx >= 0, WHOLE), else_=d.c.idx)
    query = select(
        d.c.idx, part, func.count(),
        *(func.percentile_cont(f).within_group(d.c.seconds) for f in fractions),
    ).group_by(func.grouping_sets(tuple_(d.c.idx), tuple_(part)))  # fmt: skip
    return {
        idx if idx is not None else whole: Spread(count, tuple(float(v) for v in values))
        for idx, whole, count, *values in session.execute(query)
    }


def _fetched(
    session: Session, durations: Select[Any], fractions: Sequence[float]
) -> dict[int, Spread]:
    """SQLite has no percentile: fetch the range's waits (one number each) and interpolate as
    percentile_cont does (numpy's "linear" method is the same formula)."""
    found: dict[int, list[float]] = {}
    for idx, seconds in session.execute(durations):
        found.setdefault(idx, []).append(seconds)
    found[WHOLE] = [s for idx, waits in found.items() if idx >= 0 for s in waits]
    return {
        idx: Spread(len(waits), tuple(float(v) for v in np.percentile(waits, [100 * f for f in fractions])))
        for idx, waits in found.items() if waits
    }  # fmt: skip
