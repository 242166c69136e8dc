"""The trends page's charts, built apart from the data: pure functions from a tidy frame to Altair.

Each chart has a plain-language title (also its accessible description), axes that say what
they count, tooltips with the exact figures, and colours that keep their meaning from chart to
chart. Buckets are drawn as their first day, written as ISO dates, on an ordinal axis: the day
is the viewer's own, so no browser time zone can shift it. Tested through `chart.to_dict()`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import altair as alt
import pandas as pd

# Colour-blind-safe (Okabe-Ito), with the app's accent for what is most serious.
ACCENT = "#a3303c"
PALETTE = ["#a3303c", "#0072b2", "#e69f00", "#009e73", "#56b4e9", "#cc79a7", "#6b6b6b"]
HEIGHT = 220  # the plot area: the chart's titles, axes and legend come on top of it
TITLE_WIDTH = 48  # characters on a line of a title before it wraps (charts are half the page wide)
BAR = 26  # pixels per bar of a ranked chart


# The width fits the column; the height is the plot's own (Streamlit's default, "fit", would take
# the axes and legend out of a fixed total and squash the plot).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _title(text: str) -> alt.TitleParams:
    """The title, wrapped onto a second line rather than cut off."""
    return alt.TitleParams(textwrap.wrap(text, TITLE_WIDTH), anchor="start")


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


def _prepared(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The frame with ISO date strings for buckets, and the bucket and series orders to keep."""
    data = frame.copy()
    data["bucket"] = [str(day) for day in data["bucket"]]
    return data, list(dict.fromkeys(data["bucket"])), list(dict.fromkeys(data["series"]))


def _colour(series: list[str], colours: Sequence[str] | None, columns: int | None) -> alt.Color:
    scale = alt.Scale(domain=series, range=list(colours or PALETTE)[: len(series)])
    return alt.Color(
        "series:N", title=None, scale=scale, sort=series, legend=_legend(series, columns)
    )


def stacked_bars(
    frame: pd.DataFrame, *, title: str, y_title: str, grain_title: str,
    colours: Sequence[str] | None = None, legend_columns: int | None = None,
) -> alt.Chart:  # fmt: skip
    """Counts per bucket, one colour per series, stacked."""
    data, buckets, series = _prepared(frame)
    data["order"] = data["series"].map(series.index)
    return (
        alt.Chart(data, title=_title(title), description=title, height=HEIGHT, autosize=FIT_WIDTH)
        .mark_bar()
        .encode(
            x=_bucket_axis(grain_title, buckets),
            y=alt.Y("value:Q", title=y_title, stack="zero", axis=alt.Axis(tickMinStep=1)),
            color=_colour(series, colours, legend_columns),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("bucket:O", title=grain_title), alt.Tooltip("series:N", title="What"),
                     alt.Tooltip("value:Q", title=y_title, format=",.0f")],
        )
    )  # fmt: skip


def lines(
    frame: pd.DataFrame, *, title: str, y_title: str, grain_title: str,
    colours: Sequence[str] | None = None, value_format: str = ",.0f", whole_numbers: bool = True,
    legend_columns: int | None = None,
) -> alt.Chart:  # fmt: skip
    """One line per series over the buckets, with a point on each value (gaps where there is none)."""
    data, buckets, series = _prepared(frame)
    axis = alt.Axis(tickMinStep=1) if whole_numbers else alt.Axis()
    return (
        alt.Chart(data, title=_title(title), description=title, height=HEIGHT, autosize=FIT_WIDTH)
        .mark_line(point=True)
        .encode(
            x=_bucket_axis(grain_title, buckets),
            y=alt.Y("value:Q", title=y_title, axis=axis, scale=alt.Scale(zero=True)),
            color=_colour(series, colours, legend_columns),
            tooltip=[alt.Tooltip("bucket:O", title=grain_title), alt.Tooltip("series:N", title="What"),
                     alt.Tooltip("value:Q", title=y_title, format=value_format)],
        )
    )  # fmt: skip


def ranked_bars(
    frame: pd.DataFrame, *, category: str, value: str, title: str, x_title: str,
    tooltip: Sequence[str] = (), limit: int = 15, value_format: str = ",.0f",
) -> alt.Chart:  # fmt: skip
    """Horizontal bars, biggest first, at most `limit` of them."""
    data = frame.head(limit).copy()
    order = list(data[category])
    extra = [
        alt.Tooltip(f"{column}:Q", title=column.capitalize(), format=",.1f") for column in tooltip
    ]
    return (
        alt.Chart(data, title=_title(title), description=title, height=BAR * len(order),
                  autosize=FIT_WIDTH)
        .mark_bar(color=ACCENT)
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{value}:Q", title=x_title, axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip(f"{category}:N", title=category.capitalize()),
                     alt.Tooltip(f"{value}:Q", title=x_title, format=value_format), *extra],
        )
    )  # fmt: skip


def paired_bars(
    frame: pd.DataFrame, *, category: str, pairs: dict[str, str], title: str, x_title: str,
    limit: int = 12,
) -> alt.Chart:  # fmt: skip
    """Two bars per category (columns `pairs`, named by their values), in the frame's order."""
    data = frame.head(limit)
    order = list(data[category])
    long = data.melt(id_vars=[category], value_vars=list(pairs), var_name="measure")
    long["measure"] = long["measure"].map(pairs)
    names = list(pairs.values())
    return (
        alt.Chart(long, title=_title(title), description=title, height=34 * len(order),
                  autosize=FIT_WIDTH)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("measure:N", sort=names),
            x=alt.X("value:Q", title=x_title),
            color=alt.Color("measure:N", title=None, sort=names,
                            scale=alt.Scale(domain=names, range=[ACCENT, "#0072b2"]),
                            legend=_legend(names)),
            tooltip=[alt.Tooltip(f"{category}:N", title=category.capitalize()),
                     alt.Tooltip("measure:N", title="What"),
                     alt.Tooltip("value:Q", title=x_title, format=",.1f")],
        )
    )  # fmt: skip


def wide(frame: pd.DataFrame, *, grain_title: str) -> pd.DataFrame:
    """A tidy (bucket, series, value) frame as a table people read: a row per bucket, a column per series."""
    _, _, series = _prepared(frame)
    table = frame.pivot(index="bucket", columns="series", values="value")[series]
    table = table.reset_index().rename(columns={"bucket": grain_title})
    table.columns.name = None
    table[grain_title] = [str(day) for day in table[grain_title]]
    return table
