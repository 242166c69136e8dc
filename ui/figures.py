"""A chart's figures as people read them: in a table on the page, and in a CSV.

Counts are whole numbers; durations have one decimal and their unit in the column's name
("Median wait (hours)"); every column has a name a person reads. The CSV keeps the numbers as
numbers. On the page the table is an `st.table`: every row is in the page, so a screen reader
reaches them all (st.dataframe draws on a canvas and exposes only the rows in view, with a
toolbar of its own). `st.table` reads its cells as Markdown, so they are written here as text:
figures formatted, gaps as "none", and any text escaped (ui.plain.md_escape), never interpreted.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from ui.charts import amount
from ui.plain import md_escape


def wide(frame: pd.DataFrame, *, grain_title: str, unit: str | None = None) -> pd.DataFrame:
    """A tidy (bucket, series, value) frame as a row per bucket and a column per series.

    Counts become whole numbers; with `unit` ("hours", "days") the values are durations, kept
    to one decimal, and each series' column is named with its unit.
    """
    series = list(dict.fromkeys(frame["series"]))
    table = frame.pivot(index="bucket", columns="series", values="value")[series]
    table = table.reset_index().rename(columns={"bucket": grain_title})
    table.columns.name = None
    table[grain_title] = [str(day) for day in table[grain_title]]
    if unit is None:
        for name in series:
            table[name] = table[name].astype(float).round().astype("Int64")
        return table
    for name in series:
        table[name] = table[name].astype(float).round(1)
    return table.rename(columns={name: f"{name} ({unit})" for name in series})


def whole(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The table with these columns as whole numbers (counts that arrived as floats)."""
    result = table.copy()
    for column in columns:
        result[column] = result[column].astype(float).round().astype("Int64")
    return result


def as_text(table: pd.DataFrame) -> Styler:
    """The table's cells as they read on the page, its figures aligned to the right.

    Whole numbers with thousands separators, other numbers with one decimal, gaps as "none",
    text escaped so that st.table shows it as typed.
    """
    shown = pd.DataFrame(index=table.index)
    figures = []
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_integer_dtype(values):
            shown[column] = [amount(v) for v in values]
            figures.append(column)
        elif pd.api.types.is_float_dtype(values):
            shown[column] = [amount(v, ",.1f") for v in values]
            figures.append(column)
        else:
            shown[column] = ["" if pd.isna(v) else md_escape(str(v)) for v in values]
    # Streamlit aligns text cells left with an inline style, which only `!important` outweighs.
    right = "text-align: right !important"
    headings = [{"selector": f"th.col{table.columns.get_loc(c)}", "props": right} for c in figures]
    styled = shown.style.set_properties(subset=figures, **{"text-align": "right !important"})
    return styled.set_table_styles(headings)
