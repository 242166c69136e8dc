"""The trends charts, built apart from the data and read back through `chart.to_dict()`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

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


def received(frame: pd.DataFrame) -> dict[str, Any]:
    return charts.stacked_bars(frame, title="Reports received", y_title="Reports",
                               subtitle="Per week received, by part of the Code",
                               grain_title="Week received").to_dict()  # fmt: skip


def test_stacked_bars_say_what_they_count_per_iso_week_in_the_series_order() -> None:
    frame = tidy({"Section 3: banned behaviour": [2, 0], "Section 2: expectations": [1, 3]})
    spec = received(frame)
    assert spec["title"] == {"text": "Reports received", "anchor": "start",
                             "subtitle": ["Per week received, by part of the Code"]}  # fmt: skip
    assert spec["description"] == "Reports received (per week received, by part of the Code)"
    encoding = spec["encoding"]
    assert (encoding["x"]["title"], encoding["y"]["title"]) == ("Week received", "Reports")
    assert encoding["x"]["sort"] == ["2026-09-07", "2026-09-14"]
    assert encoding["color"]["scale"]["domain"] == [
        "Section 3: banned behaviour", "Section 2: expectations"]  # fmt: skip
    assert {(v["bucket"], v["series"], v["value"]) for v in values(spec)} >= {
        ("2026-09-14", "Section 2: expectations", 3)}  # fmt: skip


def test_a_title_fits_one_line_and_the_detail_goes_in_a_subtitle_that_wraps() -> None:
    spec = charts.lines(tidy({"Sign-ups": [1, 2]}), title="Listing changes", y_title="Listings",
                        subtitle="Sign-ups, pauses, resumes, removals and bans, week by week, "
                        "for the whole collective", grain_title="Week of the change").to_dict()  # fmt: skip
    assert spec["title"]["text"] == "Listing changes"
    assert [len(line) <= charts.SUBTITLE_WIDTH for line in spec["title"]["subtitle"]] == [True, True]
    with pytest.raises(ValueError, match="fits in 36 characters"):
        charts.lines(tidy({"Sign-ups": [1, 2]}), title="Sign-ups, pauses, resumes, removals and bans",
                     subtitle="", y_title="Listings", grain_title="Week")  # fmt: skip


def test_each_bar_is_described_in_words_without_the_helper_fields() -> None:
    """Vega's own description lists every encoded field: "order: 0" and an empty ": Section 3"
    for the untitled colour. Ours says the week, the series and the figure."""
    spec = received(tidy({"Section 3: banned behaviour": [2, 0], "Removal requests": [1, 3]}))
    assert spec["encoding"]["description"] == {"field": "description", "type": "nominal"}
    described = [v["description"] for v in values(spec)]
    assert "Week received 2026-09-07, Section 3: banned behaviour: 2 (reports)" in described
    assert not any("order" in text or text.startswith(":") for text in described)
    waits = charts.lines(tidy({"Median wait": [53.8874, None]}), title="Wait", subtitle="",  # type: ignore[list-item]
                         y_title="Wait (hours)", grain_title="Week of first action",
                         value_format=",.1f", whole_numbers=False).to_dict()  # fmt: skip
    assert [v["description"] for v in values(waits)] == [
        "Week of first action 2026-09-07, Median wait: 53.9 (wait (hours))",
        "Week of first action 2026-09-14, Median wait: none (wait (hours))",
    ]


def test_a_single_series_needs_no_legend_and_several_get_one_beneath() -> None:
    one = charts.lines(tidy({"Listed mentors": [3, 4]}), title="Listed", subtitle="",
                       y_title="Mentors", grain_title="Day").to_dict()  # fmt: skip
    two = charts.lines(tidy({"Median": [3, 4], "90th percentile": [5, 9]}), title="Hours",
                       subtitle="", y_title="Hours", grain_title="Day").to_dict()  # fmt: skip
    assert one["encoding"]["color"]["legend"] is None
    assert two["encoding"]["color"]["legend"]["orient"] == "bottom"


def test_a_week_without_a_wait_stays_a_gap_not_a_zero() -> None:
    spec = charts.lines(tidy({"Median": [3.5, None]}), title="Hours", subtitle="",  # type: ignore[list-item]
                        y_title="Hours", grain_title="Week starting", whole_numbers=False).to_dict()  # fmt: skip
    assert [v["value"] for v in values(spec)] == [3.5, None]


def test_ranked_bars_show_the_biggest_first_and_at_most_the_limit() -> None:
    frame = pd.DataFrame(
        {"label": [f"Country {n}" for n in range(20)], "mentors": range(20, 0, -1)}
    )
    spec = charts.ranked_bars(frame, category="label", category_title="Country", value="mentors",
                              title="Listed mentors by country", subtitle="Today: the 15 largest",
                              x_title="Listed mentors").to_dict()  # fmt: skip
    assert spec["encoding"]["y"]["sort"] == [f"Country {n}" for n in range(15)]
    assert spec["encoding"]["x"]["title"] == "Listed mentors"
    assert spec["encoding"]["tooltip"][0]["title"] == "Country"
    assert values(spec)[0]["description"] == "Country 0: 20 (listed mentors)"


def test_paired_bars_put_searches_beside_mentors_for_each_value() -> None:
    frame = pd.DataFrame({"label": ["Brazil", "France"], "share of searches": [37.5, 12.5],
                          "share of mentors": [0.0, 25.0]})  # fmt: skip
    spec = charts.paired_bars(frame, category="label", category_title="Country",
                              title="Sought and offered", subtitle="", x_title="Share (%)",
                              pairs={"share of searches": "Share of searches",
                                     "share of mentors": "Share of listed mentors"}).to_dict()  # fmt: skip
    assert spec["encoding"]["yOffset"]["sort"] == ["Share of searches", "Share of listed mentors"]
    assert {(v["label"], v["measure"], v["value"]) for v in values(spec)} == {
        ("Brazil", "Share of searches", 37.5), ("Brazil", "Share of listed mentors", 0.0),
        ("France", "Share of searches", 12.5), ("France", "Share of listed mentors", 25.0)}  # fmt: skip
    assert values(spec)[0]["description"] == "Brazil, share of searches: 37.5%"


# --- Our theme: contrast against the chart's background, computed (WCAG 2.2 definitions) ---------


def luminance(colour: str) -> float:
    """The relative luminance of an sRGB colour written #rrggbb."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_defines_it() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # The colours the audit measured: Streamlit's axis text and the two light series colours.
    assert [round(contrast(c, "#ffffff"), 2) for c in ("#808495", "#e69f00", "#56b4e9")] == [
        3.72, 2.25, 2.31]  # fmt: skip


def test_every_chart_draws_text_at_4_5_to_1_and_series_at_3_to_1_on_its_background() -> None:
    spec = received(tidy({name: [1, 2] for name in ("A", "B", "C", "D", "E")}))
    config = spec["config"]
    background = config["background"]
    text = [config["axis"]["labelColor"], config["axis"]["titleColor"],
            config["legend"]["labelColor"], config["legend"]["titleColor"],
            config["title"]["color"], config["title"]["subtitleColor"]]  # fmt: skip
    assert min(contrast(colour, background) for colour in text) >= 4.5
    series = spec["encoding"]["color"]["scale"]["range"]
    assert config["range"]["category"] == charts.PALETTE
    assert min(contrast(colour, background) for colour in [*charts.PALETTE, charts.ACCENT]) >= 3.0
    assert series == charts.PALETTE[:5] and len(set(charts.PALETTE)) == len(charts.PALETTE)
