"""What SQLite and PostgreSQL spell differently: the seconds between two timestamps, and percentiles.

PostgreSQL has `percentile_cont`. SQLite has none: there the range's waits (one number per report
acted on in the range, read from an index that holds it) are fetched, one text per bucket, and
interpolated with the same formula. SQLite's window functions can rank them too, but took twice as long at scale.
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
    any_,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from services.trends.periods import WHOLE, rows_table

FRACTIONS = (0.5, 0.9)  # the median and the 90th percentile


def code_table(name: str, codes: Sequence[str]) -> CTE:
    """A one-column list of codes (`code`), to count each code in a correlated subquery."""
    return rows_table(name, [("code", String())], [(code,) for code in codes])


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


class _ArrayOf(ColumnElement[Any]):
    """PostgreSQL's ARRAY(subquery): the planner then seeks an index for each element."""

    inherit_cache = True
    _traverse_internals = [("query", InternalTraversal.dp_clauseelement)]

    def __init__(self, query: Select[Any]) -> None:
        self.query = query


@compiles(_ArrayOf, "postgresql")
def _array_of_postgresql(element: _ArrayOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"ARRAY({compiler.process(element.query, asfrom=False, **kw)})"


def among(column: ColumnElement[Any], ids: Select[Any], *, dialect: str) -> ColumnElement[bool]:
    """`column` is one of a (small) subquery's ids. PostgreSQL plans `IN (subquery)` as a join
    and may read a whole range to probe it; `= ANY(ARRAY(subquery))` seeks each id instead."""
    if dialect == "postgresql":
        return column == any_(_ArrayOf(ids))
    return column.in_(ids)


@dataclass(frozen=True)
class Spread:
    """How many durations a bucket had, and their percentiles (None when it had none)."""

    count: int
    percentiles: tuple[float | None, ...]


def for_analysis(session: Session) -> None:
    """On PostgreSQL, for this transaction: sort a range's waits in memory, and no JIT (these
    statements run in milliseconds; the planner can't size a join on a list of buckets and
    would spend more compiling than running them)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(text("SET LOCAL jit = off"))


def percentiles(
    session: Session,
    durations: Select[Any],
    *,
    whole: Select[Any],
    joined: Select[Any],
    fractions: Sequence[float] = FRACTIONS,
) -> dict[int, Spread]:
    """Per bucket of the range and the period before it, and over every bucket of the range
    together (WHOLE): the count and the percentile_cont of each fraction of the waits.

    The same waits, as each database reads them best: PostgreSQL aggregates `durations` (idx,
    seconds) and `whole` (the range's seconds, one column); SQLite hands `joined` (idx, the
    bucket's seconds joined by commas) over as one text per bucket, which numpy parses (a row
    per wait made Python objects for ~100,000 numbers, slower than the query, and held the
    interpreter while the page's other reads waited)."""
    if session.get_bind().dialect.name == "postgresql":
        return _percentile_cont(session, durations, whole, fractions)
    found = {
        int(idx): np.fromstring(waits, sep=",") for idx, waits in session.execute(joined) if waits
    }
    return _interpolated(found, fractions)


def _percentile_cont(
    session: Session, durations: Select[Any], whole: Select[Any], fractions: Sequence[float]
) -> dict[int, Spread]:
    """PostgreSQL's percentile_cont per bucket, and over the range (a second aggregate: cheaper
    than grouping sets, which sorted every wait twice)."""
    for_analysis(session)
    every = func.percentile_cont(postgresql.array(list(fractions)))
    d = durations.subquery("durations")
    waits = whole.subquery("whole").c[0]
    query = union_all(
        select(d.c.idx, func.count(), every.within_group(d.c.seconds)).group_by(d.c.idx),
        select(literal(WHOLE), func.count(), every.within_group(waits)),
    )
    return {
        idx: Spread(count, tuple(float(v) for v in values))
        for idx, count, values in session.execute(query)
        if count
    }


def _interpolated(found: dict[int, np.ndarray], fractions: Sequence[float]) -> dict[int, Spread]:
    """Each bucket's count and percentiles, and those of every bucket of the range together, as
    percentile_cont computes them (numpy's "linear" method is the same formula)."""
    in_range = [waits for idx, waits in found.items() if idx >= 0 and len(waits)]
    if in_range:
        found[WHOLE] = np.concatenate(in_range)
    return {
        idx: Spread(len(waits), tuple(float(v) for v in np.percentile(waits, [100 * f for f in fractions])))
        for idx, waits in found.items() if len(waits)
    }  # fmt: skip
