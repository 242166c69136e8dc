"""Suppression of small counts, as a pure function: hand-made tables, then generated ones.

Whatever the table, a figure from 1 to 4 is never shown, 0 always is, only figures of 5 or more are
withheld, and no hidden figure can be worked out from what is shown: not by subtracting what is
shown from a total, nor by narrowing its bounds sum after sum."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.evidence.suppression import Group, Hidden, pinned, reader_bounds, suppress

SMALL, WITHHELD = Hidden.SMALL, Hidden.WITHHELD


def column(*values: int) -> tuple[dict[str, int], list[Group]]:
    """A column of counts and its total."""
    counts = {f"c{i}": v for i, v in enumerate(values)} | {"total": sum(values)}
    return counts, [Group(tuple(f"c{i}" for i in range(len(values))), "total")]


@pytest.mark.parametrize(("values", "shown"), [
    ((7, 6, 12), [7, 6, 12, 25]),  # nothing small
    ((0, 0, 9), [0, 0, 9, 9]),  # zeros stay zeros
    ((3, 0, 12), [SMALL, 0, WITHHELD, 15]),  # 15 - 12 - 0 would be the 3: the 12 goes too
    ((2, 7, 6), [SMALL, 7, WITHHELD, 15]),  # the smallest other figure is withheld
    ((2, 1, 9), [SMALL, SMALL, 9, 12]),  # 3 between two small ones: (1, 2) or (2, 1)
    ((1, 5), [SMALL, WITHHELD, WITHHELD]),  # 6 = 1 + 5 exactly, the least the two could be
    ((4, 4, 10), [SMALL, SMALL, WITHHELD, 18]),  # 8 between two small ones: both must be 4
    ((3,), [SMALL, SMALL]),  # a total of one count is as small
])  # fmt: skip
def test_a_column_shows_what_gives_nothing_away(
    values: tuple[int, ...], shown: list[object]
) -> None:
    counts, groups = column(*values)
    assert list(suppress(counts, groups).values()) == shown


def test_in_a_table_with_row_and_column_totals_the_withholding_spreads_until_nothing_gives_way() -> (
    None
):
    # Decided reports: rows are parts of the Code, columns action / no action / dismissed, then
    # the row totals, and a total row. One dismissal (1) would be 12 - 6 - 5 in the total row.
    table = {"pay": (6, 0, 0), "replies": (0, 5, 0), "privacy": (0, 0, 1)}
    counts = {(r, c): v for r, values in table.items() for c, v in enumerate(values)}
    for r in table:
        counts[r, "all"] = sum(table[r])
    for c in (0, 1, 2, "all"):
        counts["all", c] = sum(counts[r, c] for r in table)
    rows, columns = [*table, "all"], [0, 1, 2, "all"]
    groups = [Group(tuple((r, c) for r in table), ("all", c)) for c in columns]
    groups += [Group(tuple((r, c) for c in (0, 1, 2)), (r, "all")) for r in rows]
    shown = suppress(counts, groups)
    assert [[shown[r, c] for c in columns] for r in rows] == [
        [WITHHELD, 0, 0, WITHHELD],
        [0, WITHHELD, 0, WITHHELD],
        [0, 0, SMALL, SMALL],
        [WITHHELD, WITHHELD, SMALL, 12],
    ]
    assert not pinned(counts, groups, {c: v for c, v in shown.items() if isinstance(v, Hidden)})


def test_a_reader_narrows_bounds_sum_after_sum() -> None:
    groups = [Group(("a", "b"), "t"), Group(("b", "c"), "u")]
    bounds = reader_bounds({"a": SMALL, "b": WITHHELD, "t": 9, "c": 0, "u": WITHHELD}, groups)
    assert bounds["a"] == (1, 4) and bounds["b"] == (5, 8) and bounds["u"] == (5, 8)


def tables() -> st.SearchStrategy[tuple[dict[tuple[int, int], int], list[Group]]]:
    """Tables of up to 4 x 4 counts with a total row and column (small counts likely)."""
    counts = st.one_of(st.integers(0, 6), st.integers(0, 40))
    shape = st.tuples(st.integers(1, 4), st.integers(1, 4))
    return shape.flatmap(lambda s: st.lists(counts, min_size=s[0] * s[1], max_size=s[0] * s[1]).map(
        lambda values: _with_totals(s[0], s[1], values)))  # fmt: skip


def _with_totals(
    n_rows: int, n_columns: int, values: list[int]
) -> tuple[dict[tuple[int, int], int], list[Group]]:
    cells = {(r, c): values[r * n_columns + c] for r in range(n_rows) for c in range(n_columns)}
    for r in range(n_rows):
        cells[r, n_columns] = sum(cells[r, c] for c in range(n_columns))
    for c in range(n_columns + 1):
        cells[n_rows, c] = sum(cells[r, c] for r in range(n_rows))
    groups = [
        Group(tuple((r, c) for c in range(n_columns)), (r, n_columns)) for r in range(n_rows + 1)
    ]
    groups += [
        Group(tuple((r, c) for r in range(n_rows)), (n_rows, c)) for c in range(n_columns + 1)
    ]
    return cells, groups


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_hidden_figure_can_be_worked_out_from_the_figures_shown(
    table: tuple[dict[tuple[int, int], int], list[Group]],
) -> None:
    counts, groups = table
    shown = suppress(counts, groups)
    for cell, value in shown.items():
        n = counts[cell]
        assert value == (SMALL if 0 < n < 5 else n) or (value is WITHHELD and n >= 5)
    for group in groups:  # never one hidden figure alone in a sum: total minus the rest gives it
        assert sum(isinstance(shown[c], Hidden) for c in group.cells) != 1
    hidden = {cell: v for cell, v in shown.items() if isinstance(v, Hidden)}
    for cell in pinned(counts, groups, hidden):
        # Only where nothing is left to withhold: every figure shown beside it is a 0 (say four
        # counts of 1 and a total of 4, the least four small counts can add up to).
        assert all(
            counts[c] == 0 for g in groups if cell in g.cells for c in g.cells if c not in hidden
        )
    bounds = reader_bounds(shown, groups)
    assert all(low <= counts[cell] <= high for cell, (low, high) in bounds.items())


def test_figures_already_published_are_read_as_shown_and_only_new_ones_are_withheld() -> None:
    # Three quarters of 10 and one of "fewer than 5" are public: a year of 33 would be 3 for the last.
    quarters = {"q1": 10, "q2": 10, "q3": 10, "q4": SMALL}
    year = [Group(("q1", "q2", "q3", "q4"), "year")]
    assert suppress({"year": 33}, year, published=quarters) == {"year": WITHHELD}
    assert suppress({"year": 45}, year, published={**quarters, "q4": 15}) == {"year": 45}


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.lists(
    st.lists(st.one_of(st.integers(0, 6), st.integers(0, 30)), min_size=n, max_size=n),
    min_size=4, max_size=4)))  # fmt: skip
def test_a_year_published_after_its_quarters_gives_none_of_their_figures_away(
    quarters: list[list[int]],
) -> None:
    """Four quarters, each a column of counts with its total, published one by one; then the
    year, whose every cell is the sum of the quarters' and which is itself a column with a total."""
    rows = len(quarters[0])

    def column(name: object, values: list[int]) -> tuple[dict[object, int], Group]:
        cells = {(name, r): v for r, v in enumerate(values)} | {(name, "total"): sum(values)}
        return cells, Group(tuple((name, r) for r in range(rows)), (name, "total"))

    shown: dict[object, object] = {}
    counts: dict[object, int] = {}
    groups: list[Group] = []
    for q, values in enumerate(quarters):
        cells, group = column(q, values)
        shown |= suppress(cells, [group])
        counts |= cells
        groups.append(group)
    year, group = column("year", [sum(v) for v in zip(*quarters, strict=True)])
    across = [Group(tuple((q, r) for q in range(4)), ("year", r)) for r in [*range(rows), "total"]]
    published = {cell: value for cell, value in shown.items() if isinstance(value, int | Hidden)}
    shown |= suppress(year, [*groups, group, *across], published=published)  # type: ignore[arg-type]
    counts |= year
    groups += [group, *across]
    hidden = {cell: v for cell, v in shown.items() if isinstance(v, Hidden)}
    for cell in pinned(
        counts, groups, hidden
    ):  # only where nothing of the year was left to withhold
        assert all(counts[c] == 0 for g in groups if cell in g.cells for c in g.cells
                   if c not in hidden and c[0] == "year")  # type: ignore[index]  # fmt: skip


def test_on_a_tie_the_count_is_withheld_before_the_total() -> None:
    # x (3) is worked out from the second column (11 - 8); v is withheld first, as the smallest
    # figure shown, and then the total 8 of the first column and the count 8 of the second tie
    counts = {"x": 3, "v": 5, "first": 8, "z": 8, "second": 11}
    groups = [Group(("x", "v"), "first"), Group(("x", "z"), "second")]

    shown = suppress(counts, groups)

    assert shown == {"x": SMALL, "v": WITHHELD, "first": 8, "z": WITHHELD, "second": 11}
    assert not pinned(counts, groups, {c: v for c, v in shown.items() if isinstance(v, Hidden)})


def test_between_two_equal_counts_the_first_in_the_table_is_withheld() -> None:
    counts = {"x": 2, "b": 6, "a": 6, "total": 14}  # 14 - 6 - 6 would be the 2

    shown = suppress(counts, [Group(("x", "b", "a"), "total")])

    assert shown == {
        "x": SMALL,
        "b": WITHHELD,
        "a": 6,
        "total": 14,
    }  # the table's order, not a name's
