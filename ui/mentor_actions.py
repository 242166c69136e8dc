"""Remove, Ban and Restore: one click each, then a confirmation that asks for the reason.

The pending action lives in session_state (not in a dialog), so the confirmation survives reruns
and is testable through AppTest.
"""

from __future__ import annotations

import streamlit as st

from models.base import utcnow
from models.vocabulary import ListingStatus
from services import moderation
from services.auth import ModeratorIdentity
from services.listings import InvalidSubmission, NotAllowedNow
from ui.db import writing

PENDING = "pending_mentor_action"
RESULT = "mentor_action_result"
ACTIONS = {
    "remove": (
        "Remove",
        moderation.remove_mentor,
        "Takes the listing off the directory now. Restore undoes it.",
    ),
    "ban": (
        "Ban",
        moderation.ban_mentor,
        "Takes the listing off the directory and stops this email and LinkedIn profile from signing up again. Restore undoes it.",
    ),
    "restore": (
        "Restore",
        moderation.restore_mentor,
        "Puts the listing back as it was before it was taken down, and lifts any ban.",
    ),
}


def _ask(action: str, mentor_id: int, report_id: int | None) -> None:
    st.session_state[PENDING] = {"action": action, "mentor_id": mentor_id, "report_id": report_id}
    st.session_state.pop(RESULT, None)


def _confirm(moderator: ModeratorIdentity) -> None:
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    label, action, _ = ACTIONS[pending["action"]]
    try:
        with writing() as session:
            action(session, mentor_id=pending["mentor_id"], report_id=pending["report_id"],
                   reason=st.session_state.get("mentor_action_reason") or "", moderator=moderator, now=utcnow())  # fmt: skip
    except InvalidSubmission as problem:
        st.session_state[RESULT] = ("error", problem.errors.get("reason", str(problem)))
        return
    except NotAllowedNow as problem:
        st.session_state[RESULT] = ("warning", str(problem))
    else:
        st.session_state[RESULT] = (
            "success",
            f"{label}: done. The directory shows it on its next load.",
        )
        st.cache_data.clear()
    st.session_state.pop(PENDING, None)
    st.session_state["mentor_action_reason"] = ""


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def mentor_actions(
    *, mentor_id: int, status: str, moderator: ModeratorIdentity, report_id: int | None = None
) -> None:
    """The buttons that fit the mentor's status, and the confirmation when one was clicked."""
    if result := st.session_state.pop(RESULT, None):
        kind, message = result
        getattr(st, kind)(message)
    pending = st.session_state.get(PENDING)
    if pending and pending["mentor_id"] == mentor_id:
        label, _, explanation = ACTIONS[pending["action"]]
        with st.container(border=True):
            st.markdown(f"**{label} this mentor?** {explanation}")
            st.text_area(
                "Reason (goes into the audit log)",
                key="mentor_action_reason",
                max_chars=moderation.MAX_REASON,
            )
            left, right = st.columns(2)
            left.button(
                f"Confirm: {label.lower()}",
                type="primary",
                on_click=_confirm,
                args=(moderator,),
                key="confirm_action",
            )
            right.button("Cancel", on_click=_cancel, key="cancel_action")
        return
    available = (
        ["restore"]
        if status in (ListingStatus.REMOVED.value, ListingStatus.BANNED.value)
        else ["remove", "ban"]
    )
    if status == ListingStatus.REMOVED.value:
        available.append("ban")
    if status == ListingStatus.DELETED.value:
        return
    columns = st.columns(len(available))
    for column, action in zip(columns, available, strict=True):
        column.button(ACTIONS[action][0], key=f"{action}_{mentor_id}", on_click=_ask, args=(action, mentor_id, report_id),
                      icon={"remove": ":material/person_remove:", "ban": ":material/block:", "restore": ":material/undo:"}[action])  # fmt: skip
