"""The trends page's charts, built apart from the data: pure functions from a tidy frame to Altair.

Each chart has a short title that fits on one line at half the page's width, a subtitle with the
detail (which date a time chart counts by, what is counted), axes that say what they count, and
a description of every bar and point in words for screen readers (`description`), rather than
Vega's default, which lists every encoded field, helper fields included. Buckets are drawn as
their first day, written as ISO dates, on an ordinal axis: the day is the viewer's own, so no
browser time zone can shift it.

Our theme (THEME) sets the text and series colours: text at least 4.5:1 and every series colour
at least 3:1 against the chart's background (WCAG 1.4.3 and 1.4.11); tests/ui/test_charts.py
computes the ratios. Tested through `chart.to_dict()`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import altair as alt
import pandas as pd

BACKGROUND = "#ffffff"
TITLE_TEXT = "#111111"  # 18.9:1 on white, as the app's text (.streamlit/config.toml)
CHART_TEXT = "#4a4a4a"  # axis, legend and subtitle text: 8.9:1 on white
# Colour-blind-safe (Okabe-Ito, the light orange and sky blue darkened, a purple for the sky
# blue), with the app's accent for what is most serious; each at least 3:1 on white.
ACCENT = "#a3303c"
PALETTE = ["#a3303c", "#0072b2", "#b35c00", "#00795a", "#6a51a3", "#b0508a", "#6b6b6b"]
THEME_TEXT = {"axis": CHART_TEXT, "legend": CHART_TEXT, "title": TITLE_TEXT, "subtitle": CHART_TEXT}
HEIGHT = 220  # the plot area: the chart's titles, axes and legend come on top of it
TITLE_WIDTH = 36  # characters of a title: one line at half the page's width, and on a phone
SUBTITLE_WIDTH = 52  # characters on a line of a subtitle before it wraps
BAR = 26  # pixels per bar of a ranked chart


# The width fits the column; the height is the plot's own (Streamlit's default, "fit", would take
# the axes and legend out of a fixed total and squash the plot).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _title(text: str, subtitle: str) -> alt.TitleParams:
    """A one-line title and its subtitle, wrapped onto more lines rather than cut off."""
    if len(text) > TITLE_WIDTH:
        raise ValueError(f"a chart title fits in {TITLE_WIDTH} characters: {text!r}")
    lines = textwrap.wrap(subtitle, SUBTITLE_WIDTH)
    return alt.TitleParams(text, subtitle=lines or alt.Undefined, anchor="start")


def _chart(data: pd.DataFrame, *, title: str, subtitle: str, height: int) -> alt.Chart:
    """An empty chart with its titles, its accessible name (title and subtitle) and its width."""
    name = f"{title} ({subtitle[0].lower()}{subtitle[1:]})" if subtitle else title
    return alt.Chart(data, title=_title(title, subtitle), description=name, height=height,
                     autosize=FIT_WIDTH)  # fmt: skip


def themed(chart: alt.Chart) -> alt.Chart:
    """The chart in our theme: text and series colours that read against the background."""
    return (
        chart.configure(background=BACKGROUND)
        .configure_axis(labelColor=THEME_TEXT["axis"], titleColor=THEME_TEXT["axis"])
        .configure_legend(labelColor=THEME_TEXT["legend"], titleColor=THEME_TEXT["legend"])
        .configure_title(color=THEME_TEXT["title"], subtitleColor=THEME_TEXT["subtitle"],
                         subtitleFontSize=13)  # fmt: skip
        .configure_range(category=PALETTE)
    )


def amount(value: float | None, value_format: str = ",.0f") -> str:
    """A figure as a chart's description and the figures tables write it ("none" for a gap)."""
    return "none" if value is None or pd.isna(value) else format(value, value_format)


def _bucket_axis(grain_title: str, buckets: Sequence[str]) -> alt.X:
    return alt.X(
        "bucket:O", title=grain_title, sort=list(buckets),
        axis=alt.Axis(labelAngle=-45 if len(buckets) > 6 else 0, labelOverlap="greedy"),
    )  # fmt: skip


def _legend(names: Sequence[str], columns: int | None = None) -> alt.Legend | None:
    """Beneath the plot, in as many columns as fit half the page; none for a single series."""
    if len(names) < 2:
        return None
    longest = sorted((len(name) for name in names), reverse=True)
    fit = columns or (2 if longest[0] + longest[1] <= 34 else 1)
    return alt.Legend(orient="bottom", columns=fit, labelLimit=0, symbolType="square")


def _prepared(
    frame: pd.DataFrame, *, grain_title: str, y_title: str, value_format: str
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The frame with ISO date strings for buckets and a description of each value in words,
    and the bucket and series orders to keep."""
    data = frame[["bucket", "series", "value"]].copy()
    data["bucket"] = [str(day) for day in data["bucket"]]
    data["description"] = [
        f"{grain_title} {bucket}, {series}: {amount(value, value_format)} ({y_title.lower()})"
        for bucket, series, value in zip(data["bucket"], data["series"], data["value"], strict=True)
    ]
    return data, list(dict.fromkeys(data["bucket"])), list(dict.fromkeys(data["series"]))


def _colour(series: list[str], colours: Sequence[str] | None, columns: int | None) -> alt.Color:
    scale = alt.Scale(domain=series, range=list(colours or PALETTE)[: len(series)])
    return alt.Color(
        "series:N", title=None, scale=scale, sort=series, legend=_legend(series, columns)
    )


def stacked_bars(
    frame: pd.DataFrame, *, title: str, subtitle: str, y_title: str, grain_title: str,
    colours: Sequence[str] | None = None, legend_columns: int | None = None,
) -> alt.Chart:  # fmt: skip
    """Counts per bucket, one colour per series, stacked in the series' order."""
    data, buckets, series = _prepared(frame, grain_title=grain_title, y_title=y_title,
                                      value_format=",.0f")  # fmt: skip
    data["order"] = data["series"].map(series.index)
    chart = (
        _chart(data, title=title, subtitle=subtitle, height=HEIGHT)
        .mark_bar(stroke=BACKGROUND, strokeWidth=1)  # a gap between stacked colours
        .encode(
            x=_bucket_axis(grain_title, buckets),
            y=alt.Y("value:Q", title=y_title, stack="zero", axis=alt.Axis(tickMinStep=1)),
            color=_colour(series, colours, legend_columns),
            order=alt.Order("order:Q"),
            description=alt.Description("description:N"),
            tooltip=[alt.Tooltip("bucket:O", title=grain_title), alt.Tooltip("series:N", title="What"),
                     alt.Tooltip("value:Q", title=y_title, format=",.0f")],
        )
    )  # fmt: skip
    return themed(chart)


def lines(
    frame: pd.DataFrame, *, title: str, subtitle: str, y_title: str, grain_title: str,
    colours: Sequence[str] | None = None, value_format: str = ",.0f", whole_numbers: bool = True,
    legend_columns: int | None = None,
) -> alt.Chart:  # fmt: skip
    """One line per series over the buckets, with a point on each value (gaps where there is none)."""
    data, buckets, series = _prepared(frame, grain_title=grain_title, y_title=y_title,
                                      value_format=value_format)  # fmt: skip
    axis = alt.Axis(tickMinStep=1) if whole_numbers else alt.Axis()
    chart = (
        _chart(data, title=title, subtitle=subtitle, height=HEIGHT)
        .mark_line(point=True)
        .encode(
            x=_bucket_axis(grain_title, buckets),
            y=alt.Y("value:Q", title=y_title, axis=axis, scale=alt.Scale(zero=True)),
            color=_colour(series, colours, legend_columns),
            description=alt.Description("description:N"),
            tooltip=[alt.Tooltip("bucket:O", title=grain_title), alt.Tooltip("series:N", title="What"),
                     alt.Tooltip("value:Q", title=y_title, format=value_format)],
        )
    )  # fmt: skip
    return themed(chart)


def ranked_bars(
    frame: pd.DataFrame, *, category: str, category_title: str, value: str, title: str,
    subtitle: str, x_title: str, limit: int = 15,
) -> alt.Chart:  # fmt: skip
    """Horizontal bars, biggest first, at most `limit` of them."""
    data = frame.head(limit)[[category, value]].copy()
    order = list(data[category])
    data["description"] = [f"{name}: {amount(n)} ({x_title.lower()})"
                           for name, n in zip(data[category], data[value], strict=True)]  # fmt: skip
    chart = (
        _chart(data, title=title, subtitle=subtitle, height=BAR * len(order))
        .mark_bar(color=ACCENT)
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{value}:Q", title=x_title, axis=alt.Axis(tickMinStep=1)),
            description=alt.Description("description:N"),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                     alt.Tooltip(f"{value}:Q", title=x_title, format=",.0f")],
        )
    )  # fmt: skip
    return themed(chart)


def paired_bars(
    frame: pd.DataFrame, *, category: str, category_title: str, pairs: dict[str, str],
    title: str, subtitle: str, x_title: str, limit: int = 12,
) -> alt.Chart:  # fmt: skip
    """Two bars per category (columns `pairs`, named by their values), in the frame's order."""
    data = frame.head(limit)
    order = list(data[category])
    long = data.melt(id_vars=[category], value_vars=list(pairs), var_name="measure")
    long["measure"] = long["measure"].map(pairs)
    long["description"] = [
        f"{name}, {measure.lower()}: {amount(share, ',.1f')}%"
        for name, measure, share in zip(long[category], long["measure"], long["value"], strict=True)
    ]
    names = list(pairs.values())
    chart = (
        _chart(long, title=title, subtitle=subtitle, height=34 * len(order))
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("measure:N", sort=names),
            x=alt.X("value:Q", title=x_title),
            color=alt.Color("measure:N", title=None, sort=names,
                            scale=alt.Scale(domain=names, range=PALETTE[:2]),
                            legend=_legend(names)),
            description=alt.Description("description:N"),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                     alt.Tooltip("measure:N", title="What"),
                     alt.Tooltip("value:Q", title=x_title, format=",.1f")],
        )
    )  # fmt: skip
    return themed(chart)
