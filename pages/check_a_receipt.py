"""Check a receipt: whether a verification code matches a signature we hold, and nothing more."""

from __future__ import annotations

import streamlit as st

from services.evidence import receipts
from ui import a11y
from ui.actions import perform
from ui.client import client_key
from ui.forms import error_summary, field_error, hint

OUTCOME = "receipt_outcome"
FIELD = "receipt_code"


def _check() -> None:
    perform(OUTCOME, receipts.check, typed=st.session_state.get(FIELD) or "", client_key=client_key())


st.title("Check a receipt", anchor=False)
st.markdown(
    "Every mentor who signs our Code of Conduct can download a receipt. If someone shows you "
    "one, type its verification code here: we say whether it matches a signature we hold, and "
    "nothing more (not whose it is, nor when). A listing its mentor deleted no longer matches."
)
outcome = st.session_state.pop(OUTCOME, None)
errors: dict[str, str] = outcome.errors if outcome else {}
if outcome is not None and outcome.kind == "refused" and not errors:  # too many checks
    errors = {"code": outcome.message}
token = outcome.token if outcome else None
with st.form("check_receipt"):
    error_summary(errors, {"code": "Verification code"}, widget_keys={"code": FIELD},
                  form="check_receipt", token=token)  # fmt: skip
    st.text_input("Verification code", key=FIELD, max_chars=receipts.MAX_CODE_INPUT)
    hint(FIELD, "Twelve letters and digits, as on the receipt, e.g. ABCD-EFGH-JKMN.")
    field_error(errors, "code", widget_key=FIELD)
    st.form_submit_button("Check", type="primary", on_click=_check)

if outcome is not None and outcome.ok:
    with st.container(key="receipt_answer", border=True):
        if outcome.value:
            st.success("This code matches a signature we hold.", icon=":material/verified:")
        else:
            st.warning("No signature we hold matches this code. Check it for typing mistakes.",
                       icon=":material/help:")  # fmt: skip
    a11y.focus("receipt_answer", token=outcome.token)
elif outcome is not None and outcome.kind == "unavailable":
    st.error(outcome.message, icon=":material/cloud_off:")
