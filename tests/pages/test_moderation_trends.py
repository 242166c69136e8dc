"""Moderation: trends through the app, as leadership uses it: the gate, the figures, the empty state."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Moderator
from models.db import PROJECT_ROOT
from services.accounts.auth import add_moderator
from services.core.vocabulary import Discipline
from services.listings.code_of_conduct import current_code
from services.samples.mentors import insert_sample_mentors
from services.samples.year import insert_sample_year
from services.trends.overview import Overview, overview
from tests.conftest import NOW
from tests.pages.conftest import DASHBOARD, signed_in, unescape
from ui import a11y, times
from ui.trends import reports_csv

PAGE = "pages/moderation_trends.py"
PASSWORD = "correct horse battery"
KPIS = [
    "Confirmed within 90 days", "Paused for no answer", "Back after a pause for no answer",
    "Mentees who heard nothing",
    "Listed mentors", "Sign-ups", "Sign-ups never confirmed", "Pauses", "Resumes", "Removals", "Bans",
    "Reports received",
    "Open in the queue", "Not acknowledged in 7 days", "Median time to first action",
    "90th percentile time to first action", "Median time to a decision",
    "90th percentile time to a decision",
    "Warnings", "Removals for days", "Appeals received", "Appeals upheld", "Appeals rejected",
    "Open cases with a conflict",
]  # fmt: skip
CHARTS = 18


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's clock stopped at NOW: "today" is 2026-11-20 (UTC, as AppTest has no browser)."""
    monkeypatch.setattr(times, "now", lambda: NOW)


@pytest.fixture
def leader(app_db: sessionmaker[Session]) -> sessionmaker[Session]:
    with app_db.begin() as session:
        add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    return app_db


@pytest.fixture
def sample_year(leader: sessionmaker[Session]) -> sessionmaker[Session]:
    with leader.begin() as session:
        insert_sample_mentors(session, count=120, code=current_code(), now=NOW)
        insert_sample_year(session, now=NOW, moderator_id=None)
    return leader


def trends_page() -> AppTest:
    """Signed in as a moderator, on the trends page."""
    app = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    app.switch_page(PAGE).run()
    return signed_in(app, "alice", PASSWORD)


def charts(app: AppTest) -> list[Any]:
    return list(app.get("vega_lite_chart"))


def specs(app: AppTest) -> list[dict[str, Any]]:
    """Each chart's Vega-Lite spec, as the browser gets it."""
    return [json.loads(chart.proto.spec) for chart in charts(app)]


def tables(app: AppTest) -> list[pd.DataFrame]:
    """Each table on the page, its cells as a reader sees them (Markdown escapes undone)."""
    return [table.value.map(unescape) for table in app.table]


def table_of(app: AppTest, *columns: str) -> pd.DataFrame:
    """The table whose first columns are these."""
    return next(t for t in tables(app) if list(t.columns[: len(columns)]) == list(columns))


def test_a_signed_out_visitor_gets_the_sign_in_form_and_no_figure(sample_year: object) -> None:
    for app in (AppTest.from_file(str(PROJECT_ROOT / PAGE), default_timeout=60).run(),
                AppTest.from_file(DASHBOARD, default_timeout=60).run().switch_page(PAGE).run()):  # fmt: skip
        assert [t.value for t in app.title] == ["Moderator sign-in"]
        assert not app.metric and not charts(app) and not app.dataframe


def test_every_figure_and_chart_is_shown_for_the_sample_year(sample_year: object) -> None:
    app = trends_page()
    assert not app.exception
    assert [t.value for t in app.title] == ["Trends and metrics"]
    assert sorted(m.label for m in app.metric) == sorted(KPIS)
    assert all(re.fullmatch(r"[\d,]+|\d+\.\d (h|days)|\d+%", m.value) for m in app.metric)
    assert next(m.value for m in app.metric if m.label == "Listed mentors") != "0"
    assert len(charts(app)) == CHARTS
    assert not app.info
    searches = table_of(app, "Search", "Times searched", "Mentors found (latest)")
    assert len(searches) == 10 and (searches["Mentors found (latest)"].astype(int) <= 3).all()
    assert "by week, each starting on the date shown" in app.markdown[1].value


# What each time chart counts by, on its axis and in its table's first column.
TIME_AXES = {
    "Reports received": "Week received", "Reports decided": "Week decided",
    "Open reports": "Week (open at its end)", "Not acted on within 7 days": "Week received",
    "Wait for a first action": "Week of first action", "Wait for a decision": "Week decided",
    "Listing changes": "Week of the change", "Listed mentors": "Week (listed at its end)",
    "What the team did": "Week of the action", "Listings that stay true": "Week of the change",
    "Steps of the ladder": "Week of the step", "Appeals": "Week of the appeal",
}  # fmt: skip


def test_every_chart_title_fits_one_line_and_every_time_chart_says_which_date_it_counts_by(
    sample_year: object,
) -> None:
    app = trends_page()
    for spec in specs(app):
        title = spec["title"]
        assert isinstance(title["text"], str) and len(title["text"]) <= 36, title
        assert len(title["subtitle"]) == 1 and len(title["subtitle"][0]) <= 52, title
    axes = {s["title"]["text"]: s["encoding"]["x"]["title"] for s in specs(app)
            if s["encoding"]["x"]["field"] == "bucket"}  # fmt: skip
    assert axes == TIME_AXES
    # Each chart's figures are named after it (not "The figures" fifteen times over).
    assert [e.label for e in app.expander] == [f"The figures: {s['title']['text']}" for s in specs(app)]
    subtitles = {s["title"]["text"]: s["title"]["subtitle"][0] for s in specs(app)}
    assert subtitles["Wait for a first action"].endswith("by week of first action")
    assert subtitles["Not acted on within 7 days"].startswith("By week received")


def test_figures_read_as_figures_with_their_unit_in_the_column_name(sample_year: object) -> None:
    app = trends_page()
    every = tables(app)
    assert {t.columns[0] for t in every} >= set(TIME_AXES.values())
    raw = {"bucket", "series", "value", "label", "code", "mentors", "searches", "gap"}
    assert all((c[0].isupper() or c[0].isdigit()) and c not in raw for t in every for c in t.columns)
    first_action = table_of(app, "Week of first action")
    assert list(first_action.columns) == ["Week of first action", "Median wait (hours)",
                                          "90th percentile wait (hours)", "Reports timed"]  # fmt: skip
    decided = table_of(app, "Week decided", "Median wait (days)")
    for waits in (first_action, decided):
        assert all(re.fullmatch(r"[\d,]+\.\d|none", v) for v in waits.iloc[:, 1:3].to_numpy().flat)
        assert all(re.fullmatch(r"\d+", v) for v in waits["Reports timed"])
    assert first_action.iloc[0, 0] == "2026-08-29"  # the first week of the default range
    counts = table_of(app, "Week received", "Section 3: banned behaviour")
    assert len(counts) == 12 and all(re.fullmatch(r"[\d,]+", v) for v in counts.iloc[:, 1:].to_numpy().flat)
    demand = table_of(app, "Discipline", "Searches")
    assert list(demand.columns[3:]) == ["Share of searches (%)", "Share of listed mentors (%)",
                                        "Gap (percentage points)"]  # fmt: skip
    label, searches, mentors, *shares = demand.iloc[0].tolist()
    assert label in {d.label for d in Discipline}
    assert re.fullmatch(r"[\d,]+", searches) and re.fullmatch(r"[\d,]+", mentors)
    assert all(re.fullmatch(r"-?\d+\.\d", share) for share in shares), shares


def default_overview(database: sessionmaker[Session]) -> Overview:
    """What the page's default range (the last 12 weeks, UTC) holds, read by the service."""
    with database() as session:
        return overview(session, start=NOW.date() - timedelta(days=83), end=NOW.date(),
                        tz=ZoneInfo("UTC"), now=NOW)  # fmt: skip


def test_a_change_reads_with_its_sign_and_which_way_it_went(
    sample_year: sessionmaker[Session],
) -> None:
    app = trends_page()
    for metric in app.metric:
        delta, words = metric.proto.delta, metric.proto.delta_description
        if delta == "0":
            assert words == "no change from the 84 days before"
        else:
            assert re.fullmatch(r"[+-][\d,]+(\.\d (h|days)| points)?", delta), delta
            assert words == f"{'up' if delta[0] == '+' else 'down'} from the 84 days before"
    listed = next(m for m in app.metric if m.label == "Listed mentors")
    expected = default_overview(sample_year).listed
    assert expected.total is not None and expected.change is not None
    assert (listed.value, listed.proto.delta) == (f"{round(expected.total):,}",
                                                  f"{round(expected.change):+,}")  # fmt: skip


def test_each_sparkline_is_named_by_its_figures_week_by_week(
    sample_year: sessionmaker[Session],
) -> None:
    app = trends_page()
    names = {g["key"]: g["name"] for g in app.session_state[a11y.NOTES].graphics}
    assert len(names) == len(KPIS)
    listed = names["kpi_listed"]
    weekly = ", ".join(f"{round(v):,}" for v in default_overview(sample_year).listed.values()
                       if v is not None)  # fmt: skip
    assert listed == f"Listed mentors, week by week from 2026-08-29: {weekly}"
    assert len(listed.split(": ")[1].split(", ")) == 12
    assert re.fullmatch(r"Median time to first action in (hours|days), week by week from "
                        r"2026-08-29: ([\d.]+|none)(, ([\d.]+|none)){11}", names["kpi_first_action_p50"])  # fmt: skip


def test_a_new_database_explains_itself_and_draws_no_empty_chart(leader: object) -> None:
    app = trends_page()
    assert not app.exception
    assert sorted(m.label for m in app.metric) == sorted(KPIS)
    assert {m.value for m in app.metric} == {"0", "No report"}
    assert not charts(app)
    notices = [i.value for i in app.info]
    assert notices[0].startswith("Nothing has happened yet")
    assert "No report arrived in this range." in notices
    assert len(notices) == 1 + CHARTS + 2  # the page's, one per chart, the two tables'
    assert "No step of the ladder was taken in this range." in notices


def test_the_default_range_is_the_twelve_weeks_ending_today(sample_year: object) -> None:
    app = trends_page()
    assert app.segmented_control(key="trends_range").value == "12w"
    assert app.markdown[1].value.startswith(
        "2026-08-29 to 2026-11-20 (84 days, by week, each starting on the date shown), UTC time."
    )


def test_four_weeks_are_shown_day_by_day(sample_year: object) -> None:
    app = trends_page()
    app.segmented_control(key="trends_range").set_value("4w").run()
    assert not app.exception
    assert app.markdown[1].value.startswith("2026-10-24 to 2026-11-20 (28 days, by day)")
    axes = {s["encoding"]["x"]["title"] for s in specs(app) if s["encoding"]["x"]["field"] == "bucket"}
    assert axes <= {title.replace("Week", "Day") for title in TIME_AXES.values()}
    assert "Day received" in axes
    assert len(charts(app)) + len(app.info) == CHARTS  # each drawn, or said to have nothing yet
    assert len(charts(app)) >= CHARTS - 3


def test_a_custom_range_chosen_halfway_asks_for_its_last_day(sample_year: object) -> None:
    app = trends_page()
    app.segmented_control(key="trends_range").set_value("custom").run()
    dates = app.date_input(key="trends_dates")
    assert dates.label == "From and to (both days included)"
    assert dates.value == (date(2026, 8, 29), date(2026, 11, 20))  # the 12 weeks ending today
    assert dates.max == date(2026, 11, 20)
    dates.set_value((date(2026, 9, 1),)).run()
    assert not app.exception
    assert [i.value for i in app.info] == ["Now choose the last day of the range in the calendar."]
    assert not app.metric
    app.date_input(key="trends_dates").set_value((date(2026, 9, 1), date(2026, 9, 20))).run()
    assert "2026-09-01 to 2026-09-20 (20 days, by day)" in app.markdown[1].value
    assert len(app.metric) == len(KPIS)


def test_the_reports_csv_is_read_when_asked_for_and_names_no_reporter(
    sample_year: sessionmaker[Session],
) -> None:
    with sample_year() as session:
        alice = session.scalars(select(Moderator.id).where(Moderator.username == "alice")).one()
    csv = reports_csv(date(2025, 11, 1), NOW.date(), "Europe/Paris", viewer=alice)()
    header, *rows = csv.splitlines()
    assert header == ("reference,received,part of the Code,category,status,first action,"
                      "decided,hours to first action,hours to decision")  # fmt: skip
    assert len(rows) > 100 and all(row.startswith("WAN-S") for row in rows)
    assert "Sample report" not in csv
