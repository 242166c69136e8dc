"""A period's counts as the public tables of the transparency report, small counts withheld.

Each table is drafted as its counts and the sums among them (every column adds up to its total
row, every row of decisions to its total), then every table is suppressed at once. A year is
also the sum of its four quarters, cell by cell: when its quarters are public, they enter the
suppression as published (read as shown, never changed), with one sum per cell from the four
quarters to the year, so the year never gives away a quarter's small count; only the year's own
figures are withheld for it. The medians of the waits are no sums: shown once 5 reports or more
were timed, and never with how many were (that number is the table's count of decisions).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from services.evidence.suppression import SMALLEST_SHOWN, Group, Hidden, Shown, suppress
from services.evidence.transparency_figures import (
    APPEALS,
    OUTCOMES,
    PARTS,
    STEPS,
    Median,
    PeriodCounts,
    PublicPeriod,
)

ALL_PARTS = "All parts of the Code"
RECEIVED, DECIDED = "Received", "Decided"
ALL_STEPS, APPEALS_DECIDED = "All steps", "Appeals decided"
NOT_SHOWN = f"not shown (fewer than {SMALLEST_SHOWN} reports)"
CSV_COLUMNS = ["period", "table", "row", "column", "figure"]
Figure = Shown | float | str
Cell = tuple[str, str]  # (row, column)


@dataclass(frozen=True)
class PublicTable:
    """One table as the public reads it: its rows' figures, each a count or a withheld mark."""

    title: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Figure, ...]], ...]

    def frame(self) -> pd.DataFrame:
        """The table as shown: the row heading, then a text column per figure."""
        return pd.DataFrame(
            [[label, *(shown_text(v) for v in values)] for label, values in self.rows],
            columns=[self.row_heading, *self.columns],
        )

    def figure(self, row: str, column: str) -> Figure | None:
        """One figure as shown; None when the table has no such row or column."""
        values = dict(self.rows).get(row)
        if values is None or column not in self.columns:
            return None
        return values[self.columns.index(column)]


@dataclass(frozen=True)
class PublicReport:
    """A period's report: its tables, when it was published (None for a preview), and whether
    its figures are the local sample setup's made-up ones."""

    period: PublicPeriod
    tables: tuple[PublicTable, ...]
    published_at: datetime | None = None
    sample: bool = False

    def csv_frame(self) -> pd.DataFrame:
        """Every figure of every table, one per line, exactly as the page shows it."""
        return pd.DataFrame(
            [(self.period.key, t.title, label, column, shown_text(value))
             for t in self.tables for label, values in t.rows
             for column, value in zip(t.columns, values, strict=True)],
            columns=CSV_COLUMNS,
        )  # fmt: skip

    def table(self, title: str) -> PublicTable | None:
        return next((t for t in self.tables if t.title == title), None)


def shown_text(value: Figure) -> str:
    """A figure as text: a count, a median in days, or why it is withheld."""
    if isinstance(value, Hidden):
        return value.value
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@dataclass(frozen=True)
class _Draft:
    """A table's counts before suppression: cells by (row, column), and the sums among them."""

    title: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[str, ...]
    cells: dict[Cell, int]
    sums: list[tuple[tuple[Cell, ...], Cell]] = field(default_factory=list)  # (members, total)


def public_tables(
    counts: PeriodCounts, *, quarters: Sequence[PublicReport] = ()
) -> tuple[PublicTable, ...]:
    """The period's tables with every small count, and every figure that would reveal one,
    withheld; for a year, its published `quarters` are taken into account."""
    drafts = (_reports_draft(counts), _steps_draft(counts), _appeals_draft(counts))
    cells: dict[Hashable, int] = {}
    groups: list[Group] = []
    published: dict[Hashable, Shown] = {}
    for d in drafts:
        cells |= {(d.title, *cell): n for cell, n in d.cells.items()}
        groups += [Group(tuple((d.title, *m) for m in members), (d.title, *total))
                   for members, total in d.sums]  # fmt: skip
        for row, column in d.cells if quarters else ():
            shown = [_shown_in(q, d.title, row, column) for q in quarters]
            if all(v is not None for v in shown):
                keys = tuple((q.period.key, d.title, row, column) for q in quarters)
                published |= dict(zip(keys, shown, strict=True))  # type: ignore[arg-type]
                groups.append(Group(keys, (d.title, row, column)))
        for q in quarters:  # the quarters' own sums are public too
            for members, total in d.sums:
                inside = tuple((q.period.key, d.title, *m) for m in members)
                if all(c in published for c in (*inside, (q.period.key, d.title, *total))):
                    groups.append(Group(inside, (q.period.key, d.title, *total)))
    shown_now = suppress(cells, groups, published=published)
    tables = tuple(
        PublicTable(d.title, d.row_heading, d.columns,
                    tuple((r, tuple(shown_now[d.title, r, c] for c in d.columns)) for r in d.rows))
        for d in drafts
    )  # fmt: skip
    return (*tables, _waits_table(counts))


def _shown_in(report: PublicReport, title: str, row: str, column: str) -> Shown | None:
    table = report.table(title)
    value = table.figure(row, column) if table else None
    return value if isinstance(value, int | Hidden) else None


def _reports_draft(counts: PeriodCounts) -> _Draft:
    outcomes = tuple(OUTCOMES.values())
    columns = (RECEIVED, *outcomes, DECIDED)
    cells: dict[tuple[str, str], int] = {}
    for part in PARTS:
        cells[part, RECEIVED] = counts.received[part]
        for outcome in outcomes:
            cells[part, outcome] = counts.decided[part, outcome]
        cells[part, DECIDED] = sum(counts.decided[part, o] for o in outcomes)
    rows = (*PARTS, ALL_PARTS)
    for column in columns:
        cells[ALL_PARTS, column] = sum(cells[part, column] for part in PARTS)
    sums = [(tuple((p, c) for p in PARTS), (ALL_PARTS, c)) for c in columns]
    sums += [(tuple((r, o) for o in outcomes), (r, DECIDED)) for r in rows]
    return _Draft("Reports received and decided, by part of the Code", "Part of the Code",
                  columns, rows, cells, sums)  # fmt: skip


def _single_column(title: str, heading: str, column: str, counts: dict[str, int],
                   total: str, members: tuple[str, ...]) -> _Draft:  # fmt: skip
    cells = {(label, column): n for label, n in counts.items()}
    cells[total, column] = sum(counts[m] for m in members)
    sums = [(tuple((m, column) for m in members), (total, column))]
    return _Draft(title, heading, (column,), (*counts, total), cells, sums)


def _steps_draft(counts: PeriodCounts) -> _Draft:
    return _single_column("Steps of the enforcement ladder", "Step", "Listings", counts.steps,
                          ALL_STEPS, tuple(STEPS.values()))  # fmt: skip


def _appeals_draft(counts: PeriodCounts) -> _Draft:
    _received, *decisions = APPEALS.values()
    return _single_column("Appeals and their outcomes", "Appeals", "Number", counts.appeals,
                          APPEALS_DECIDED, tuple(decisions))  # fmt: skip


def _waits_table(counts: PeriodCounts) -> PublicTable:
    def median(wait: Median) -> float | str:
        return wait.days if wait.reports >= SMALLEST_SHOWN and wait.days is not None else NOT_SHOWN

    return PublicTable(
        "How long reports waited", "Wait", ("Median (days)",),
        (("From receipt to acknowledgement", (median(counts.acknowledgement),)),
         ("From receipt to a decision", (median(counts.decision),))),
    )  # fmt: skip
