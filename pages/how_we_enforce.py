"""How we enforce the Code: the enforcement ladder, appeals and what reporters hear, in plain words."""

from __future__ import annotations

import streamlit as st

from services.listings.enforcement import MAX_DAYS, PLAIN_STEPS
from services.mail.enforcement_texts import APPEAL_DAYS

st.title("How we enforce the Code", anchor=False)
st.markdown(
    "When someone reports a mentor, a moderator of the collective looks at it. What happens next "
    "depends on which part of the [Code of Conduct](/code-of-conduct) was broken, and how."
)

st.header("Expectations (section 2 of the Code)", anchor=False)
st.markdown(
    "Mentors are expected to reply within a reasonable time, to be encouraging and supportive, "
    "respectful of everyone, and to keep what mentees tell them confidential. When a mentor falls "
    "short, the moderators choose one of these steps, mildest first. They usually start at the "
    "bottom and go a step further if it happens again; something serious can start higher."
)
st.markdown("\n".join(f"{n}. **{title}.** {words}" for n, (title, words) in enumerate(PLAIN_STEPS, 1)))
st.caption(f"Time off the directory lasts from 1 to {MAX_DAYS} days.")

st.header("Violations (section 3 of the Code)", anchor=False)
st.markdown(
    "Demeaning, discriminatory or harassing behaviour, facilitating or encouraging illegal "
    "activity, and asking mentees for payment are not tolerated: the Code says they result in an "
    "immediate removal or ban. For these the moderators remove or ban at once; no warning has to "
    "come first."
)

st.header("Every decision is recorded", anchor=False)
st.markdown(
    "Each step names the part of the Code it enforces, and is kept in the listing's history and "
    "in the moderators' audit log. A warned, removed or banned mentor is told by mail which part "
    f"of the Code the decision enforces, and can appeal it once, within {APPEAL_DAYS} days, from "
    "[Manage my listing](/manage-my-listing). A moderator who did not take the decision decides "
    "the appeal, and the mentor hears the outcome."
)

st.header("If you reported", anchor=False)
st.markdown(
    "You hear from us when a moderator picks your report up and when it is decided, if you left "
    "an email address; [Follow my report](/follow-my-report) shows where it is, with the "
    "reference and case code you were given. We never tell the mentor who reported them, and we "
    "never tell a reporter what happened to the mentor beyond the outcome of their own report."
)

st.header("In numbers", anchor=False)
st.markdown(
    "[Reports and outcomes](/reports-and-outcomes) counts, per quarter and per year, the reports "
    "received by part of the Code, how they were decided, the steps taken, the appeals and how "
    "long reports waited, without names and without small numbers that could point at someone."
)
