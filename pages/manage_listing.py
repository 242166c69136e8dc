"""Manage my listing: with the private code, pause, resume, edit or delete; without it, ask us."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from models.base import utcnow
from models.vocabulary import ListingStatus
from services import listings, reports
from services.code_of_conduct import current_code
from services.listings import CredentialRejected, InvalidSubmission, NotAllowedNow
from services.signing import SignatureInput, resume_listing
from services.throttle import Throttled
from ui.client import client_key, ip_address, user_agent
from ui.db import writing
from ui.forms import error_summary, field_error
from ui.profile_form import LABELS, prefill, profile_fields, profile_from_state

CREDENTIAL = "manage_credential"
NOTICE = "manage_notice"
WARNING = "manage_warning"
ERRORS = "manage_errors"
PREFIX = "edit_"
code = current_code()

STATUS_TEXT = {
    ListingStatus.LISTED: "Your listing is **live**: mentees can find you in the directory.",
    ListingStatus.PAUSED: "Your listing is **paused**: it is not in the directory until you resume it.",
    ListingStatus.REMOVED: "Our moderators have taken this listing off the directory. You can delete it "
    "here, or sign up again on Become a mentor whenever you'd like to be listed.",
    ListingStatus.BANNED: "This listing can't be shown in the directory. If you think this is a "
    "mistake, please contact the We Are Next team.",
}


def _forget(message: str | None = None) -> None:
    for key in (CREDENTIAL, ERRORS, "edit_prefilled"):
        st.session_state.pop(key, None)
    if message:
        st.session_state[NOTICE] = message


def _act(action: Callable[..., None], success: str, **kwargs: object) -> None:
    """Run one change to the listing in its own transaction; turn problems into messages."""
    st.session_state[ERRORS] = {}
    try:
        with writing() as session:
            action(session, credential=st.session_state[CREDENTIAL], now=utcnow(), **kwargs)
    except InvalidSubmission as problem:
        st.session_state[ERRORS] = problem.errors
    except NotAllowedNow as problem:
        st.session_state[WARNING] = str(problem)
    except CredentialRejected:
        _forget("This code no longer opens a listing. It may have been deleted or replaced.")
    else:
        st.session_state[NOTICE] = success
        st.cache_data.clear()


def _open() -> None:
    credential = (st.session_state.get("manage_code_input") or "").strip()
    st.session_state[ERRORS] = {}
    try:
        with writing() as session:
            listing = listings.open_listing(
                session, credential=credential, client_key=client_key(), now=utcnow()
            )
    except Throttled as wait:
        message = f"Too many tries. Please wait {wait.wait_text} and try again."
        st.session_state[ERRORS] = {"code": message}
        return
    if listing is None:
        message = "That code didn't open a listing. Check it and try again."
        st.session_state[ERRORS] = {"code": message}
        return
    st.session_state[CREDENTIAL] = credential
    st.session_state.pop("edit_prefilled", None)


def _resume() -> None:
    signature = SignatureInput(
        agreed=bool(st.session_state.get("resume_agreed")),
        typed_name=st.session_state.get("resume_typed_name") or "",
        user_agent=user_agent(),
        ip_address=ip_address(),
    )
    _act(
        resume_listing, "Welcome back: your listing is live again.", signature=signature, code=code
    )


def _save_availability() -> None:
    _act(listings.set_availability, "Saved. The directory shows your availability now.",
         open_to_new_mentees=bool(st.session_state.get("availability_open")),
         availability_note=st.session_state.get("availability_note") or "")  # fmt: skip


def _save_profile() -> None:
    _act(
        listings.edit_listing, "Saved. Your profile is updated.", profile=profile_from_state(PREFIX)
    )


def _delete() -> None:
    if not st.session_state.get("delete_confirmed"):
        st.session_state[ERRORS] = {"delete_confirmed": "Please tick the box to confirm."}
        return
    _act(listings.delete_listing, "")
    if not st.session_state.get(ERRORS) and CREDENTIAL in st.session_state:
        _forget("Your listing and your profile details are deleted. Thank you for mentoring.")


def _request_removal() -> None:
    st.session_state[ERRORS] = {}
    try:
        with writing() as session:
            receipt = reports.request_removal(
                session, contact=st.session_state.get("removal_contact") or "",
                message=st.session_state.get("removal_message") or "", client_key=client_key(), now=utcnow(),
            )  # fmt: skip
    except InvalidSubmission as problem:
        st.session_state[ERRORS] = problem.errors
    except Throttled as wait:
        st.session_state[ERRORS] = {
            "contact": f"Too many requests. Please wait {wait.wait_text} and send it again."
        }
    else:
        st.session_state[NOTICE] = (
            f"Thank you. We've received your request (reference {receipt.reference}) and a "
            "moderator will take your listing down."
        )
        st.session_state["removal_contact"] = st.session_state["removal_message"] = ""


def _listing_view() -> None:
    try:
        with writing() as session:
            listing = listings.open_listing(
                session,
                credential=st.session_state[CREDENTIAL],
                client_key=client_key(),
                now=utcnow(),
            )
    except Throttled:
        listing = None
    if listing is None:
        _forget("This code no longer opens a listing. It may have been deleted or replaced.")
        st.rerun()
        return
    st.markdown(STATUS_TEXT[listing.status])
    if listing.status in (ListingStatus.LISTED, ListingStatus.PAUSED):
        _manage_sections(listing)
    _delete_section()
    st.button("Close my listing on this device", on_click=_forget, icon=":material/logout:")


def _manage_sections(listing: listings.OwnListing) -> None:
    if listing.status is ListingStatus.LISTED:
        st.subheader("Need a break?", anchor=False)
        st.markdown("Pausing takes you off the directory at once. Resume whenever you like.")
        st.button(
            "Pause my listing",
            on_click=_act,
            args=(listings.pause_listing, "Paused. You're off the directory until you resume."),
        )
    else:
        st.subheader("Resume your listing", anchor=False)
        with st.form("resume", enter_to_submit=False):
            st.markdown("To come back, sign the current Code of Conduct again.")
            st.checkbox(code.agreement_label, key="resume_agreed")
            field_error(errors, "agreed")
            st.text_input(code.signature_label, key="resume_typed_name", max_chars=200)
            field_error(errors, "typed_name")
            st.form_submit_button("Resume my listing", type="primary", on_click=_resume)
    st.subheader("Availability", anchor=False)
    st.session_state.setdefault("availability_open", listing.profile.open_to_new_mentees)
    st.session_state.setdefault("availability_note", listing.profile.availability_note)
    with st.form("availability"):
        st.checkbox(LABELS["open_to_new_mentees"], key="availability_open")
        st.text_input(LABELS["availability_note"], key="availability_note", max_chars=200,
                      placeholder="e.g. Slower replies until January")  # fmt: skip
        field_error(errors, "availability_note")
        st.form_submit_button("Save availability", on_click=_save_availability)
    st.subheader("Edit your profile", anchor=False)
    if not st.session_state.get("edit_prefilled"):
        prefill(PREFIX, listing.profile)
        st.session_state["edit_prefilled"] = True
    profile_errors = {k: v for k, v in errors.items() if k in LABELS}
    with st.form("edit", enter_to_submit=False):
        error_summary(profile_errors, LABELS)
        profile_fields(PREFIX, profile_errors)
        st.form_submit_button("Save profile", type="primary", on_click=_save_profile)


def _delete_section() -> None:
    st.subheader("Delete your listing for good", anchor=False)
    st.markdown(
        "This erases your profile and contact details and cannot be undone. We keep the record "
        "of your signature of the Code of Conduct (the name you typed, and when), as proof that "
        "you agreed to it. You can always sign up again later."
    )
    st.checkbox("I understand: delete my listing and my profile details", key="delete_confirmed")
    field_error(errors, "delete_confirmed")
    st.button("Delete my listing", on_click=_delete, icon=":material/delete_forever:")


def _entry_view() -> None:
    with st.form("open_listing"):
        st.text_input("Your private code", type="password", key="manage_code_input", max_chars=100,
                      help="The code shown when you signed up. It starts with wan-.")  # fmt: skip
        field_error(errors, "code")
        st.form_submit_button("Open my listing", type="primary", on_click=_open)
    st.header("Lost your code?", anchor=False)
    st.markdown(
        "Send us a message and a moderator will take your listing off the page, as the Code of "
        "Conduct promises. Tell us the email or LinkedIn profile you signed up with."
    )
    with st.form("removal_request"):
        st.text_input(
            "Email or LinkedIn profile of your listing", key="removal_contact", max_chars=300
        )
        field_error(errors, "contact")
        st.text_area(
            "Message (optional)", key="removal_message", max_chars=reports.MAX_REMOVAL_MESSAGE
        )
        field_error(errors, "message")
        st.form_submit_button("Please remove me", on_click=_request_removal)


st.title("Manage my listing", anchor=False)
errors: dict[str, str] = st.session_state.get(ERRORS) or {}
if notice := st.session_state.pop(NOTICE, None):
    st.success(notice, icon=":material/check_circle:")
if warning := st.session_state.pop(WARNING, None):
    st.warning(warning, icon=":material/warning:")
if CREDENTIAL in st.session_state:
    _listing_view()
else:
    _entry_view()
