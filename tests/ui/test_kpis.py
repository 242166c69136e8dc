"""How a KPI's figure and its change read on a metric card."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from services.trends.measure import Measure, Unit
from ui.trends import compared, delta_of, figure, sparkline_name


def measure(total: float | None, previous: float | None, unit: Unit = Unit.HOURS) -> Measure:
    return Measure("k", "Median time to first action", total, previous,
                   pd.DataFrame(columns=["bucket", "series", "value"]), unit=unit)  # fmt: skip


@pytest.mark.parametrize(
    ("total", "previous", "shown", "change"),
    [
        (30.25, 40.0, "30.2 h", "-9.8 h"),  # under two days: hours
        (20.0, 12.0, "20.0 h", "+8.0 h"),  # a rise says "+"
        (30.0, 50.0, "1.2 days", "-0.8 days"),  # the period before took days: both in days
        (103.6, 103.62, "4.3 days", 0),  # no change worth a digit: grey, no arrow
        (None, 12.0, "No report", None),  # nothing to time in the range
    ],
)
def test_a_wait_reads_in_hours_or_days_with_its_change_in_the_same_unit(
    total: float | None, previous: float | None, shown: str, change: str | int | None
) -> None:
    assert (figure(measure(total, previous)), delta_of(measure(total, previous))) == (shown, change)


def test_counts_read_as_whole_numbers_with_a_signed_whole_change() -> None:
    """st.metric hides its arrow from screen readers: the sign is in the figure they read."""
    assert [(figure(m), delta_of(m)) for m in (measure(1234, 1300, Unit.COUNT),
                                               measure(2915, 900, Unit.COUNT),
                                               measure(7, 7, Unit.COUNT))] == [
        ("1,234", "-66"), ("2,915", "+2,015"), ("7", 0)]  # fmt: skip


@pytest.mark.parametrize(
    ("total", "previous", "words"),
    [(15, 0, "up from the 84 days before"), (3, 5, "down from the 84 days before"),
     (4, 4, "no change from the 84 days before"), (None, 4, None)],
)  # fmt: skip
def test_a_change_says_which_way_it_went(total: float | None, previous: float, words: str | None) -> None:
    assert compared(measure(total, previous, Unit.COUNT), "the 84 days before") == words


def test_a_sparkline_is_named_by_its_figures_in_the_unit_of_the_card() -> None:
    weeks = pd.to_datetime(["2026-09-07", "2026-09-14", "2026-09-21"]).date
    frame = pd.DataFrame({"bucket": weeks, "series": "Median", "value": [30.0, None, 60.0]})
    waits = Measure("w", "Median time to first action", 50.0, 40.0, frame, unit=Unit.HOURS)
    assert sparkline_name(waits, per="week") == (
        "Median time to first action in days, week by week from 2026-09-07: 1.2, none, 2.5")
    counts = Measure("c", "Sign-ups", 3, 1, frame.assign(value=[1.0, 0.0, 2.0]))
    assert sparkline_name(counts, per="day") == "Sign-ups, day by day from 2026-09-07: 1, 0, 2"


def kpi_cards() -> None:
    """One card per direction a measure should move, each once up and once down (AppTest script)."""
    import pandas as pd

    from services.trends.measure import Better, Measure
    from ui.trends import kpi

    for better in Better:
        for total, previous in ((12, 10), (10, 12)):
            frame = pd.DataFrame({"bucket": [], "series": [], "value": []})
            label = f"{better.value} {'up' if total > previous else 'down'}"
            kpi(Measure(label, label, total, previous, frame, better=better), before="before")


@pytest.mark.parametrize(
    ("card", "arrow", "colour"),
    [("higher up", "UP", "GREEN"), ("higher down", "DOWN", "RED"),  # more is good news
     ("lower up", "UP", "RED"), ("lower down", "DOWN", "GREEN"),  # e.g. reports unanswered
     ("neither up", "UP", "GRAY"), ("neither down", "DOWN", "GRAY")],  # e.g. reports received
)  # fmt: skip
def test_a_change_is_green_when_it_goes_the_better_way_red_the_worse_grey_for_neither(
    card: str, arrow: str, colour: str
) -> None:
    app = AppTest.from_function(kpi_cards, default_timeout=30).run()
    metric = next(m for m in app.metric if m.label == card)
    assert (MetricProto.MetricDirection.Name(metric.proto.direction),
            MetricProto.MetricColor.Name(metric.proto.color)) == (arrow, colour)  # fmt: skip
