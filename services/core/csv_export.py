"""Tables as CSV for the console's downloads (the audit log, the trends), safe to open in a spreadsheet."""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_export(frame: pd.DataFrame) -> str:
    """The frame as CSV, with cells that a spreadsheet would run as formulas made inert."""

    def inert(value: Any) -> Any:
        return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value

    return str(frame.map(inert).to_csv(index=False))
