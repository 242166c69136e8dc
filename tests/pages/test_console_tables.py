"""The console's tables as a moderator reads them: columns named for people, wide enough for their labels."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

from services.core.vocabulary import CodeClause
from tests.pages.conftest import DASHBOARD
from tests.pages.test_moderation import case, sign_in  # noqa: F401 - `case` is a fixture
from ui.columns import WIDEST_COLUMN, fitting


def headings(table: Any) -> list[str]:
    """The column names a person sees: each column's label, in the order shown."""
    config = json.loads(table.proto.columns or "{}")
    order = list(table.proto.column_order) or list(table.value.columns)
    return [config.get(name, {}).get("label") or name for name in order]


def widths(table: Any) -> dict[str, int]:
    """Each column's width in pixels, by the name a person sees (none: sized by Streamlit)."""
    config = json.loads(table.proto.columns or "{}")
    return {c.get("label") or name: c["width"] for name, c in config.items() if "width" in c}


def console(page: str) -> AppTest:
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    sign_in(app)
    return app.switch_page(page).run()


def test_the_mentor_file_names_every_column_for_people(case: int) -> None:  # noqa: F811
    app = console("pages/moderation_mentors.py")
    assert not app.exception
    roster, signatures, history = app.dataframe[:3]  # then the Code's versions (ui/code_signatures.py)
    assert headings(roster) == ["Name", "Headline", "Status", "Signed up", "Reports"]
    assert headings(signatures) == ["Signed at", "Name as typed", "Agreement",
                                    "Code version (SHA-256)", "Occasion", "IP address", "Browser"]  # fmt: skip
    assert signatures.value["Occasion"].tolist() == ["Signing up"]
    assert headings(history) == ["When", "Who", "What", "From", "To", "Why", "Part of the Code"]


def fits(table: Any, *shown: str) -> bool:
    """These columns (by the names a person sees) are as wide as their longest value."""
    names = dict(zip(headings(table), table.proto.column_order or table.value.columns, strict=True))
    width = widths(table)
    return all(width[c] >= fitting(table.value[names[c]].fillna("").astype(str)) for c in shown)


def test_columns_of_statuses_actions_and_parts_of_the_code_fit_their_longest_label(
    case: int,  # noqa: F811
) -> None:
    """st.dataframe sizes a column to the rows in view: "A member of the public" further down
    was cut. Every label a table holds now fits its column."""
    app = console("pages/moderation_mentors.py")
    roster, signatures, history = app.dataframe[:3]  # then the Code's versions (ui/code_signatures.py)
    assert fits(roster, "Status")
    assert fits(signatures, "Agreement", "Code version (SHA-256)", "Occasion")
    assert fits(history, "Who", "What", "From", "To", "Part of the Code")
    assert fitting([c.label for c in CodeClause]) <= WIDEST_COLUMN  # the longest label fits


def test_the_audit_log_names_its_columns_alike_on_the_page_and_in_its_csv(case: int) -> None:  # noqa: F811
    app = console("pages/moderation_audit.py")
    assert not app.exception
    (log,) = app.dataframe
    names = ["When", "Who", "What", "Mentor", "Report", "Why", "Detail"]
    assert headings(log) == names and list(log.value.columns) == names  # the CSV is this frame
    assert fits(log, "When", "Who", "What", "Report")
