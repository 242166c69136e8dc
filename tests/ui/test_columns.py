"""Column widths of the console's tables: never narrower than the label they must show."""

from __future__ import annotations

import pytest

from ui.columns import PADDING, fitting, text_width

# Widths in pixels of the tables' 14 px Source Sans in Chromium 156 (canvas measureText).
MEASURED = {
    "Listing: taken off the page at the mentor's request": 288.2,
    "A member of the public": 136.0,
    "Resolved: action taken": 131.6,
    "Removed by a moderator": 147.1,
    "Section 3: demeaning, discriminatory or harassing behaviour or speech": 413.5,
    "2026-12-07 03:43": 98.5,
    "WAN-S0000165": 88.0,
    "e8079e2680048614e327528a35c36ba27e705e8079e2680048614e327528a35c": 444.9,
    "I have read the Code of Conduct and agree to follow it.": 315.1,
    "Coming back (resumed)": 138.8,
}


@pytest.mark.parametrize(("text", "measured"), MEASURED.items())
def test_a_label_is_given_at_least_its_width_and_not_much_more(text: str, measured: float) -> None:
    assert measured <= text_width(text) <= 1.25 * measured


def test_a_column_fits_its_longest_label_or_its_title() -> None:
    assert fitting(["New", "Resolved: action taken"]) == round(PADDING + text_width("Resolved: action taken"))
    assert fitting(["0"], title="Part of the Code") == round(PADDING + text_width("Part of the Code"))
