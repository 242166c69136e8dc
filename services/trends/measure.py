"""A measure: its total over the range, the same for the period just before, and its series.

Like Mastodon's admin measures (a key, a total, the previous period's total, a series over a
generated date series), each measure here is one small frozen object, built from a few rows
that SQL has already aggregated.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pandas as pd


class Better(StrEnum):
    """Which way a measure should move: colours its change (lower is better for reports)."""

    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


class Unit(StrEnum):
    COUNT = "count"  # things that happened in the range (a total)
    LEVEL = "level"  # how many there were at the end of the range (a state)
    HOURS = "hours"  # a duration
    SHARE = "share"  # a percentage at the end of the range (a state)


@dataclass(frozen=True)
class Measure:
    """One number leadership watches: over the range, before it, and bucket by bucket.

    `frame` is tidy: one row per (bucket, series), `bucket` being the first local day of the
    bucket. Counts are zero in empty buckets; a duration is None (no report to time). For a
    LEVEL, `total` is the level at the end of the range and `previous` at its start.
    """

    key: str
    label: str
    total: float | None
    previous: float | None
    frame: pd.DataFrame
    unit: Unit = Unit.COUNT
    better: Better = Better.HIGHER
    help: str = ""
    # What the sparkline draws, bucket by bucket, when the frame holds several series.
    spark: tuple[float | None, ...] | None = None

    @property
    def change(self) -> float | None:
        """The total minus the previous period's (None when either is unknown)."""
        if self.total is None or self.previous is None:
            return None
        return self.total - self.previous

    def values(self) -> list[float | None]:
        """The measure bucket by bucket (for a sparkline): `spark`, or the frame's one series."""
        if self.spark is not None:
            return list(self.spark)
        return [None if pd.isna(v) else float(v) for v in self.frame["value"]]
