"""Small counts kept anonymous: which figures of a table the public transparency report withholds.

A count from 1 to 4 could point at a person, so it is shown as "fewer than 5" (primary
suppression); 0 stays 0. A figure beside it could still give it away: with a column of 3, 0 and
12 under a total of 15, the 3 is 15 - 12 - 0. So every group of cells that adds up to a total is
checked the way a careful reader would: each hidden figure is known to lie between bounds ("fewer
than 5": 1 to 4; withheld: 5 or more, since only figures of 5 or more are withheld), and every sum
narrows those bounds, group after group, until nothing changes. While some hidden figure is pinned
to one value, the smallest figure still shown in one of its groups (a count, or the total) is
withheld too (secondary suppression), and the check starts over.

Pure functions over plain values: a cell is any hashable key, a table is its counts and the groups
that add up (members and their total), so the rule is tested on its own, with generated tables.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

SMALLEST_SHOWN = 5


class Hidden(StrEnum):
    """How a withheld figure is shown."""

    SMALL = "fewer than 5"  # a count from 1 to 4
    WITHHELD = "withheld"  # 5 or more, withheld so that a small count can't be worked out


Shown = int | Hidden


@dataclass(frozen=True)
class Group:
    """Cells that add up to a total cell (a column and its total row, a row and its total column)."""

    members: tuple[Hashable, ...]
    total: Hashable

    @property
    def cells(self) -> tuple[Hashable, ...]:
        return (*self.members, self.total)


def suppress(
    counts: Mapping[Hashable, int],
    groups: Sequence[Group],
    *,
    published: Mapping[Hashable, Shown] | None = None,
) -> dict[Hashable, Shown]:
    """Every cell as the public sees it: its count, "fewer than 5" or "withheld".

    `published`: cells already public, as shown (a year's quarters), in sums with the new ones;
    they are read as shown and never changed, so only the new cells are withheld."""
    fixed = dict(published or {})
    hidden: dict[Hashable, Hidden] = {c: v for c, v in fixed.items() if isinstance(v, Hidden)}
    hidden |= {cell: Hidden.SMALL for cell, n in counts.items() if 0 < n < SMALLEST_SHOWN}
    every = {**{c: v if isinstance(v, int) else 0 for c, v in fixed.items()}, **counts}
    while True:
        exposed = pinned(every, groups, hidden)
        extra = _next_to_withhold(every, groups, hidden, exposed, frozen=fixed.keys())
        if extra is None:
            break
        hidden[extra] = Hidden.WITHHELD
    return {cell: hidden.get(cell, n) for cell, n in counts.items()}


def bounds_of(shown: Shown) -> tuple[float, float]:
    """What a reader knows of one figure as shown: the lowest and highest it can be."""
    if shown is Hidden.SMALL:
        return 1, SMALLEST_SHOWN - 1
    if shown is Hidden.WITHHELD:
        return SMALLEST_SHOWN, math.inf
    return shown, shown


def pinned(
    counts: Mapping[Hashable, int], groups: Sequence[Group], hidden: Mapping[Hashable, Hidden]
) -> list[Hashable]:
    """The hidden cells a reader can work out exactly from what is shown, in a stable order."""
    shown: dict[Hashable, Shown] = {cell: hidden.get(cell, n) for cell, n in counts.items()}
    return [cell for cell, (low, high) in reader_bounds(shown, groups).items()
            if cell in hidden and low == high]  # fmt: skip


def reader_bounds(
    shown: Mapping[Hashable, Shown], groups: Sequence[Group]
) -> dict[Hashable, tuple[float, float]]:
    """Each cell's bounds once every sum has narrowed them as far as it can (to a fixed point)."""
    bounds = {cell: bounds_of(value) for cell, value in shown.items()}
    changed = True
    while changed:
        changed = False
        for group in groups:
            for cell, (low, high) in _narrowed(group, bounds).items():
                old_low, old_high = bounds[cell]
                new = (max(old_low, low), min(old_high, high))
                if new != (old_low, old_high):
                    bounds[cell] = new
                    changed = True
    return bounds


def _narrowed(
    group: Group, bounds: Mapping[Hashable, tuple[float, float]]
) -> dict[Hashable, tuple[float, float]]:
    """What the sum `members = total` says of each of its cells, given the others' bounds."""
    total_low, total_high = bounds[group.total]
    result = {group.total: (sum(bounds[m][0] for m in group.members),
                            sum(bounds[m][1] for m in group.members))}  # fmt: skip
    for position, member in enumerate(group.members):
        others = [bounds[m] for i, m in enumerate(group.members) if i != position]
        others_low, others_high = sum(b[0] for b in others), sum(b[1] for b in others)
        result[member] = (total_low - others_high, total_high - others_low)
    return result


def _next_to_withhold(
    counts: Mapping[Hashable, int],
    groups: Sequence[Group],
    hidden: Mapping[Hashable, Hidden],
    exposed: Sequence[Hashable],
    *,
    frozen: Collection[Hashable] = (),
) -> Hashable | None:
    """The smallest figure still shown in a group of the first exposed cell that has one (a
    count before a total on a tie); None when nothing is exposed or nothing is left to withhold."""
    for cell in exposed:
        candidates = [
            (counts[c], index == len(group.cells) - 1, position, c)
            for position, group in enumerate(groups) if cell in group.cells
            for index, c in enumerate(group.cells)
            if c not in hidden and c not in frozen and counts[c] > 0
        ]  # fmt: skip
        if candidates:
            return min(candidates, key=lambda candidate: candidate[:3])[3]
    return None
