"""Times are stored in UTC and shown in the viewer's own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st


def viewer_zone() -> ZoneInfo:
    """The browser's time zone, or UTC when it is unknown."""
    name = st.context.timezone
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(moment: datetime | None) -> str:
    """A timestamp as the viewer reads it, e.g. '25 Nov 2026, 14:03 (Europe/Paris)'."""
    if moment is None:
        return "not yet"
    zone = viewer_zone()
    return f"{moment.astimezone(zone):%d %b %Y, %H:%M} ({zone.key})"


def localise(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of the frame with these UTC timestamp columns as text in the viewer's zone."""
    zone = viewer_zone()
    result = frame.copy()
    for column in columns:
        if column in result and not result.empty:
            moments = pd.to_datetime(result[column], utc=True).dt.tz_convert(zone.key)
            result[column] = moments.dt.strftime("%Y-%m-%d %H:%M")
    return result
