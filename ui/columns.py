"""Columns of the console's tables wide enough for their labels, so that none is cut at 1280 px.

st.dataframe sizes a column to the cells it measures first (the rows in view), so a longer label
further down ("A member of the public", "Resolved: action taken") is cut with "...". A column of
labels (statuses, actions, actors, parts of the Code) gets the width of the longest one the table
holds; a table wider than the page then scrolls sideways rather than cutting one. Text people
typed (names, reasons) gets a fixed width.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

# Widths of the tables' 14 px Source Sans, measured in Chromium (canvas measureText) and rounded up
# by kind of character: narrow ones (i, l, t, punctuation: 2.8 to 4.9 px), most lower-case letters
# and digits (5.9 to 7.8 px), capitals (up to 9.3 px) and the widest (m, w, M, W, @, %: up to
# 11.9 px). PADDING is the cell's own, both sides, and a margin.
NARROW, WIDEST = set(" |ij',.:;lIf!()[]{}-tr/\\"), set("mwMW@%")
PADDING = 24
TIMESTAMP = "2026-12-31 23:59"  # ui.times.TIME_FORMAT
FREE_TEXT = 200  # px for names and reasons people typed (st.column_config's "medium")
WIDEST_COLUMN = 520  # px: the longest label (a part of the Code) fits; a typed name won't stretch more


def text_width(text: str) -> float:
    """At least the width in pixels of `text` in the tables' font."""
    return sum(4.9 if c in NARROW else 12.0 if c in WIDEST else 9.3 if c.isupper() else 7.8
               for c in text)  # fmt: skip


def fitting(labels: Iterable[str], *, title: str = "") -> int:
    """The width in pixels that shows the longest of `labels`, and the column's title, whole
    (up to WIDEST_COLUMN)."""
    longest = max((text_width(text) for text in (*labels, title)), default=0)
    return min(WIDEST_COLUMN, round(PADDING + longest))


def labels_column(title: str, labels: Iterable[str]) -> ColumnConfig:
    """A text column named `title`, as wide as the longest of `labels`."""
    return st.column_config.TextColumn(title, width=fitting(labels, title=title))


def time_column(title: str) -> ColumnConfig:
    """A column of timestamps as ui.times writes them."""
    return labels_column(title, [TIMESTAMP])


def free_text(title: str) -> ColumnConfig:
    """A column of text people typed: names, reasons, a browser's name."""
    return st.column_config.TextColumn(title, width=FREE_TEXT)


def fitted(frame: pd.DataFrame, titles: Mapping[str, str]) -> dict[str, ColumnConfig]:
    """Columns of `frame` (name -> title), each as wide as the longest value it holds."""
    return {name: labels_column(title, frame[name].fillna("").astype(str))
            for name, title in titles.items()}  # fmt: skip
