"""The trends charts, built apart from the data and read back through `chart.to_dict()`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ui import charts

WEEKS = [date(2026, 9, 7), date(2026, 9, 14)]


def tidy(rows: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(week, series, value) for series, values in rows.items()
         for week, value in zip(WEEKS, values, strict=True)],
        columns=["bucket", "series", "value"],
    )  # fmt: skip


def values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return next(iter(spec["datasets"].values()))


def test_stacked_bars_say_what_they_count_per_iso_week_in_the_series_order() -> None:
    frame = tidy({"Section 3: banned behaviour": [2, 0], "Section 2: expectations": [1, 3]})
    spec = charts.stacked_bars(frame, title="Reports received per week, by part of the Code",
                               y_title="Reports", grain_title="Week starting").to_dict()  # fmt: skip
    assert spec["title"]["text"] == ["Reports received per week, by part of the Code"]
    assert spec["description"] == "Reports received per week, by part of the Code"
    encoding = spec["encoding"]
    assert (encoding["x"]["title"], encoding["y"]["title"]) == ("Week starting", "Reports")
    assert encoding["x"]["sort"] == ["2026-09-07", "2026-09-14"]
    assert encoding["color"]["scale"]["domain"] == [
        "Section 3: banned behaviour", "Section 2: expectations"]  # fmt: skip
    assert {(v["bucket"], v["series"], v["value"]) for v in values(spec)} >= {
        ("2026-09-14", "Section 2: expectations", 3)}  # fmt: skip


def test_a_long_title_wraps_instead_of_being_cut_off() -> None:
    title = "Sign-ups, pauses, resumes, removals and bans per week"
    spec = charts.lines(tidy({"Sign-ups": [1, 2]}), title=title, y_title="Listings",
                        grain_title="Week starting").to_dict()  # fmt: skip
    assert spec["title"]["text"] == ["Sign-ups, pauses, resumes, removals and bans per", "week"]
    assert spec["description"] == title


def test_a_single_series_needs_no_legend_and_several_get_one_beneath() -> None:
    one = charts.lines(tidy({"Listed mentors": [3, 4]}), title="Listed", y_title="Mentors",
                       grain_title="Day").to_dict()  # fmt: skip
    two = charts.lines(tidy({"Median": [3, 4], "90th percentile": [5, 9]}), title="Hours",
                       y_title="Hours", grain_title="Day").to_dict()  # fmt: skip
    assert one["encoding"]["color"]["legend"] is None
    assert two["encoding"]["color"]["legend"]["orient"] == "bottom"


def test_a_week_without_a_wait_stays_a_gap_not_a_zero() -> None:
    spec = charts.lines(tidy({"Median": [3.5, None]}), title="Hours", y_title="Hours",  # type: ignore[list-item]
                        grain_title="Week starting", whole_numbers=False).to_dict()  # fmt: skip
    assert [v["value"] for v in values(spec)] == [3.5, None]


def test_ranked_bars_show_the_biggest_first_and_at_most_the_limit() -> None:
    frame = pd.DataFrame(
        {"label": [f"Country {n}" for n in range(20)], "mentors": range(20, 0, -1)}
    )
    spec = charts.ranked_bars(frame, category="label", value="mentors", title="By country",
                              x_title="Listed mentors").to_dict()  # fmt: skip
    assert spec["encoding"]["y"]["sort"] == [f"Country {n}" for n in range(15)]
    assert spec["encoding"]["x"]["title"] == "Listed mentors"


def test_paired_bars_put_searches_beside_mentors_for_each_value() -> None:
    frame = pd.DataFrame({"label": ["Brazil", "France"], "share of searches": [37.5, 12.5],
                          "share of mentors": [0.0, 25.0]})  # fmt: skip
    spec = charts.paired_bars(frame, category="label", title="Sought against offered",
                              x_title="Share (%)", pairs={"share of searches": "Share of searches",
                                                           "share of mentors": "Share of listed mentors"}).to_dict()  # fmt: skip
    assert spec["encoding"]["yOffset"]["sort"] == ["Share of searches", "Share of listed mentors"]
    assert {(v["label"], v["measure"], v["value"]) for v in values(spec)} == {
        ("Brazil", "Share of searches", 37.5), ("Brazil", "Share of listed mentors", 0.0),
        ("France", "Share of searches", 12.5), ("France", "Share of listed mentors", 25.0)}  # fmt: skip


def test_the_figures_table_has_a_row_per_week_and_a_column_per_series() -> None:
    table = charts.wide(tidy({"Pauses": [1, 0], "Sign-ups": [2, 5]}), grain_title="Week starting")
    assert table.to_dict("records") == [
        {"Week starting": "2026-09-07", "Pauses": 1, "Sign-ups": 2},
        {"Week starting": "2026-09-14", "Pauses": 0, "Sign-ups": 5},
    ]
