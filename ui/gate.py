"""The moderators' gate. Every moderation page calls require_moderator() first thing.

The session lives in an HttpOnly cookie set by the server's sign-in form (server/sign_in_routes.py):
Streamlit hands its value to every rerun (`st.context.cookies`, as of the page load). On a
freshly started server a page file can run without dashboard.py around it (the `pages/` trap in
docs/ARCHITECTURE.md), so being left out of the navigation is not enough: the page itself
refuses to show anything until a live, unexpired session is found in the database, on every
rerun, so a sign-out in another tab, an idle timeout or a disabled account holds at once.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st
from sqlalchemy.orm import Session

from models.base import utcnow
from services.accounts import moderator_sessions
from services.accounts.auth import ModeratorIdentity
from ui import a11y
from ui.db import reading, settings, writing
from ui.go_to import go_button, sign_in_url
from ui.navigation import MODERATION_PAGES
from ui.session_timer import JUST_ACTIVE, timeout_warning

SESSION_COOKIE = "wan_session"  # server/web_sessions.py sets it
# AppTest can't send cookies: page tests put a session token (made by the services) here. A
# browser can't write session_state, so this opens nothing a cookie wouldn't.
SESSION_KEY = "moderator_session"
SEEN = "moderator_seen"  # this browser session has had a live session: an end is news


def session_token() -> str | None:
    """The session cookie's token (under AppTest, whose cookies are mocks: the session key's)."""
    for token in (st.context.cookies.get(SESSION_COOKIE), st.session_state.get(SESSION_KEY)):
        if isinstance(token, str) and token:
            return token
    return None


def signed_in() -> ModeratorIdentity | None:
    """The moderator of this browser session, if their session is still valid."""
    token = session_token()
    if not token:
        return None
    idle_timeout = settings().moderator_idle_timeout
    with reading() as session:  # most reruns only read; a write every 30 s notes activity
        check = moderator_sessions.peek_session(
            session, token=token, idle_timeout=idle_timeout, now=utcnow()
        )
    moderator = check.moderator
    if check.needs_write:
        with writing() as session:
            moderator = moderator_sessions.signed_in_moderator(
                session, token=token, idle_timeout=idle_timeout, now=utcnow()
            )
    if moderator is not None:
        st.session_state[SEEN] = True
    return moderator


def confirm_session(session: Session, moderator: ModeratorIdentity) -> None:
    """Inside an action's transaction: the moderator still holds a live session, or SessionEnded."""
    moderator_sessions.acting_moderator(
        session, token=session_token(), moderator_id=moderator.id,
        idle_timeout=settings().moderator_idle_timeout, now=utcnow(),
    )  # fmt: skip


def current_path() -> str:
    """This console page's path, to come back to after signing in (no query: that may hold what
    a person typed); the report queue from anywhere else."""
    path = urlsplit(str(st.context.url or "")).path or "/"
    console = {f"/{spec.url_path}" for spec in MODERATION_PAGES}
    return path if path in console else f"/{MODERATION_PAGES[0].url_path}"


def login_form() -> None:
    """What anyone without a live session sees on a console page: the way to the sign-in form."""
    st.title("Moderator sign-in", anchor=False)
    st.markdown("This area is for We Are Next moderators only.")
    ended = bool(st.session_state.get(SEEN))
    target = sign_in_url(current_path(), ended=ended)
    if ended:
        with st.container(key="session_ended"):
            st.info("Your session has ended (signed out, or idle for too long). Sign in again: "
                    "you'll come back to this page.", icon=":material/schedule:")  # fmt: skip
        a11y.focus("session_ended", token=f"ended:{target}")
    # Straight on to the form, in this tab, unless a session just ended here (then on a click).
    go_button("Sign in", target, key="go_sign_in", at_once=not ended, type="primary")


def sign_out_button() -> None:
    """In the sidebar: to the sign-out page (sign out here, or everywhere)."""
    go_button("Sign out", "/sign-out", key="go_sign_out", icon=":material/logout:")


def second_factor_needed() -> None:
    """A moderator without a second factor where one is required: how to set it up, nothing more."""
    st.title("Set up your second factor", anchor=False)
    st.markdown(
        "Moderators can remove and ban mentors, so the console asks for a second factor: a code "
        "from an authenticator app on your phone. Setting it up takes a minute. (An administrator "
        "can also set it up for you with `python -m commands.moderators totp YOUR-NAME`.)"
    )
    go_button("Set up my second factor", "/account/second-factor", key="go_enrol", type="primary")


def require_moderator() -> ModeratorIdentity:
    """The signed-in moderator; anyone else sees the way to the sign-in form and nothing more."""
    moderator = signed_in()
    if moderator is None:
        login_form()
        a11y.stop()
    if settings().require_second_factor and not moderator.has_second_factor:
        second_factor_needed()
        a11y.stop()
    if token := session_token():
        st.session_state[JUST_ACTIVE] = True
        timeout_warning(token)
    return moderator
