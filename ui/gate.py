"""The moderators' gate. Every moderation page calls require_moderator() first thing.

On a freshly started server a page file can run without dashboard.py around it (the `pages/`
trap in docs/ARCHITECTURE.md), so being left out of the navigation is not enough: the page itself
refuses to show anything until a valid, unexpired moderator session is found in the database.
"""

from __future__ import annotations

import contextlib
import uuid

import streamlit as st

from models.base import utcnow
from services.accounts import auth, moderator_sessions
from services.accounts.auth import ModeratorIdentity
from services.accounts.throttle import Throttled
from ui import a11y
from ui.client import client_key
from ui.db import DATABASE_FAULTS, reading, settings, writing
from ui.forms import error_summary

SESSION_KEY = "moderator_session"
LOGIN_ERROR = "moderator_login_error"
SESSION_ENDED = "moderator_session_ended"
ATTEMPTS = "moderator_login_attempts"
JUST_SIGNED_IN = "moderator_just_signed_in"  # the page shown next takes the focus at its title


def signed_in() -> ModeratorIdentity | None:
    """The moderator of this browser session, if their session is still valid."""
    token = st.session_state.get(SESSION_KEY)
    if not token:
        return None
    idle_timeout = settings().moderator_idle_timeout
    with reading() as session:  # most reruns only read; a write every 30 s notes activity
        check = moderator_sessions.peek_session(session, token=token, idle_timeout=idle_timeout, now=utcnow())
    moderator = check.moderator
    if check.needs_write:
        with writing() as session:
            moderator = moderator_sessions.signed_in_moderator(
                session, token=token, idle_timeout=idle_timeout, now=utcnow()
            )
    if moderator is None:
        st.session_state.pop(SESSION_KEY, None)
        st.session_state[SESSION_ENDED] = uuid.uuid4().hex  # said once, on the sign-in form
    return moderator


def _sign_in() -> None:
    st.session_state.pop(LOGIN_ERROR, None)
    st.session_state[ATTEMPTS] = st.session_state.get(ATTEMPTS, 0) + 1
    try:
        granted = auth.sign_in(
            writing,
            username=st.session_state.get("login_username") or "",
            password=st.session_state.get("login_password") or "",
            client_key=client_key(),
            secret_hashes=settings().moderator_hashes,
            now=utcnow(),
        )
    except Throttled as wait:
        st.session_state[LOGIN_ERROR] = (
            f"Too many failed attempts. Please wait {wait.wait_text} and try again."
        )
        return
    except DATABASE_FAULTS:
        st.session_state[LOGIN_ERROR] = (
            "We couldn't sign you in just now: the database isn't answering. Please try again "
            "in a moment."
        )
        return
    finally:
        st.session_state["login_password"] = ""
    if granted is None:
        st.session_state[LOGIN_ERROR] = "That username and password don't match."
        return
    st.session_state[SESSION_KEY] = granted.token
    st.session_state[JUST_SIGNED_IN] = uuid.uuid4().hex


def sign_out() -> None:
    token = st.session_state.pop(SESSION_KEY, None)
    if token:
        with contextlib.suppress(*DATABASE_FAULTS), writing() as session:
            moderator_sessions.sign_out(session, token=token, now=utcnow())  # else it ends when idle


def login_form() -> None:
    """The sign-in form for moderators."""
    st.title("Moderator sign-in", anchor=False)
    st.markdown("This area is for We Are Next moderators only.")
    if ended := st.session_state.pop(SESSION_ENDED, None):
        with st.container(key="session_ended"):
            st.info("Your session has ended (signed out, or idle for too long). Please sign in "
                    "again: you'll go on to the page you asked for.", icon=":material/schedule:")  # fmt: skip
        a11y.focus("session_ended", token=ended)
    with st.form("moderator_login"):
        if error := st.session_state.get(LOGIN_ERROR):
            # A new token per attempt: the summary takes the focus after each failed sign-in.
            token = f"{st.session_state.get(ATTEMPTS, 0)}:{error}"
            error_summary({"password": error}, {"password": "Password"}, form="login",
                          widget_keys={"password": "login_password"}, token=token)  # fmt: skip
        st.text_input("Username", key="login_username", autocomplete="username")
        st.text_input("Password", key="login_password", type="password",
                      autocomplete="current-password")  # fmt: skip
        if error:
            a11y.describe("login_username", error_key="wan_summary_login")
            a11y.describe("login_password", error_key="wan_summary_login")
        st.form_submit_button("Sign in", type="primary", on_click=_sign_in)


def require_moderator() -> ModeratorIdentity:
    """The signed-in moderator; anyone else sees the sign-in form and nothing more."""
    moderator = signed_in()
    if moderator is None:
        login_form()
        a11y.stop()
    if token := st.session_state.pop(JUST_SIGNED_IN, None):
        a11y.focus_heading(token=token)  # the sign-in form that had the focus is gone
    return moderator
