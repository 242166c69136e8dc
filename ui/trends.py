"""The trends page's glue: the range picker, the page's data cached briefly, and how a measure is shown.

The data is one services.trends.overview.Overview per range and time zone, cached for a minute
(shared by every moderator, defined here once rather than in the page script, so a rerun
doesn't redefine it). Charts come from ui/charts.py; each is shown with its data as a table and
a formula-safe CSV, or with a short explanation when there is nothing to draw yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from services.core.csv_export import csv_export
from services.trends.measure import Better, Measure, Unit
from services.trends.overview import PAGE_WORKERS, Overview, overview
from services.trends.periods import Grain, Period
from services.trends.report_export import reports_in_range
from ui import a11y, charts, figures, times
from ui.db import reading
from ui.times import DATE_FORMAT, TIME_FORMAT

PRESETS = {"4w": ("Last 4 weeks", 28), "12w": ("Last 12 weeks", 84), "12m": ("Last 12 months", 364)}
CUSTOM = "custom"
DELTA_COLOURS = {Better.HIGHER: "normal", Better.LOWER: "inverse", Better.NEITHER: "off"}
UNMET_HEADINGS = {"search": "Search", "searches": "Times searched",
                  "mentors found": "Mentors found (latest)"}  # fmt: skip
DEMAND_HEADINGS = {"searches": "Searches", "mentors": "Listed mentors",
                   "share of searches": "Share of searches (%)",
                   "share of mentors": "Share of listed mentors (%)",
                   "gap": "Gap (percentage points)"}  # fmt: skip


@st.cache_data(ttl=60, show_spinner="Adding up the figures ...")
def overview_for(start: date, end: date, zone: str) -> Overview:
    """Everything the page shows for this range, read once a minute at most."""
    with reading() as session:
        return overview(session, start=start, end=end, tz=ZoneInfo(zone), now=times.now(),
                        workers=PAGE_WORKERS)  # fmt: skip


def chosen_range(today: date) -> tuple[date, date] | None:
    """The range picked (a preset, or custom dates); None while a custom range is half chosen."""
    options = [*PRESETS, CUSTOM]
    choice = st.segmented_control(
        "Range", options, default="12w", required=True, key="trends_range",
        format_func=lambda o: PRESETS[o][0] if o in PRESETS else "Custom dates",
    )  # fmt: skip
    if choice in PRESETS:
        days = PRESETS[str(choice)][1]
        return today - timedelta(days=days - 1), today
    picked = st.date_input(
        "From and to (both days included)", value=(today - timedelta(days=83), today),
        max_value=today, format=DATE_FORMAT, key="trends_dates",
    )  # fmt: skip
    if isinstance(picked, tuple | list) and len(picked) == 2:
        return picked[0], picked[1]
    st.info("Now choose the last day of the range in the calendar.", icon=":material/date_range:")
    return None


def describe_range(period: Period) -> str:
    """E.g. "2026-09-01 to 2026-11-23 (84 days, by week), Europe/Paris time"."""
    by = "by day" if period.grain is Grain.DAY else "by week, each starting on the date shown"
    return (
        f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d} ({period.days} days, {by}), "
        f"{period.tz.key} time. Changes are against the {period.days} days before."
    )


def in_days(measure: Measure) -> bool:
    """Waits of two days or more read better in days (the change then is in days too)."""
    return measure.unit is Unit.HOURS and max(measure.total or 0, measure.previous or 0) >= 48


def figure(measure: Measure) -> str:
    """A measure's value as people read it."""
    value = measure.total
    if value is None:
        return "No report"
    if measure.unit is Unit.HOURS:
        return f"{value / 24:.1f} days" if in_days(measure) else f"{value:.1f} h"
    if measure.unit is Unit.SHARE:
        return f"{value:.0f}%"
    return f"{round(value):,}"


def delta_of(measure: Measure) -> str | int | None:
    """The change against the period before, as st.metric shows it: with its sign ("+15", "-2.5 h"),
    which screen readers read (st.metric's arrow is hidden from them) and which picks the arrow;
    0 when nothing changed (grey, no arrow)."""
    change = measure.change
    if change is None:
        return None
    if measure.unit is Unit.HOURS:
        amount, unit = (change / 24, "days") if in_days(measure) else (change, "h")
        return 0 if round(amount, 1) == 0 else f"{amount:+.1f} {unit}"
    if measure.unit is Unit.SHARE:
        return 0 if round(change) == 0 else f"{round(change):+} points"
    return 0 if round(change) == 0 else f"{round(change):+,}"


def compared(measure: Measure, before: str) -> str | None:
    """What the change is against, and which way it went: "up from the 84 days before"."""
    delta = delta_of(measure)
    if delta is None:
        return None
    if delta == 0:
        return f"no change from {before}"
    return f"{'down' if str(delta).startswith('-') else 'up'} from {before}"


def sparkline_name(measure: Measure, *, per: str) -> str:
    """The sparkline's figures in words, its name for screen readers:
    "Sign-ups per week from 2026-08-29: 1, 0, 3, ..." (a gap reads "none")."""
    values = measure.values()
    if measure.unit is Unit.HOURS:
        unit, scale = ("days", 24.0) if in_days(measure) else ("hours", 1.0)
        figures = [charts.amount(None if v is None else v / scale, ".1f") for v in values]
        what = f"{measure.label} in {unit}"
    elif measure.unit is Unit.SHARE:  # two levels, not a series
        start, end = (charts.amount(v, ".0f") + ("%" if v is not None else "") for v in values)
        return f"{measure.label}: {start} at the start of the range, {end} at its end"
    else:
        figures, what = [charts.amount(v) for v in values], measure.label
    first = measure.frame["bucket"].iloc[0] if len(measure.frame) else None
    since = f" from {first}" if first is not None else ""
    return f"{what}, {per} by {per}{since}: {', '.join(figures)}"


def kpi(measure: Measure, *, before: str, per: str = "week") -> None:
    """A metric card: the value, the change against `before` with its sign and its direction in
    words, and a sparkline named by its figures (ui/a11y.js)."""
    key = f"kpi_{measure.key}"
    with st.container(key=key):
        st.metric(
            measure.label, figure(measure), delta_of(measure),
            delta_color=DELTA_COLOURS[measure.better], help=measure.help or None, border=True,
            chart_data=[v for v in measure.values() if v is not None],  # a wait: weeks with one
            chart_type="line" if measure.unit is not Unit.COUNT else "bar",
            delta_description=compared(measure, before),
        )  # fmt: skip
    a11y.graphic(key, sparkline_name(measure, per=per))


def demand_table(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Searches against listed mentors for each value, with human column names (`name` for the value)."""
    table = frame.drop(columns="code").rename(columns={"label": name, **DEMAND_HEADINGS})
    return figures.whole(table, "Searches", "Listed mentors")


def reports_csv(start: date, end: date, zone: str, *, viewer: int) -> Callable[[], str]:
    """The reports received in the range that `viewer` may see, as a CSV, read when the button
    is clicked."""

    def export() -> str:
        with reading() as session:
            frame = reports_in_range(session, start=start, end=end, tz=ZoneInfo(zone), viewer=viewer)
        for column in ("received", "first action", "decided"):
            moments = pd.to_datetime(frame[column], utc=True).dt.tz_convert(zone)
            frame[column] = moments.dt.strftime(TIME_FORMAT).fillna("")
        return csv_export(frame)

    return export
