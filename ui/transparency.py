"""The transparency report on screen: a period's tables with their CSV (the public page, and the
preview leadership sees), and the console's section that publishes a period.

The public page reads only what was published (services/evidence/transparency.py keeps it frozen),
cached for a minute; publishing clears the cache (ui/actions.py). The tables and the CSV are made
from the same figures, so the download says exactly what the page shows.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.accounts.auth import ModeratorIdentity
from services.core.csv_export import csv_export
from services.evidence import transparency
from services.evidence.transparency import PublicReport
from services.evidence.transparency_figures import PublicPeriod
from ui import a11y, times
from ui.actions import outcome_of, perform, show
from ui.db import reading, settings
from ui.trend_blocks import table

PUBLISHED = "transparency_published"
CONFIRMED = "transparency_confirm"
CHOSEN = "transparency_publish_period"
HOW_TO_READ = (
    "Reports are counted when they arrive, decisions and waits when a report is decided, steps "
    "and appeals when they are taken. Quarters and years run in UTC. A count from 1 to 4 is "
    'shown as "fewer than 5", so that nobody can be recognised from a small number; a figure '
    'that would let anyone work such a count out from a total is "withheld" too. A median wait '
    "is shown once at least 5 reports were timed."
)


@st.cache_data(ttl=60, show_spinner=False)
def published_choices() -> dict[str, str]:
    """The published periods, newest first: key -> what people read."""
    with reading() as session:
        return {p.key: p.label for p in transparency.published_periods(session)}


@st.cache_data(ttl=60, show_spinner=False)
def published(period_key: str) -> PublicReport | None:
    """A published period's report, exactly as published."""
    with reading() as session:
        return transparency.published_report(session, period_key=period_key)


@st.cache_data(ttl=60, show_spinner="Adding up the figures ...")
def previewed(period_key: str) -> PublicReport:
    """A period's report as it would be published now (read once a minute at most)."""
    with reading() as session:
        return transparency.preview(session, period=PublicPeriod.parse(period_key))  # type: ignore[arg-type]


def report_tables(report: PublicReport, *, key: str) -> None:
    """Every table of the report, then one CSV of exactly those figures."""
    for shown in report.tables:
        st.subheader(shown.title, anchor=False)
        table(shown.frame(), name=f"{shown.title}, {report.period.label}")
    st.download_button(
        "Download these figures (CSV)", _csv(report), file_name=f"reports-and-outcomes-{report.period.key}.csv",
        mime="text/csv", icon=":material/download:", on_click="ignore", key=f"csv_{key}",
    )  # fmt: skip


def _csv(report: PublicReport) -> Callable[[], str]:
    return lambda: csv_export(report.csv_frame())


def publish_section(moderator: ModeratorIdentity) -> None:
    """For leadership: a period that has ended, previewed as it would appear, and published."""
    st.header("Publish the transparency report", anchor=False)
    st.markdown(
        "The public page **Reports and outcomes** shows a quarter or a year only once it is "
        "published here. Check the figures below: they appear exactly so, small counts and what "
        "would reveal them withheld. A period is published once and can't be changed afterwards."
    )
    show(outcome_of(PUBLISHED), key="transparency_outcome")
    with reading() as session:
        periods = transparency.publishable_periods(session, now=times.now())
    if not periods:
        st.markdown("Every period that has ended is published (or no report has arrived yet).")
        return
    labels = {p.key: p.label for p in periods}
    chosen = st.selectbox(
        "Period to publish", list(labels), format_func=labels.__getitem__, key=CHOSEN
    )
    period = PublicPeriod.parse(str(chosen))
    if period is None:
        a11y.stop()
    with st.container(border=True, key="transparency_preview"):
        st.markdown(f"**Preview: {period.label}, as the public would see it**")
        report_tables(previewed(period.key), key="preview")
    agreed = st.checkbox(f"I have checked the figures for {period.label}; publish them for everyone",
                         key=CONFIRMED)  # fmt: skip
    st.button(
        f"Publish {period.label}", type="primary", disabled=not agreed, icon=":material/publish:",
        on_click=_publish, args=(moderator, period.key), key="transparency_publish",
    )  # fmt: skip


def _publish(moderator: ModeratorIdentity, period_key: str) -> None:
    # The embedded database is the local sample setup's (a real one is given by DATABASE_URL):
    # what is published there is said to be made up.
    outcome = perform(PUBLISHED, transparency.publish_period, period_key=period_key, moderator=moderator,
                      sample=settings().uses_embedded_default,
                      done=f"Published: the public page now shows {PublicPeriod.parse(period_key).label}.")  # type: ignore[union-attr]  # fmt: skip
    if outcome.ok:
        st.session_state[CONFIRMED] = False
