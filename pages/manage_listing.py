"""Manage my listing: with the private code (or a link by mail), pause, resume, edit or delete;
without either, ask us.

Which sections show depends on what the listing's lifecycle allows its owner now.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.core.refusals import CredentialRejected
from services.core.vocabulary import ListingStatus
from services.listings import manage_links, owner
from services.listings.code_of_conduct import current_code
from services.listings.links import OWNER_SESSION_PREFIX
from services.listings.listing_lifecycle import ListingAction
from services.listings.signing import SignatureInput, resume_listing
from services.reports import intake
from ui.actions import Outcome, perform, show
from ui.appeal_form import appeal_section
from ui.client import client_key, cookie, ip_address, user_agent
from ui.contact import write_to_us
from ui.db import read_or, reading
from ui.forms import error_summary, field_error, hint
from ui.go_to import go_button
from ui.new_code_form import new_code_section
from ui.profile_form import (
    LABELS,
    PROFILE_ONLY,
    prefill,
    profile_fields,
    profile_from_state,
    widget_keys,
)
from ui.receipts_section import receipts_section
from ui.times import DATE_FORMAT

CREDENTIAL = "manage_credential"
OUTCOME = "manage_outcome"
NOTICE = "manage_notice"
LAST_SEEN = "manage_last_seen"
PREFIX = "edit_"
OWNER_COOKIE = "wan_owner"  # set by server/owner_link_routes.py when a mailed link is used
CLOSED = "manage_cookie_closed"
ENDED_LINK = "The link's time here has ended (two hours). Ask for a new link below."
A = ListingAction
code = current_code()

STATUS_TEXT = {
    ListingStatus.LISTED: "Your listing is **live**: mentees can find you in the directory.",
    ListingStatus.PAUSED: "Your listing is **paused**: it is not in the directory until you resume it.",
    ListingStatus.REMOVED: "Our moderators have taken this listing off the directory, so it can't "
    "be re-submitted from here. You can delete it. If you think this is a mistake, please {write}.",
    ListingStatus.BANNED: "This listing can't be shown in the directory. If you think this is a "
    "mistake, please {write}.",
}


def _forget(message: str | None = None) -> None:
    st.session_state[CLOSED] = True  # a link's session in the cookie doesn't reopen it here
    for key in (CREDENTIAL, OUTCOME, LAST_SEEN, "edit_prefilled", "availability_open",
                "availability_note", "appeal_last_seen"):  # fmt: skip
        st.session_state.pop(key, None)
    if message:
        st.session_state[NOTICE] = message


def _act(use_case: Callable[..., object], done: str, **kwargs: object) -> Outcome:
    """One change to the listing, through the edge; a code that stopped working closes the view."""
    outcome = perform(OUTCOME, use_case, done=done, credential=st.session_state[CREDENTIAL],
                      **kwargs)  # fmt: skip
    if outcome.kind == "refused" and outcome.message == CredentialRejected.message:
        _forget("This code no longer opens a listing. It may have been deleted or replaced.")
    return outcome


def _open() -> None:
    credential = (st.session_state.get("manage_code_input") or "").strip()
    outcome = perform(OUTCOME, owner.open_listing, credential=credential, client_key=client_key())
    if outcome.ok and outcome.value is None:
        st.session_state[OUTCOME] = Outcome("refused", errors={"code": CredentialRejected.message})
    elif outcome.kind == "refused":  # too many tries
        st.session_state[OUTCOME] = Outcome("refused", errors={"code": outcome.message})
    elif outcome.ok:
        st.session_state[CREDENTIAL] = credential
        st.session_state.pop(OUTCOME, None)


def _resume() -> None:
    signature = SignatureInput(
        agreed=bool(st.session_state.get("resume_agreed")),
        typed_name=st.session_state.get("resume_typed_name") or "",
        user_agent=user_agent(),
        ip_address=ip_address(),
    )
    _act(resume_listing, "Welcome back: your listing is live again.", signature=signature, code=code)


def _save_availability() -> None:
    _act(owner.set_availability, "Saved. The directory shows your availability now.",
         open_to_new_mentees=bool(st.session_state.get("availability_open")),
         availability_note=st.session_state.get("availability_note") or "",
         note_until=st.session_state.get("availability_until"))  # fmt: skip


def _save_profile() -> None:
    outcome = _act(owner.edit_listing, "Saved. Your profile is updated.",
                   profile=profile_from_state(PREFIX))  # fmt: skip
    if outcome.ok and outcome.value:  # a new address: it takes effect once confirmed
        st.session_state[OUTCOME] = Outcome(
            "done", "Saved. Your new email address takes effect once you confirm it: open the link "
            "we've sent to it. Until then your listing keeps the old one, which we've told."
        )


def _delete() -> None:
    if not st.session_state.get("delete_confirmed"):
        st.session_state[OUTCOME] = Outcome(
            "refused", errors={"delete_confirmed": "Please tick the box to confirm."}
        )
        return
    if _act(owner.delete_listing, "").ok:
        _forget("Your listing and your profile details are deleted. Thank you for mentoring.")


def _request_link() -> None:
    outcome = perform(OUTCOME, manage_links.request_link, client_key=client_key(),
                      email=st.session_state.get("link_email") or "")  # fmt: skip
    if outcome.kind == "refused" and not outcome.errors:  # too many requests
        st.session_state[OUTCOME] = Outcome("refused", errors={"email": outcome.message})
    if outcome.ok:
        st.session_state[OUTCOME] = Outcome(
            "done",
            "If this address belongs to a listing, a link to manage it is on its way. It works "
            "once, for an hour. Nothing after a few minutes? Check your spam folder.",
        )


def _request_removal() -> None:
    outcome = perform(OUTCOME, intake.request_removal, client_key=client_key(),
                      contact=st.session_state.get("removal_contact") or "",
                      message=st.session_state.get("removal_message") or "")  # fmt: skip
    if outcome.kind == "refused" and not outcome.errors:  # too many requests
        st.session_state[OUTCOME] = Outcome("refused", errors={"contact": outcome.message})
    if outcome.ok:
        st.session_state[OUTCOME] = Outcome(
            "done",
            f"Thank you. We've received your request (reference {outcome.value.reference}) and a "
            "moderator will take your listing off the page. Your private case code is "
            f"{outcome.value.case_code}: with both, Follow my report shows where your request is "
            "(we show the code only this once).",
        )
        st.session_state["removal_contact"] = st.session_state["removal_message"] = ""


def _read_listing() -> owner.OwnListing:
    with reading() as session:
        listing = owner.own_listing(session, credential=st.session_state[CREDENTIAL])
    st.session_state[LAST_SEEN] = listing
    return listing


def _listing_view() -> None:
    try:  # with the database out of reach, the forms stay, as last seen: nothing typed is lost
        listing = read_or(st.session_state.get(LAST_SEEN), _read_listing)
    except CredentialRejected:
        _forget(ENDED_LINK if st.session_state[CREDENTIAL].startswith(OWNER_SESSION_PREFIX)
                else "This code no longer opens a listing. It may have been deleted or replaced.")  # fmt: skip
        st.rerun()
        return
    if listing is None:
        return
    if listing.removed_until is not None:
        st.markdown(f"Our moderators have taken this listing off the directory until "
                    f"{listing.removed_until:%Y-%m-%d}. On that day it comes back by "
                    "itself, as it was. If you think this is a mistake, please "
                    f"{write_to_us()}.")  # fmt: skip
    else:
        st.markdown(STATUS_TEXT[listing.status].format(write=write_to_us()))
    appeal_section(listing.mentor_id, act=_act, outcome_key=OUTCOME, errors=errors, token=token)
    new_code_section(listing.mentor_id, status=listing.status, code=code, act=_act, errors=errors,
                     token=token)  # fmt: skip
    if A.PAUSE in listing.actions:
        st.subheader("Need a break?", anchor=False)
        st.markdown("Pausing takes you off the directory at once. Resume whenever you like.")
        st.date_input("Back on (optional)", value=None, key="pause_until", format=DATE_FORMAT,
                      help="On this date your listing goes back into the directory by itself.")  # fmt: skip
        field_error(errors, "pause_until", widget_key="pause_until")
        st.button("Pause my listing", on_click=lambda: _act(
            owner.pause_listing, "Paused. You're off the directory until you resume.",
            until=st.session_state.get("pause_until")))  # fmt: skip
    if A.RESUME in listing.actions:
        _resume_section()
    if A.CONFIRM_AVAILABLE in listing.actions and listing.status is ListingStatus.LISTED:
        st.button("Yes, I'm still available", on_click=_act, help="We ask every few months, to "
                  "keep the directory true; saying so here counts as your answer.",
                  args=(owner.confirm_available, "Thank you! We'll ask again in a few months."))  # fmt: skip
    if A.CHANGE_AVAILABILITY in listing.actions:
        _availability_section(listing)
    if A.EDIT in listing.actions:
        _edit_section(listing)
    receipts_section(listing.mentor_id)
    if A.DELETE in listing.actions:
        _delete_section()
    if st.session_state[CREDENTIAL].startswith(OWNER_SESSION_PREFIX):  # opened by a mailed link
        go_button("Close my listing on this device", "/manage-link/close", key="manage_close",
                  icon=":material/logout:")  # fmt: skip
    else:
        st.button("Close my listing on this device", on_click=_forget, icon=":material/logout:")


def _resume_section() -> None:
    st.subheader("Resume your listing", anchor=False)
    with st.form("resume", enter_to_submit=False):
        st.markdown("To come back, sign the current Code of Conduct again.")
        error_summary(errors, {"agreed": "The agreement box", "typed_name": code.signature_label},
                      widget_keys={"agreed": "resume_agreed", "typed_name": "resume_typed_name"},
                      form="resume", token=token)  # fmt: skip
        st.checkbox(code.agreement_label, key="resume_agreed")
        field_error(errors, "agreed", widget_key="resume_agreed")
        st.text_input(code.signature_label, key="resume_typed_name")
        hint("resume_typed_name", "Your full name as in your profile.")
        field_error(errors, "typed_name", widget_key="resume_typed_name")
        st.form_submit_button("Resume my listing", type="primary", on_click=_resume)


def _availability_section(listing: owner.OwnListing) -> None:
    st.subheader("Availability", anchor=False)
    st.session_state.setdefault("availability_open", listing.profile.open_to_new_mentees)
    st.session_state.setdefault("availability_note", listing.profile.availability_note)
    with st.form("availability"):
        error_summary(errors, {"availability_note": LABELS["availability_note"], "availability_until": "Until"},
                      widget_keys={"availability_note": "availability_note", "availability_until": "availability_until"},
                      form="availability", token=token)  # fmt: skip
        st.checkbox(LABELS["open_to_new_mentees"], key="availability_open")
        st.text_input(LABELS["availability_note"], key="availability_note",
                      placeholder="e.g. Slower replies until January")  # fmt: skip
        hint("availability_note", "Say so here if you're busy for a while. Up to 200 characters.")
        field_error(errors, "availability_note", widget_key="availability_note")
        st.date_input("Until (optional)", value=None, key="availability_until", format=DATE_FORMAT,
                      help="On this date the note comes off by itself.")  # fmt: skip
        field_error(errors, "availability_until", widget_key="availability_until")
        st.form_submit_button("Save availability", on_click=_save_availability)


def _edit_section(listing: owner.OwnListing) -> None:
    st.subheader("Edit your profile", anchor=False)
    if not st.session_state.get("edit_prefilled"):
        prefill(PREFIX, listing.profile)
        st.session_state["edit_prefilled"] = True
    profile_errors = {k: v for k, v in errors.items() if k in PROFILE_ONLY}
    with st.form("edit", enter_to_submit=False):
        error_summary(profile_errors, LABELS, widget_keys=widget_keys(PREFIX), form="edit", token=token)
        profile_fields(PREFIX, profile_errors, availability=False)
        st.form_submit_button("Save profile", type="primary", on_click=_save_profile)


def _delete_section() -> None:
    st.subheader("Delete your listing for good", anchor=False)
    st.markdown(
        "This erases your profile and contact details and cannot be undone. We keep the record "
        "of your signature of the Code of Conduct (the name you typed, and when), as proof that "
        "you agreed to it. You can always sign up again later."
    )
    error_summary(errors, {"delete_confirmed": "The confirmation box"},
                  widget_keys={"delete_confirmed": "delete_confirmed"}, form="delete", token=token)  # fmt: skip
    st.checkbox("I understand: delete my listing and my profile details", key="delete_confirmed")
    field_error(errors, "delete_confirmed", widget_key="delete_confirmed")
    st.button("Delete my listing", on_click=_delete, icon=":material/delete_forever:")


def _entry_view() -> None:
    with st.form("open_listing"):
        error_summary(errors, {"code": "Your private code"}, widget_keys={"code": "manage_code_input"},
                      form="open", token=token)  # fmt: skip
        st.text_input("Your private code", type="password", key="manage_code_input")
        hint("manage_code_input", "The code shown when you signed up. It starts with wan-.")
        field_error(errors, "code", widget_key="manage_code_input")
        st.form_submit_button("Open my listing", type="primary", on_click=_open)
    st.header("Lost your code?", anchor=False)
    st.markdown("We can send a link to the email address of your listing: it opens your listing "
                "here, in the browser where you open it.")  # fmt: skip
    with st.form("manage_link"):
        error_summary(errors, {"email": "Email of your listing"}, widget_keys={"email": "link_email"},
                      form="link", token=token)  # fmt: skip
        st.text_input("Email of your listing", key="link_email", autocomplete="email")
        field_error(errors, "email", widget_key="link_email")
        st.form_submit_button("Email me a link", type="primary", on_click=_request_link)
    st.header("No longer have that mailbox?", anchor=False)
    st.markdown(
        "Send us a message and a moderator will take your listing off the page, as the Code of "
        "Conduct promises. Tell us the email or LinkedIn profile you signed up with. If you'd "
        "like to be listed again later, say so: we can erase the old listing so that you can "
        "sign up afresh."
    )
    with st.form("removal_request"):
        error_summary(errors, {"contact": "Email or LinkedIn profile", "message": "Message"},
                      widget_keys={"contact": "removal_contact", "message": "removal_message"},
                      form="removal", token=token)  # fmt: skip
        st.text_input("Email or LinkedIn profile of your listing", key="removal_contact")
        field_error(errors, "contact", widget_key="removal_contact")
        st.text_area("Message (optional)", key="removal_message")
        hint("removal_message", f"Up to {intake.MAX_REMOVAL_MESSAGE:,} characters.")
        field_error(errors, "message", widget_key="removal_message")
        st.form_submit_button("Please remove me", on_click=_request_removal)


st.title("Manage my listing", anchor=False)
outcome = st.session_state.pop(OUTCOME, None)  # shown once, by the rerun that follows the action
errors: dict[str, str] = outcome.errors if outcome else {}
token = outcome.token if outcome else None
if notice := st.session_state.pop(NOTICE, None):
    show(Outcome("done", notice), key="manage_notice_message")
show(outcome, key="manage_outcome_message")
from_link = cookie(OWNER_COOKIE)
if CREDENTIAL not in st.session_state and from_link.startswith(OWNER_SESSION_PREFIX) and not (
    st.session_state.get(CLOSED)
):
    st.session_state[CREDENTIAL] = from_link
if CREDENTIAL in st.session_state:
    _listing_view()
else:
    _entry_view()
