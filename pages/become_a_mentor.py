"""Become a mentor: read the Code of Conduct, fill in the profile, sign with your typed name."""

from __future__ import annotations

import streamlit as st

from services.directory.mentor_search import mentor_card as find_card
from services.listings.code_of_conduct import current_code
from services.listings.signing import SignatureInput, SignUpResult, sign_code_of_conduct
from ui import a11y
from ui.actions import outcome_of, perform, show
from ui.cards import mentor_card
from ui.client import ip_address, user_agent
from ui.code import code_of_conduct
from ui.contact import write_to_us
from ui.db import reading
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
            signature=signature, code=code)  # fmt: skip


def _confirmation(result: SignUpResult, token: str) -> None:
    with st.container(key="signup_done"):
        st.success("You're listed. Thank you for mentoring!", icon=":material/celebration:")
    a11y.focus("signup_done", token=token)
    st.header("Your private code to manage your listing", anchor=False)
    st.markdown(
        "Keep this code somewhere safe, such as a password manager. With it you can pause, edit, "
        "re-submit or delete your listing on **Manage my listing**. We only store a scrambled "
        "form of it, so we can't show it to you again. Use the copy button on the right of the box."
    )
    st.code(result.credential, language=None)
    st.header("How mentees see you", anchor=False)
    with reading() as session:
        card = find_card(session, mentor_id=result.mentor_id)
    if card:
        mentor_card(card)
    st.page_link(
        "pages/find_a_mentor.py", label="See yourself in the directory", icon=":material/search:"
    )


st.title("Become a mentor", anchor=False)
outcome = outcome_of(OUTCOME)
if outcome is not None and outcome.ok:
    _confirmation(outcome.value, outcome.token)
    a11y.stop()

st.markdown(
    "Mentors volunteer a little of their time to help students and young talent in advertising "
    "and marketing. Read the Code of Conduct, fill in your profile and sign: you're listed straight away."
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
    st.form_submit_button("Sign and list me", type="primary", on_click=_sign)
# Right under the button, where the person is looking after pressing it.
show(outcome, key="signup_outcome_message")
if outcome is not None and outcome.kind == "refused" and not outcome.errors:
    st.page_link(
        "pages/manage_listing.py", label="Manage my listing", icon=":material/manage_accounts:"
    )
    st.markdown(f"Something else? Please {write_to_us()}.")
