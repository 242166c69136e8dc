"""Columns of the console's tables wide enough for their labels, so that none is cut at 1280 px.

st.dataframe sizes a column to the cells it measures first (the rows in view), so a longer label
further down ("A member of the public", "Resolved: action taken") is cut with "...". A column
whose values come from a known list (statuses, actions, parts of the Code) gets the width of its
longest label; the table then scrolls sideways rather than cutting one.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

# Measured in Chromium: the tables' 14 px Source Sans averages 5.6 to 7 px a character (a SHA-256
# in hex: 6.95); 7.5 leaves room for wide letters. PADDING is the cell's own, both sides.
PX_PER_CHARACTER = 7.5
PADDING = 24
TIMESTAMP = "2026-12-31 23:59"  # ui.times.TIME_FORMAT


def fitting(labels: Iterable[str], *, title: str = "") -> int:
    """The width in pixels that shows the longest of `labels`, and the column's title, whole."""
    longest = max((len(text) for text in (*labels, title)), default=0)
    return round(PADDING + PX_PER_CHARACTER * longest)


def labels_column(title: str, labels: Iterable[str]) -> ColumnConfig:
    """A text column named `title`, as wide as the longest of `labels`."""
    return st.column_config.TextColumn(title, width=fitting(labels, title=title))


def time_column(title: str) -> ColumnConfig:
    """A column of timestamps as ui.times writes them."""
    return labels_column(title, [TIMESTAMP])
