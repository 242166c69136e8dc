"""Become a mentor: read the Code of Conduct, fill in the profile, sign with your typed name."""

from __future__ import annotations

import streamlit as st

from models.base import utcnow
from services.code_of_conduct import current_code
from services.directory import mentor_card as find_card
from services.listings import InvalidSubmission
from services.signing import AlreadyListed, SignatureInput, SignUpRefused, sign_code_of_conduct
from ui.cards import mentor_card
from ui.client import ip_address, user_agent
from ui.code import code_of_conduct
from ui.db import reading, writing
from ui.forms import error_summary, field_error, submit_feedback
from ui.profile_form import LABELS, profile_fields, profile_from_state

PREFIX = "signup_"
ERRORS = "signup_errors"
OUTCOME = "signup_outcome"
code = current_code()


def _sign() -> None:
    signature = SignatureInput(
        agreed=bool(st.session_state.get("signup_agreed")),
        typed_name=st.session_state.get("signup_typed_name") or "",
        user_agent=user_agent(),
        ip_address=ip_address(),
    )
    st.session_state[ERRORS] = {}
    st.session_state.pop(OUTCOME, None)
    try:
        with writing() as session:
            result = sign_code_of_conduct(
                session,
                profile=profile_from_state(PREFIX),
                signature=signature,
                code=code,
                now=utcnow(),
            )
    except InvalidSubmission as problem:
        st.session_state[ERRORS] = problem.errors
    except AlreadyListed:
        st.session_state[OUTCOME] = {"kind": "already_listed"}
    except SignUpRefused:
        st.session_state[OUTCOME] = {"kind": "refused"}
    else:
        st.session_state[OUTCOME] = {"kind": "listed", "mentor_id": result.mentor_id,
                                     "credential": result.credential, "resubmitted": result.resubmitted}  # fmt: skip
        st.cache_data.clear()


def _confirmation(outcome: dict[str, object]) -> None:
    st.success(
        "You're listed again. Welcome back!"
        if outcome["resubmitted"]
        else "You're listed. Thank you for mentoring!",
        icon=":material/celebration:",
    )
    st.subheader("Your private code to manage your listing", anchor=False)
    st.markdown(
        "Keep this code somewhere safe, such as a password manager. With it you can pause, edit or "
        "delete your listing on **Manage my listing**. We only store a scrambled form of it, so we "
        "can't show it to you again. Use the copy button on the right of the box."
    )
    st.code(str(outcome["credential"]), language=None)
    st.subheader("How mentees see you", anchor=False)
    with reading() as session:
        card = find_card(session, mentor_id=int(outcome["mentor_id"]))  # type: ignore[call-overload]
    if card:
        mentor_card(card)
    st.page_link(
        "pages/find_a_mentor.py", label="See yourself in the directory", icon=":material/search:"
    )


st.title("Become a mentor", anchor=False)
outcome = st.session_state.get(OUTCOME) or {}
if outcome.get("kind") == "listed":
    _confirmation(outcome)
    st.stop()

st.markdown(
    "Mentors volunteer a little of their time to help students and young talent in advertising "
    "and marketing. Read the Code of Conduct, fill in your profile and sign: you're listed straight away."
)
with st.container(border=True):
    code_of_conduct(code)

st.header("Your profile", anchor=False)
errors = st.session_state.get(ERRORS) or {}
st.session_state.setdefault(f"{PREFIX}open_to_new_mentees", True)
with st.form("signup", enter_to_submit=False):
    error_summary(
        errors, {**LABELS, "agreed": "the agreement box", "typed_name": code.signature_label}
    )
    profile_fields(PREFIX, errors)
    st.subheader("Sign the Code of Conduct", anchor=False)
    st.checkbox(code.agreement_label, key="signup_agreed")
    field_error(errors, "agreed")
    st.text_input(code.signature_label, key="signup_typed_name", max_chars=200,
                  help="Exactly as in the Full name field above; capitals and extra spaces don't matter.")  # fmt: skip
    field_error(errors, "typed_name")
    st.form_submit_button("Sign and list me", type="primary", on_click=_sign)
# Right under the button, where the person is looking after pressing it.
submit_feedback(errors)
if outcome.get("kind") == "already_listed":
    st.info(
        "You already have a listing with this email or LinkedIn profile. To change it, pause it "
        "or take it down, go to **Manage my listing**.",
        icon=":material/info:",
    )
    st.page_link(
        "pages/manage_listing.py", label="Manage my listing", icon=":material/manage_accounts:"
    )
elif outcome.get("kind") == "refused":
    st.warning(
        "We're sorry, we can't list this profile. If you think this is a mistake, please contact "
        "the We Are Next team.",
        icon=":material/block:",
    )
