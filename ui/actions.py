"""The edge between a page and a use case: one transaction, the time supplied, the outcome shown.

`run` opens one write transaction, calls the use case with the current time, and turns what
comes back into an `Outcome`: done, refused (any services.core.refusals.Refusal, with its message and
its per-field errors) or unavailable (the database can't be reached now). A refused attempt
that carries an audit entry (a moderator who lost a race) is written to the audit log in a
transaction of its own, since the one that refused it was rolled back. Pages call `perform` from
a widget callback and `show` where the outcome belongs.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st

from models.base import utcnow
from models.db import DATABASE_FAULTS
from services.accounts.auth import ModeratorIdentity
from services.audit import audit_log
from services.core.refusals import Refusal
from ui import a11y
from ui.db import writing
from ui.gate import confirm_session
from ui.plain import md_escape

log = logging.getLogger(__name__)
UNAVAILABLE = (
    "We couldn't save this just now: the database isn't answering. Please try again in a "
    "moment. Everything you typed is still here."
)


@dataclass(frozen=True)
class Outcome:
    """What became of one use case: done, refused (with a message and per-field errors), or unavailable."""

    kind: Literal["done", "refused", "unavailable"]
    message: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    value: Any = None
    # Each outcome moves the keyboard focus once, to its message or its error summary.
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def ok(self) -> bool:
        return self.kind == "done"


def run(use_case: Callable[..., Any], /, *, done: str = "", **kwargs: Any) -> Outcome:
    """Run one use case in one transaction, with `now` supplied, and say how it went.

    A moderator's action first finds their session live, in the same transaction (the gate's
    check): a click that arrives after a timeout or a sign-out elsewhere changes nothing.
    """
    moderator = kwargs.get("moderator")
    try:
        with writing() as session:
            if isinstance(moderator, ModeratorIdentity):
                confirm_session(session, moderator)
            value = use_case(session, now=utcnow(), **kwargs)
    except Refusal as refusal:
        _record_attempt(refusal)
        return Outcome("refused", refusal.message, dict(refusal.errors))
    except DATABASE_FAULTS as fault:
        # The exception's text can carry the statement's values (emails, words typed): log its type.
        log.warning("database unavailable during %s: %s", use_case.__name__, type(fault).__name__)
        return Outcome("unavailable", UNAVAILABLE)
    st.cache_data.clear()
    return Outcome("done", done, value=value)


def perform(key: str, use_case: Callable[..., Any], /, *, done: str = "", **kwargs: Any) -> Outcome:
    """`run` from a widget callback, keeping the outcome under `key` for the rerun that follows."""
    outcome = run(use_case, done=done, **kwargs)
    st.session_state[key] = outcome
    return outcome


def outcome_of(key: str) -> Outcome | None:
    """The outcome kept under `key`, if any."""
    found = st.session_state.get(key)
    return found if isinstance(found, Outcome) else None


def show(outcome: Outcome | None, *, key: str, with_field_errors: bool = False) -> None:
    """The outcome's message, where it belongs, taking the keyboard focus once.

    Field errors are shown by their fields (and summed up by ui.forms.error_summary) instead.
    The message is shown literally: a name in it is never Markdown, an address never a link.
    """
    if outcome is None or not outcome.message:
        return
    if outcome.errors and not with_field_errors:
        return
    text = md_escape(outcome.message)
    with st.container(key=key):
        if outcome.kind == "done":
            st.success(text, icon=":material/check_circle:")
        elif outcome.kind == "unavailable":
            st.error(text, icon=":material/cloud_off:")
        else:
            st.warning(text, icon=":material/warning:")
    a11y.focus(key, token=outcome.token)


def _record_attempt(refusal: Refusal) -> None:
    if not refusal.attempt:
        return
    try:
        with writing() as session:
            audit_log.record_attempt(session, attempt=refusal.attempt, now=utcnow())
    except DATABASE_FAULTS:
        log.warning("could not audit a refused attempt: the database is unavailable")
