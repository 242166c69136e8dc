"""Trends and metrics for leadership: is the Code working, is the collective healthy, where to act."""

from __future__ import annotations

import streamlit as st

from services.trends.collective import DIMENSIONS
from services.trends.periods import Grain, Period
from ui import a11y, charts
from ui.gate import require_moderator
from ui.times import today, viewer_zone
from ui.transparency import publish_section
from ui.trend_blocks import Figure, csv_button, is_blank, row, series, table, waits
from ui.trends import (
    UNMET_HEADINGS,
    chosen_range,
    demand_table,
    describe_range,
    kpi,
    overview_for,
    reports_csv,
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
axis = per.capitalize()  # every time chart's axis says which date it counts by: "Week received"
before = f"the {period.days} days before"

st.header("At a glance", anchor=False)
st.subheader("The collective", anchor=False)
columns = st.columns(3)
for index, measure in enumerate(data.collective_kpis):
    with columns[index % 3]:
        kpi(measure, before=before, per=per)
st.subheader("Listings that stay true", anchor=False)
columns = st.columns(2)
for index, measure in enumerate(data.freshness_kpis):
    with columns[index % 2]:
        kpi(measure, before=before, per=per)
st.subheader("Reports", anchor=False)
columns = st.columns(3)
for index, measure in enumerate(data.queue_kpis[:3]):
    with columns[index]:
        kpi(measure, before=before, per=per)
for pair in (data.queue_kpis[3:5], data.queue_kpis[5:]):  # the waits: median and 90th percentile
    for column, measure in zip(st.columns(2), pair, strict=True):
        with column:
            kpi(measure, before=before, per=per)

st.header("Reports", anchor=False)
received, decided = f"{axis} received", f"{axis} decided"
row(
    series(charts.stacked_bars(data.received.frame, title="Reports received", y_title="Reports",
                               subtitle=f"Per {per} received, by part of the Code",
                               grain_title=received),
           data.received.frame, grain_title=received, key="reports-by-part-of-the-code",
           empty="No report arrived in this range."),
    series(charts.stacked_bars(data.outcomes.frame, title="Reports decided", y_title="Reports",
                               subtitle=f"Resolved or dismissed, per {per} decided, by outcome",
                               grain_title=decided),
           data.outcomes.frame, grain_title=decided, key="reports-by-outcome",
           empty="No report was resolved or dismissed in this range."),
)  # fmt: skip
row(
    series(charts.lines(data.backlog.frame, title="Open reports", y_title="Open",
                        subtitle=f"Reports and requests open at the end of each {per}",
                        grain_title=f"{axis} (open at its end)"),
           data.backlog.frame, grain_title=f"{axis} (open at its end)", key="open-backlog",
           empty="The queue was empty throughout this range."),
    series(charts.stacked_bars(data.late.frame, title="Not acted on within 7 days", y_title="Reports",
                               subtitle=f"By {per} received, counted once 7 days have passed",
                               grain_title=received),
           data.late.frame, grain_title=received, key="not-acknowledged-in-7-days",
           empty="Every report in this range was acted on within 7 days."),
)  # fmt: skip
row(
    waits(data.first_action, unit="hours", title="Wait for a first action",
          subtitle=f"Median and 90th percentile, by {per} of first action",
          grain_title=f"{axis} of first action", key="hours-to-first-action",
          empty="No report had a first action in this range."),
    waits(data.resolution, unit="days", title="Wait for a decision",
          subtitle=f"Median and 90th percentile, by {per} decided", grain_title=decided,
          key="days-to-a-decision", empty="No report was decided in this range."),
)  # fmt: skip

st.header("Enforcement and appeals", anchor=False)
columns = st.columns(3)
for index, measure in enumerate(data.enforcement):
    with columns[index % 3]:
        kpi(measure, before=before, per=per)
row(
    series(charts.lines(data.steps_frame, title="Steps of the ladder", y_title="Listings",
                        subtitle=f"Warnings, removals (for days), bans per {per}",
                        grain_title=f"{axis} of the step"),
           data.steps_frame, grain_title=f"{axis} of the step", key="enforcement-steps",
           empty="No mentor was warned, removed or banned in this range."),
    series(charts.stacked_bars(data.appeals_frame, title="Appeals", y_title="Appeals",
                               subtitle=f"Received, upheld and rejected per {per}",
                               grain_title=f"{axis} of the appeal"),
           data.appeals_frame, grain_title=f"{axis} of the appeal", key="appeals",
           empty="No appeal was received or decided in this range."),
)  # fmt: skip
st.subheader("Steps by part of the Code", anchor=False)
if data.steps_by_part.empty:
    st.info("No step of the ladder was taken in this range.", icon=":material/gavel:")
else:
    table(data.steps_by_part, name="Steps of the ladder by part of the Code")
    csv_button(data.steps_by_part, key="steps-by-part-of-the-code")

st.header("The collective", anchor=False)
row(
    series(charts.lines(data.flow_frame, title="Listing changes", y_title="Listings",
                        subtitle=f"Sign-ups, pauses, resumes, take-downs per {per}",
                        grain_title=f"{axis} of the change"),
           data.flow_frame, grain_title=f"{axis} of the change", key="listing-flow",
           empty="No listing changed in this range."),
    series(charts.lines(data.listed.frame, title="Listed mentors", y_title="Listed mentors",
                        subtitle=f"On the directory at the end of each {per}",
                        grain_title=f"{axis} (listed at its end)"),
           data.listed.frame, grain_title=f"{axis} (listed at its end)", key="listed-mentors",
           empty="No mentor was listed in this range."),
)  # fmt: skip
row(series(
    charts.lines(data.freshness_frame, title="Listings that stay true", y_title="Listings or signals",
                 subtitle=f"Paused for no answer, comebacks, signals per {per}",
                 grain_title=f"{axis} of the change"),
    data.freshness_frame, grain_title=f"{axis} of the change", key="freshness",
    empty="No listing was paused for no answer and no mentee sent a “No reply?” signal in this range.",
))  # fmt: skip
st.subheader("Who is listed today", anchor=False)
listed = []
for dimension, name in DIMENSIONS.items():
    frame = data.collective[data.collective["dimension"] == dimension]
    listed.append(Figure(
        charts.ranked_bars(frame, category="label", category_title=name, value="mentors",
                           x_title="Listed mentors", title=f"Listed mentors by {name.lower()}",
                           subtitle=f"Today: the 15 largest of {len(frame)}" if len(frame) > 15
                           else "Today"),
        frame[["label", "mentors"]].rename(columns={"label": name, "mentors": "Listed mentors"}),
        key=f"listed-by-{dimension}", empty="No mentor is listed yet.", blank=frame.empty,
    ))  # fmt: skip
row(*listed[:2])
row(*listed[2:])

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
    unmet = data.unmet.rename(columns=UNMET_HEADINGS)
    table(unmet, name="Frequent searches that found 3 mentors or fewer")
    csv_button(unmet, key="searches-with-few-results")
row(*(
    Figure(
        charts.paired_bars(frame, category="label", category_title=name.capitalize(),
                           x_title="Share (%)", title=f"Sought and offered, by {name}",
                           subtitle="Searches against listed mentors, biggest gaps first",
                           pairs={"share of searches": "Share of searches",
                                  "share of mentors": "Share of listed mentors"}),
        demand_table(frame, name.capitalize()), key=f"demand-by-{name}",
        empty=f"No search in this range asked for a {name}.", blank=is_blank(frame, "searches"),
    )
    for frame, name in ((data.demand_by_discipline, "discipline"), (data.demand_by_country, "country"))
))  # fmt: skip

st.header("The team's workload", anchor=False)
st.markdown(
    "Everything the moderators did, as one team: reviews started, decisions (resolved or "
    "dismissed), reopenings, notes and assignments, and listing actions (removals, bans, "
    "restores, take-offs on request). Never counted per person."
)
row(series(
    charts.stacked_bars(data.workload.frame, title="What the team did", y_title="Actions",
                        subtitle=f"Moderator actions per {per}, as one team",
                        grain_title=f"{axis} of the action", legend_columns=5),
    data.workload.frame, grain_title=f"{axis} of the action", key="team-workload",
    empty="No moderator action in this range.",
))  # fmt: skip

st.header("Export", anchor=False)
st.download_button(
    "Download the reports received in this range (CSV)", reports_csv(start, end, zone.key, viewer=moderator.id),
    file_name=f"reports-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv", mime="text/csv",
    icon=":material/download:", on_click="ignore",
)  # fmt: skip

publish_section(moderator)
