"""Follow my report: where a case is, with its reference and the case code given with it."""

from __future__ import annotations

import streamlit as st

from services.reports import follow_up
from services.reports.follow_up import CaseNotFound, CaseState
from ui import a11y
from ui.actions import Outcome, perform
from ui.client import client_key
from ui.forms import error_summary, field_error, hint

OUTCOME = "follow_outcome"
SHOWN = "follow_case"
LABELS = {"reference": "Reference", "case_code": "Case code"}
WIDGETS = {"reference": "follow_reference", "case_code": "follow_code"}


def _show() -> None:
    state = st.session_state
    outcome = perform(OUTCOME, follow_up.follow, reference=state.get("follow_reference") or "",
                      case_code=state.get("follow_code") or "", client_key=client_key())  # fmt: skip
    if outcome.ok and outcome.value is None:
        state[OUTCOME] = Outcome("refused", errors={"case_code": CaseNotFound.message})
    elif outcome.kind == "refused":  # too many tries from this address
        state[OUTCOME] = Outcome("refused", errors={"case_code": outcome.message})
    elif outcome.ok:
        state[SHOWN] = (outcome.value, outcome.token)  # focus moves to it once
        state["follow_code"] = ""  # the code is not kept on the screen
        state.pop(OUTCOME, None)


st.title("Follow my report", anchor=False)
st.markdown(
    "When you report something, or ask us to remove your listing, you get a reference and a "
    "private case code. With both, this page shows where your case is and, once it is decided, "
    "how, with any message the moderators wrote to you. It never shows anyone else's details."
)
outcome = st.session_state.pop(OUTCOME, None)
errors: dict[str, str] = outcome.errors if outcome else {}
token = outcome.token if outcome else None
with st.form("follow"):
    error_summary(errors, LABELS, widget_keys=WIDGETS, form="follow", token=token)
    st.text_input("Reference", key="follow_reference", placeholder="e.g. WAN-7K3M9Q")
    field_error(errors, "reference", widget_key="follow_reference")
    st.text_input("Case code", type="password", key="follow_code")
    hint("follow_code", "The code shown with your reference, e.g. ABCD-EFGH-JKLM.")
    field_error(errors, "case_code", widget_key="follow_code")
    st.form_submit_button("Show my case", type="primary", on_click=_show)

shown = st.session_state.get(SHOWN)
if shown is not None:
    case, shown_token = shown
    with st.container(key="follow_case_view", border=True):
        st.subheader(f"Report {case.reference}", anchor=False)
        st.text(f"Received on {case.received_on:%Y-%m-%d}")
        st.text(f"Where it is: {case.state.label}")
        if case.state is CaseState.DECIDED:
            st.text(f"Decision: {case.outcome}")
            if case.message:
                st.markdown("**The moderators' message to you**")
                st.text(case.message)
    a11y.focus("follow_case_view", token=shown_token)
