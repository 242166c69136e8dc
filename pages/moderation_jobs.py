"""Scheduled jobs: what the clock runs on its own, when each last ran, how it went, and when it
runs next (services/jobs/)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from services.jobs.catalogue import JOBS
from services.jobs.clock import job_states
from ui.columns import free_text, time_column
from ui.db import reading
from ui.gate import require_moderator
from ui.times import localise

moderator = require_moderator()  # first thing: nothing below runs for anyone else

st.title("Scheduled jobs", anchor=False)
st.markdown("The app runs these on its own, in every process, each at most once at a time. "
            "`python -m commands.maintenance` runs the ones that are due from cron too.")  # fmt: skip
with reading() as session:
    states = job_states(session, JOBS)
OUTCOMES = {"done": "Done", "failed": "Failed", None: "Not run yet"}


def every(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h" if minutes < 1440 else f"{minutes // 1440} d"


table = pd.DataFrame([{
    "job": s.label, "every": every(s.every), "last": s.last_started_at, "outcome": "Running now" if s.running else OUTCOMES.get(s.last_outcome, ""),
    "detail": s.last_detail or "", "next": s.next_run_at} for s in states])  # fmt: skip
st.dataframe(localise(table, "last", "next"), hide_index=True, column_config={
    "job": free_text("Job"), "every": "Every", "last": time_column("Last run"),
    "outcome": "Outcome", "detail": free_text("What it did"), "next": time_column("Next run")})  # fmt: skip
