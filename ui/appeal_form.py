"""Manage my listing's "Appeal a decision": the mentor's appeals and how they stand, and the
decisions still open to appeal (services/reports/appeals.py). What moderators wrote is shown as
plain text."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.mail.enforcement_texts import APPEAL_DAYS
from services.reports import appeals
from ui.actions import Outcome
from ui.db import read_or, reading
from ui.forms import error_summary, field_error, hint
from ui.times import now

DECISION, TEXT, SEEN = "appeal_decision", "appeal_text", "appeal_last_seen"


def appeal_section(mentor_id: int, *, act: Callable[..., Outcome], outcome_key: str,
                   errors: dict[str, str], token: str | None) -> None:  # fmt: skip
    """The section, when the listing has a decision it can appeal or an appeal to follow."""
    # With the database out of reach, the section stays as last seen: nothing typed is lost.
    open_now, mine = read_or(st.session_state.get(SEEN, ([], [])), _read, mentor_id)
    if not open_now and not mine:
        return
    st.subheader("Appeal a decision", anchor=False)
    for appeal in mine:
        st.markdown(f"Your appeal {appeal.reference} of: {appeal.decision.label}. It is **{appeal.words}**.")
        if appeal.message:
            st.markdown("The moderators' message to you:")
            st.text(appeal.message)
    if not open_now:
        return
    st.markdown(f"You can appeal each decision once, within {APPEAL_DAYS} days. A moderator who did "
                "not take it decides, and we write to you with the outcome.")  # fmt: skip
    choices: dict[int, appeals.Decision] = {d.event_id: d for d in open_now}
    with st.form("appeal", enter_to_submit=False):
        error_summary(errors, {"appeal": "Why the decision is wrong"}, widget_keys={"appeal": TEXT},
                      form="appeal", token=token)  # fmt: skip
        st.selectbox("Decision to appeal", list(choices), key=DECISION,
                     format_func=lambda i: f"{choices[i].label}, open to appeal until "
                                           f"{choices[i].appeal_until:%Y-%m-%d}")  # fmt: skip
        st.text_area("Why the decision is wrong", key=TEXT)
        hint(TEXT, f"What happened, in your words. Up to {appeals.MAX_APPEAL:,} characters.")
        field_error(errors, "appeal", widget_key=TEXT)
        st.form_submit_button("Send my appeal", on_click=_send, args=(act, outcome_key))


def _read(mentor_id: int) -> tuple[list[appeals.Decision], list[appeals.AppealState]]:
    with reading() as session:
        seen = (appeals.open_to_appeal(session, mentor_id=mentor_id, now=now()),
                appeals.appeals_of(session, mentor_id=mentor_id))  # fmt: skip
    st.session_state[SEEN] = seen
    return seen


def _send(act: Callable[..., Outcome], outcome_key: str) -> None:
    outcome = act(appeals.file_appeal, "", event_id=st.session_state.get(DECISION) or 0,
                  text=st.session_state.get(TEXT) or "")  # fmt: skip
    if outcome.ok:
        st.session_state[TEXT] = ""
        st.session_state[outcome_key] = Outcome(
            "done", f"Your appeal is in, with the reference {outcome.value}. A moderator who did not "
            "take the decision will look at it, and we'll write to you.")  # fmt: skip
