"""Times are stored in UTC and shown in the viewer's own time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from models.base import utcnow

# One way of writing dates everywhere: ISO order, which reads the same in every country and sorts.
DATE_FORMAT = "YYYY-MM-DD"  # for st.date_input
TIME_FORMAT = "%Y-%m-%d %H:%M"


def viewer_zone() -> ZoneInfo:
    """The browser's time zone, or UTC when it is unknown."""
    name = st.context.timezone
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def now() -> datetime:
    """The current moment, in UTC: the pages' clock ("today", the trends' "now").

    One module-level function, so a page test can fix time by replacing it
    (`monkeypatch.setattr(ui.times, "now", ...)`): AppTest runs the page in this process.
    """
    return utcnow()


def today() -> date:
    """Today's date where the viewer is (the latest a date picker may offer)."""
    return now().astimezone(viewer_zone()).date()


def local(moment: datetime | None) -> str:
    """A timestamp as the viewer reads it, e.g. '2026-11-25 14:03 (Europe/Paris)'."""
    if moment is None:
        return "not yet"
    zone = viewer_zone()
    return f"{moment.astimezone(zone):{TIME_FORMAT}} ({zone.key})"


def localise(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of the frame with these UTC timestamp columns as text in the viewer's zone."""
    zone = viewer_zone()
    result = frame.copy()
    for column in columns:
        if column in result and not result.empty:
            moments = pd.to_datetime(result[column], utc=True).dt.tz_convert(zone.key)
            result[column] = moments.dt.strftime(TIME_FORMAT)
    return result
