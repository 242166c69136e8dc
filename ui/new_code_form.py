"""Manage my listing's "A new version of the Code": what changed since the version the mentor last
signed (lines added and removed, shown as plain text), the new Code in full, and the same box and
typed name as at sign-up (services/evidence/code_resigning.py). A paused listing sees what changed
here and signs it by resuming."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from services.core.vocabulary import ListingStatus
from services.evidence import code_resigning
from services.evidence.code_resigning import ToSign
from services.listings.code_of_conduct import CodeOfConduct
from services.listings.signing import SignatureInput
from ui.actions import Outcome
from ui.client import ip_address, user_agent
from ui.code import code_of_conduct
from ui.db import read_or, reading
from ui.forms import error_summary, field_error, hint

AGREED, TYPED, SEEN = "newcode_agreed", "newcode_typed_name", "newcode_last_seen"
SIGNED = "Thank you: you have signed the new Code of Conduct. Your listing stays in the directory."


def new_code_section(mentor_id: int, *, status: ListingStatus, code: CodeOfConduct,
                     act: Callable[..., Outcome], errors: dict[str, str], token: str | None) -> None:  # fmt: skip
    """The section, when the Code changed since this listed or paused mentor last signed it."""
    if status not in (ListingStatus.LISTED, ListingStatus.PAUSED):
        return
    listed = status is ListingStatus.LISTED
    # With the database out of reach, the section stays as last seen: nothing typed is lost.
    found = read_or(st.session_state.get(SEEN), _read, mentor_id, code)
    if found is None:
        return
    st.subheader("Our Code of Conduct has changed", anchor=False)
    by = f" by {day(found.sign_by)}" if found.sign_by and listed else ""
    st.markdown(f"Please read the new version and sign it again{by}, the same way as when you "
                "signed up." if listed else "Resuming your listing signs the new version.")  # fmt: skip
    _changes(found)
    with st.expander("The new Code of Conduct in full", expanded=not found.changes):
        code_of_conduct(code)
    if not listed:
        return
    with st.form("new_code", enter_to_submit=False):
        error_summary(errors, {"agreed": "The agreement box", "typed_name": code.signature_label},
                      widget_keys={"agreed": AGREED, "typed_name": TYPED}, form="new_code",
                      token=token)  # fmt: skip
        st.checkbox(code.agreement_label, key=AGREED)
        field_error(errors, "agreed", widget_key=AGREED)
        st.text_input(code.signature_label, key=TYPED)
        hint(TYPED, "Your full name as in your profile.")
        field_error(errors, "typed_name", widget_key=TYPED)
        st.form_submit_button("Sign the new Code", type="primary", on_click=_sign, args=(act, code))


def day(moment: datetime) -> str:
    """e.g. "5 January 2027" (in UTC: the day the mail named)."""
    return f"{moment.day} {moment:%B %Y}"


def _changes(found: ToSign) -> None:
    if found.last_signed_at is None:
        return
    if not found.changes:
        st.markdown("Only the layout changed: the words are the same.")
        return
    st.markdown(f"What changed since the version you signed on {day(found.last_signed_at)}:")
    added = [c.line for c in found.changes if c.kind == "added"]
    removed = [c.line for c in found.changes if c.kind == "removed"]
    if added:
        st.caption("New or reworded lines")
        st.text("\n".join(f"+ {line}" for line in added))  # the Code's words, shown as written
    if removed:
        st.caption("Lines taken out or replaced")
        st.text("\n".join(f"- {line}" for line in removed))


def _read(mentor_id: int, code: CodeOfConduct) -> ToSign | None:
    with reading() as session:
        found = code_resigning.to_sign(session, mentor_id=mentor_id, code=code)
    st.session_state[SEEN] = found
    return found


def _sign(act: Callable[..., Outcome], code: CodeOfConduct) -> None:
    signature = SignatureInput(agreed=bool(st.session_state.get(AGREED)),
                               typed_name=st.session_state.get(TYPED) or "",
                               user_agent=user_agent(), ip_address=ip_address())  # fmt: skip
    if act(code_resigning.sign_new_version, SIGNED, signature=signature, code=code).ok:
        st.session_state.pop(SEEN, None)
