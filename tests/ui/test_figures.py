"""A chart's figures as people read them: in the table on the page and in the CSV."""

from __future__ import annotations

from datetime import date

import pandas as pd

from services.core.csv_export import csv_export
from tests.pages.conftest import unescape
from ui import figures

WEEKS = [date(2026, 9, 7), date(2026, 9, 14)]


def tidy(rows: dict[str, list[float | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(week, series, value) for series, values in rows.items()
         for week, value in zip(WEEKS, values, strict=True)],
        columns=["bucket", "series", "value"],
    )  # fmt: skip


def shown(table: pd.DataFrame) -> list[list[str]]:
    """The cells as a reader sees them on the page."""
    return figures.as_text(table).data.map(unescape).to_numpy().tolist()


def test_counts_are_whole_numbers_in_the_table_and_in_the_csv() -> None:
    table = figures.wide(tidy({"Pauses": [1.0, 0.0], "Sign-ups": [2.0, 1234.0]}),
                         grain_title="Week of the change")  # fmt: skip
    assert csv_export(table).splitlines() == [
        "Week of the change,Pauses,Sign-ups", "2026-09-07,1,2", "2026-09-14,0,1234"]  # fmt: skip
    assert shown(table) == [["2026-09-07", "1", "2"], ["2026-09-14", "0", "1,234"]]


def test_durations_have_one_decimal_and_their_unit_in_the_column_name() -> None:
    frame = tidy({"Median wait": [53.887416111, None], "90th percentile wait": [88.124035, 4.0]})
    table = figures.wide(frame, grain_title="Week of first action", unit="hours")
    assert csv_export(table).splitlines() == [
        "Week of first action,Median wait (hours),90th percentile wait (hours)",
        "2026-09-07,53.9,88.1", "2026-09-14,,4.0"]  # fmt: skip
    assert shown(table) == [["2026-09-07", "53.9", "88.1"], ["2026-09-14", "none", "4.0"]]


def test_text_in_a_table_is_shown_as_typed_never_as_markdown() -> None:
    typed = '"**bold** :red[x] ![](http://e.example/t.png) <b>hi</b>" · Brazil'
    table = pd.DataFrame({"Search": [typed], "Times searched": pd.array([3], dtype="Int64")})
    cells = figures.as_text(table).data
    assert cells.iloc[0, 0].startswith('\\"\\*\\*bold\\*\\* \\:red\\[x\\] \\!\\[\\]')
    assert shown(table) == [[typed, "3"]]


def test_figures_are_aligned_to_the_right_and_text_to_the_left() -> None:
    table = figures.whole(pd.DataFrame({"Discipline": ["Strategy"], "Searches": [4.0]}), "Searches")
    html = figures.as_text(table).to_html()
    assert html.count("text-align: right !important") == 2  # the column's cells and its heading
    assert "th.col1" in html and "th.col0" not in html
