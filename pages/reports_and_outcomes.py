"""Reports and outcomes: the public transparency report, for the quarters and years leadership published."""

from __future__ import annotations

import streamlit as st

from ui import a11y
from ui.db import read_or
from ui.transparency import HOW_TO_READ, published, published_choices, report_tables

st.title("Reports and outcomes", anchor=False)
st.markdown(
    "What was reported to the moderators, how they decided, and how long it took: per quarter "
    "and per year, by part of the [Code of Conduct](/code-of-conduct), with the steps we took "
    "(see [How we enforce the Code](/how-we-enforce-the-code)) and the appeals against them. "
    "No names, and no dates finer than the period."
)
choices = read_or({}, published_choices)
if not choices:
    st.info("No period has been published yet. The first appears here once its quarter has ended "
            "and leadership has checked and published its figures.", icon=":material/hourglass_empty:")  # fmt: skip
    a11y.stop()
chosen = st.selectbox(
    "Period", list(choices), format_func=choices.__getitem__, key="transparency_period"
)
report = read_or(None, published, str(chosen))
if report is None:
    a11y.stop()
st.header(choices[str(chosen)], anchor=False)
if report.sample:
    st.warning("These figures are made up: they count the sample history of the local sample "
               "setup, not real reports.", icon=":material/science:")  # fmt: skip
st.markdown(HOW_TO_READ)
report_tables(report, key="public")
if report.published_at is not None:
    when = report.published_at
    st.markdown(f"Published on {when.day} {when:%B %Y}, and not changed since.")
