"""Become a mentor: read the Code of Conduct, fill in the profile, sign with your typed name, then
confirm the address from the mail (the link's page lists the mentor: server/listing_link_routes.py)."""

from __future__ import annotations

import streamlit as st

from services.listings.code_of_conduct import current_code
from services.listings.signing import SignatureInput, SignUpReceived, sign_code_of_conduct
from ui import a11y
from ui.actions import outcome_of, perform, show
from ui.client import client_key, ip_address, user_agent
from ui.code import code_of_conduct
from ui.contact import write_to_us
from ui.forms import error_summary, field_error, hint
from ui.profile_form import LABELS, profile_fields, profile_from_state, widget_keys

PREFIX = "signup_"
OUTCOME = "signup_outcome"
code = current_code()


def _sign() -> None:
    signature = SignatureInput(
        agreed=bool(st.session_state.get("signup_agreed")),
        typed_name=st.session_state.get("signup_typed_name") or "",
        user_agent=user_agent(),
        ip_address=ip_address(),
    )
    perform(OUTCOME, sign_code_of_conduct, profile=profile_from_state(PREFIX),
            signature=signature, code=code, client_key=client_key())  # fmt: skip


def _check_inbox(result: SignUpReceived, token: str) -> None:
    """The same answer for every address: new, waiting, listed or banned (nothing here tells)."""
    with st.container(key="signup_done"):
        st.success("Thank you for signing. Check your inbox to confirm your address.",
                   icon=":material/mark_email_unread:")  # fmt: skip
    a11y.focus("signup_done", token=token)
    st.markdown("We've sent a mail to this address:")
    st.text(result.email)  # as typed, never as Markdown
    st.markdown(
        "Open the link in it and press **Confirm and list me**: your listing goes into the "
        "directory, and the page gives you your private code to manage it. The link works for "
        "72 hours. Nothing there after a few minutes? Check your spam folder, or sign up again "
        "to get a new link."
    )


st.title("Become a mentor", anchor=False)
outcome = outcome_of(OUTCOME)
if outcome is not None and outcome.ok:
    _check_inbox(outcome.value, outcome.token)
    a11y.stop()

st.markdown(
    "Mentors volunteer a little of their time to help students and young talent in advertising "
    "and marketing. Read the Code of Conduct, fill in your profile and sign; confirm your address from "
    "the mail we send, and you're listed."
)
with st.container(border=True):
    code_of_conduct(code)

st.header("Your profile", anchor=False)
errors = outcome.errors if outcome else {}
st.session_state.setdefault(f"{PREFIX}open_to_new_mentees", True)
with st.form("signup", enter_to_submit=False):
    error_summary(errors, {**LABELS, "agreed": "The agreement box", "typed_name": code.signature_label},
                  widget_keys={**widget_keys(PREFIX), "agreed": "signup_agreed",
                               "typed_name": "signup_typed_name"},
                  form="signup", token=outcome.token if outcome else None)  # fmt: skip
    profile_fields(PREFIX, errors)
    st.subheader("Sign the Code of Conduct", anchor=False)
    st.checkbox(code.agreement_label, key="signup_agreed")
    field_error(errors, "agreed", widget_key="signup_agreed")
    st.text_input(code.signature_label, key="signup_typed_name")
    hint("signup_typed_name", "Exactly as in the Full name field above; capitals and extra spaces "
         "don't matter.")  # fmt: skip
    field_error(errors, "typed_name", widget_key="signup_typed_name")
    st.form_submit_button("Sign and send me the link", type="primary", on_click=_sign)
# Right under the button, where the person is looking after pressing it.
show(outcome, key="signup_outcome_message")
if outcome is not None and outcome.kind == "refused" and not outcome.errors:
    st.page_link(
        "pages/manage_listing.py", label="Manage my listing", icon=":material/manage_accounts:"
    )
    st.markdown(f"Something else? Please {write_to_us()}.")
