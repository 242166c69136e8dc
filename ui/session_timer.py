"""A timeout you can see coming (WCAG 2.2.1): a console page warns a few minutes before the idle
timeout ends the moderator's session, and offers to stay signed in.

A small fragment looks at the clock every 30 seconds without counting as activity (it only
reads), so an open tab never keeps a session alive by itself; "Stay signed in" does.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from models.base import utcnow
from models.db import DATABASE_FAULTS
from services.accounts import moderator_sessions
from ui import a11y
from ui.db import reading, settings, writing

CHECK_EVERY = timedelta(seconds=30)
WARN_BEFORE = timedelta(minutes=5)


def warn_before(idle_timeout: timedelta) -> timedelta:
    """When the warning starts: 5 minutes before the end, or half way for a short timeout."""
    return min(WARN_BEFORE, idle_timeout / 2)


def _stay(token: str) -> None:
    try:
        with writing() as session:
            moderator_sessions.keep_alive(session, token=token,
                                          idle_timeout=settings().moderator_idle_timeout, now=utcnow())  # fmt: skip
    except DATABASE_FAULTS:
        pass  # the warning stays; the next look tells


JUST_ACTIVE = "_wan_session_just_active"


def time_notice(token: str) -> None:
    """The warning, if it is time for it (the fragment below draws it every CHECK_EVERY).

    In a full rerun the gate has just seen (and noted) the moderator's activity: nothing to warn
    about and nothing to read; only the fragment's own timed reruns look at the clock.
    """
    idle_timeout = settings().moderator_idle_timeout
    if st.session_state.pop(JUST_ACTIVE, False):
        a11y.live("session_timer")
        st.container(key="session_timer")
        return
    try:
        with reading() as session:
            left = moderator_sessions.time_left(
                session, token=token, idle_timeout=idle_timeout, now=utcnow()
            )
    except DATABASE_FAULTS:
        return
    a11y.live("session_timer")  # announced when the warning appears in it
    with st.container(key="session_timer"):
        if left is not None and left > warn_before(idle_timeout):
            return
        if left is None:
            st.warning("Your session has ended because nothing happened for a while. What you "
                       "see here can no longer be changed: reload the page to sign in again.",
                       icon=":material/timer_off:")  # fmt: skip
        else:
            minutes = max(1, round(left.total_seconds() / 60))
            st.warning(f"You'll be signed out in about {minutes} minute{'s' if minutes > 1 else ''} "
                       "because nothing happened for a while. Anything you haven't saved would "
                       "stay on this page, but couldn't be saved.", icon=":material/timer:")  # fmt: skip
            st.button("Stay signed in", key="stay_signed_in", on_click=_stay, args=(token,),
                      type="primary")  # fmt: skip


timeout_warning = st.fragment(run_every=CHECK_EVERY)(time_notice)
