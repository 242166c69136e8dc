"""How the trends page shows a chart with its figures: side by side in rows, the tables beneath.

A Figure is a chart (ui/charts.py) and the table of its figures (ui/figures.py). A row draws its
charts side by side, then each chart's figures at the page's full width, in an expander named
after the chart: a table of five or six columns doesn't fit half of the page at 1280 px (its
headings and dates broke, and its last column was cut), and "The figures" fifteen times over told
a screen reader nothing. A chart with nothing to draw says so instead, and has no figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from services.core.csv_export import csv_export
from services.trends.response import ResponseTimes
from ui import charts, figures


@dataclass(frozen=True)
class Figure:
    """A chart and its figures, or what to say when there is nothing to draw."""

    chart: alt.Chart
    table: pd.DataFrame
    key: str  # names its CSV and its elements
    empty: str
    blank: bool

    @property
    def title(self) -> str:
        return str(self.chart.title.text)


def is_blank(frame: pd.DataFrame, column: str = "value") -> bool:
    """True when a frame has nothing to draw: no rows, or only zeros and gaps."""
    return frame.empty or not frame[column].fillna(0).astype(float).any()


def series(
    chart: alt.Chart, frame: pd.DataFrame, *, grain_title: str, key: str, empty: str,
    unit: str | None = None,
) -> Figure:  # fmt: skip
    """A chart of one tidy series frame (bucket, series, value), its figures one column per
    series (durations in `unit`); blank when every value is zero or missing."""
    table = figures.wide(frame, grain_title=grain_title, unit=unit)
    return Figure(chart, table, key=key, empty=empty, blank=is_blank(frame))


def waits(
    times: ResponseTimes, *, unit: str, title: str, subtitle: str, grain_title: str, key: str,
    empty: str,
) -> Figure:  # fmt: skip
    """The median and 90th percentile of a wait per bucket, in `unit` ("hours" or "days"), with
    how many reports each bucket timed."""
    frame = times.frame.assign(value=times.frame["value"] / (24 if unit == "days" else 1),
                               series=times.frame["series"] + " wait")  # fmt: skip
    chart = charts.lines(frame, title=title, subtitle=subtitle, y_title=f"Wait ({unit})",
                         grain_title=grain_title, value_format=",.1f", whole_numbers=False)  # fmt: skip
    table = figures.wide(frame, grain_title=grain_title, unit=unit)
    table["Reports timed"] = frame.drop_duplicates("bucket")["reports"].astype("Int64").to_numpy()
    return Figure(chart, table, key=key, empty=empty, blank=is_blank(frame))


def row(*shown: Figure) -> None:
    """The charts side by side, then each one's figures beneath the row, at full width."""
    for column, figure in zip(st.columns(len(shown)), shown, strict=True):
        with column:
            draw(figure)
    for figure in shown:
        if not figure.blank:
            with st.expander(f"The figures: {figure.title}"):
                table(figure.table, name=f"{figure.title}: the figures")
                csv_button(figure.table, key=figure.key)


def draw(figure: Figure) -> None:
    """The chart, named by its description (title and subtitle), or why there is none."""
    if figure.blank:
        st.info(figure.empty, icon=":material/insights:")
        return
    shown = figure.chart.copy(deep=False)
    shown.description = alt.Undefined  # Streamlit's `alt` takes its place, and names the toolbar's buttons
    st.altair_chart(shown, alt=str(figure.chart.description))


def table(frame: pd.DataFrame, *, name: str) -> None:
    """A table of figures as people read them (ui/figures.py), named for screen readers."""
    st.table(figures.as_text(frame), hide_index=True, alt=name, width="content")


def csv_button(frame: pd.DataFrame, *, key: str) -> None:
    """Download `frame` as a formula-safe CSV named after `key`."""
    st.download_button(
        "Download as CSV", _csv(frame), file_name=f"{key}.csv", mime="text/csv",
        icon=":material/download:", on_click="ignore", key=f"csv_{key}",
    )  # fmt: skip


def _csv(frame: pd.DataFrame) -> Callable[[], str]:
    return lambda: csv_export(frame)
