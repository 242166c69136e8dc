"""How a KPI's figure and its change read on a metric card."""

from __future__ import annotations

import pandas as pd
import pytest

from services.trends.measure import Better, Measure, Unit
from ui.trends import DELTA_COLOURS, delta_of, figure


def measure(total: float | None, previous: float | None, unit: Unit = Unit.HOURS) -> Measure:
    return Measure("k", "Median time to first action", total, previous,
                   pd.DataFrame(columns=["bucket", "series", "value"]), unit=unit)  # fmt: skip


@pytest.mark.parametrize(
    ("total", "previous", "shown", "change"),
    [
        (30.25, 40.0, "30.2 h", "-9.8 h"),  # under two days: hours
        (30.0, 50.0, "1.2 days", "-0.8 days"),  # the period before took days: both in days
        (103.6, 103.62, "4.3 days", 0),  # no change worth a digit: grey, no arrow
        (None, 12.0, "No report", None),  # nothing to time in the range
    ],
)
def test_a_wait_reads_in_hours_or_days_with_its_change_in_the_same_unit(
    total: float | None, previous: float | None, shown: str, change: str | int | None
) -> None:
    assert (figure(measure(total, previous)), delta_of(measure(total, previous))) == (shown, change)


def test_counts_read_as_whole_numbers_with_a_whole_change() -> None:
    assert (figure(measure(1234, 1300, Unit.COUNT)), delta_of(measure(1234, 1300, Unit.COUNT))) == (
        "1,234",
        -66,
    )


def test_lower_is_better_measures_colour_their_change_the_other_way_round() -> None:
    assert DELTA_COLOURS == {
        Better.HIGHER: "normal",
        Better.LOWER: "inverse",
        Better.NEITHER: "off",
    }
