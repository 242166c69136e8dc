"""Trends and metrics for leadership: is the Code working, is the collective healthy, where to act."""

from __future__ import annotations

import streamlit as st

from services.trends.collective import DIMENSIONS
from services.trends.periods import Grain, Period
from ui import a11y, charts
from ui.gate import require_moderator
from ui.times import today, viewer_zone
from ui.trends import (
    chart_block,
    chosen_range,
    csv_button,
    describe_range,
    is_blank,
    kpi,
    overview_for,
    reports_csv,
    series_block,
)

moderator = require_moderator()  # first thing: nothing below runs for anyone else

st.title("Trends and metrics", anchor=False)
st.markdown(
    "How the collective and its reports are doing, and where to act. Every figure comes from "
    "the history of listings, reports and directory searches."
)
zone = viewer_zone()
picked = chosen_range(today())
if picked is None:
    a11y.stop()
start, end = picked
data = overview_for(start, end, zone.key)
period: Period = data.period
st.markdown(describe_range(period))
if data.is_new:
    st.info(
        "Nothing has happened yet: no mentor has signed up, no report has arrived and nobody has "
        "searched the directory. The figures and charts fill in as soon as they do.",
        icon=":material/hourglass_empty:",
    )
per = "day" if period.grain is Grain.DAY else "week"
grain = "Day" if period.grain is Grain.DAY else "Week starting"
before = f"vs the {period.days} days before"

st.header("At a glance", anchor=False)
st.subheader("The collective", anchor=False)
columns = st.columns(3)
for index, measure in enumerate(data.collective_kpis):
    with columns[index % 3]:
        kpi(measure, compared_with=before)
st.subheader("Reports", anchor=False)
columns = st.columns(3)
for index, measure in enumerate(data.queue_kpis[:3]):
    with columns[index]:
        kpi(measure, compared_with=before)
for pair in (data.queue_kpis[3:5], data.queue_kpis[5:]):  # the waits: median and 90th percentile
    for column, measure in zip(st.columns(2), pair, strict=True):
        with column:
            kpi(measure, compared_with=before)

st.header("Reports", anchor=False)
left, right = st.columns(2)
with left:
    frame = data.received.frame
    series_block(
        charts.stacked_bars(frame, title=f"Reports received per {per}, by part of the Code",
                            y_title="Reports", grain_title=grain),
        frame, grain_title=grain, key="reports-by-part-of-the-code",
        empty="No report arrived in this range.",
    )  # fmt: skip
with right:
    frame = data.outcomes.frame
    series_block(
        charts.stacked_bars(frame, title=f"Reports decided per {per}, by outcome",
                            y_title="Reports", grain_title=grain),
        frame, grain_title=grain, key="reports-by-outcome",
        empty="No report was resolved or dismissed in this range.",
    )  # fmt: skip
left, right = st.columns(2)
with left:
    frame = data.backlog.frame
    series_block(
        charts.lines(frame, title=f"Reports open at the end of each {per}",
                     y_title="Open reports and requests", grain_title=grain),
        frame, grain_title=grain, key="open-backlog",
        empty="The queue was empty throughout this range.",
    )  # fmt: skip
with right:
    frame = data.late.frame
    series_block(
        charts.stacked_bars(frame, title=f"Reports nobody acted on within 7 days, by {per} received",
                            y_title="Reports", grain_title=grain),
        frame, grain_title=grain, key="not-acknowledged-in-7-days",
        empty="Every report in this range was acted on within 7 days.",
    )  # fmt: skip
left, right = st.columns(2)
for column, times, what, unit in ((left, data.first_action, "first action", "Hours"),
                                  (right, data.resolution, "a decision", "Days")):  # fmt: skip
    with column:
        frame = times.frame.assign(value=times.frame["value"] / (24 if unit == "Days" else 1))
        series_block(
            charts.lines(frame, title=f"{unit} from a report to {what}, per {per}",
                         y_title=unit, grain_title=grain, value_format=",.1f", whole_numbers=False),
            frame, grain_title=grain, key=f"{unit.lower()}-to-{what.replace(' ', '-')}",
            empty=f"No report reached {what} in this range.",
        )  # fmt: skip

st.header("The collective", anchor=False)
left, right = st.columns(2)
with left:
    frame = data.flow_frame
    series_block(
        charts.lines(frame, title=f"Sign-ups, pauses, resumes, removals and bans per {per}",
                     y_title="Listings", grain_title=grain),
        frame, grain_title=grain, key="listing-flow",
        empty="No listing changed in this range.",
    )  # fmt: skip
with right:
    frame = data.listed.frame
    series_block(
        charts.lines(frame, title=f"Listed mentors at the end of each {per}",
                     y_title="Listed mentors", grain_title=grain),
        frame, grain_title=grain, key="listed-mentors",
        empty="No mentor was listed in this range.",
    )  # fmt: skip
st.subheader("Who is listed today", anchor=False)
columns = st.columns(2)
for index, (dimension, name) in enumerate(DIMENSIONS.items()):
    frame = data.collective[data.collective["dimension"] == dimension]
    table = frame[["label", "mentors"]].rename(columns={"label": name, "mentors": "Listed mentors"})
    with columns[index % 2]:
        chart_block(
            charts.ranked_bars(frame, category="label", value="mentors", x_title="Listed mentors",
                               title=f"Listed mentors by {name.lower()}"
                               + (" (the 15 largest)" if len(frame) > 15 else "")),
            table, key=f"listed-by-{dimension}", empty="No mentor is listed yet.", blank=frame.empty,
        )  # fmt: skip

st.header("What mentees look for and don't find", anchor=False)
st.markdown(
    "Directory searches are kept anonymously for 13 months: the day, the filters and how many "
    "mentors they found, never who searched. Searches that find few mentors show where to "
    "recruit."
)
st.subheader("Frequent searches that found 3 mentors or fewer", anchor=False)
if data.unmet.empty:
    st.info("No search in this range came back (nearly) empty.", icon=":material/search:")
else:
    st.dataframe(data.unmet, hide_index=True, column_config={
        "search": "Search", "searches": "Times searched", "mentors found": "Mentors found (latest)"})  # fmt: skip
    csv_button(data.unmet, key="searches-with-few-results")
left, right = st.columns(2)
for column, frame, name in ((left, data.demand_by_discipline, "discipline"),
                            (right, data.demand_by_country, "country")):  # fmt: skip
    with column:
        chart_block(
            charts.paired_bars(frame, category="label", x_title="Share of all searches or mentors (%)",
                               pairs={"share of searches": "Share of searches",
                                      "share of mentors": "Share of listed mentors"},
                               title=f"Sought against offered, by {name}: the biggest gaps first"),
            frame.drop(columns="code").rename(columns={"label": name.capitalize()}),
            key=f"demand-by-{name}", empty=f"No search in this range asked for a {name}.",
            blank=is_blank(frame, "searches"),
        )  # fmt: skip

st.header("The team's workload", anchor=False)
st.markdown(
    "Everything the moderators did, as one team: reviews started, decisions (resolved or "
    "dismissed), reopenings, notes and assignments, and listing actions (removals, bans, "
    "restores, take-offs on request). Never counted per person."
)
frame = data.workload.frame
series_block(
    charts.stacked_bars(frame, title=f"What the moderation team did per {per} (team total)",
                        y_title="Actions", grain_title=grain, legend_columns=5),
    frame, grain_title=grain, key="team-workload",
    empty="No moderator action in this range.",
)  # fmt: skip

st.header("Export", anchor=False)
st.download_button(
    "Download the reports received in this range (CSV)", reports_csv(start, end, zone.key),
    file_name=f"reports-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv", mime="text/csv",
    icon=":material/download:", on_click="ignore",
)  # fmt: skip
