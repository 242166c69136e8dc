"""What the pages of mailed links share: reading a token, the page with one button (nothing
changes on GET: mail scanners and link previews open links), the page that says what is wrong
with a link, and the answers for a form from elsewhere or a database that isn't answering."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from models.base import utcnow
from server import html_pages as html
from server import web_sessions as web
from server.sign_in_routes import EXPIRED, with_csrf
from services.listings import links
from services.listings.links import LinkState
from ui.db import reading

T = TypeVar("T")
MAX_TOKEN = 200
UNAVAILABLE = "We couldn't do this just now: the database isn't answering. Please try again in a moment."
MANAGE_PAGE = "/manage-my-listing"


def token_of(value: object) -> str:
    """A link's token as sent (anything too long is no token of ours)."""
    text = value if isinstance(value, str) else ""
    return text.strip() if len(text) <= MAX_TOKEN else ""


def listings_changed() -> None:
    """A listing changed outside a page run: this process's cached directory answers go (as
    ui.actions.run does after a page's change; other processes' caches last their 60 s)."""
    st.cache_data.clear()


def page(title: str, body: str, *, status: int = 200) -> Response:
    return HTMLResponse(html.page(title, body), status_code=status)


def with_csrf_page(title: str, body: str, csrf: str) -> Response:
    return with_csrf(page(title, body), csrf)


def unavailable(title: str) -> Response:
    return page(title, html.paragraph(UNAVAILABLE), status=503)


def untrusted(title: str, path: str, token: str) -> Response:
    """A POST from another site, or after the form's token expired: nothing was done."""
    again = html.link("Open the link again", f"{path}?" + urlencode({"token": token}))
    return page(title, html.paragraph(EXPIRED) + again, status=403)


def button_page(request: Request, *, title: str, path: str, token: str, text: str, button: str,
                after: str = "") -> Response:  # fmt: skip
    """The link's page: what pressing the button does, and the button (a POST with the token)."""
    csrf = web.csrf_token(request)
    body = (html.paragraph(text)
            + html.form(path, csrf=csrf, fields=[], button=button, hidden={"token": token})
            + (html.paragraph(after) if after else ""))  # fmt: skip
    return with_csrf(page(title, body), csrf)


async def link_state(token: str, purpose: links.Purpose) -> LinkState:
    """What this token is for `purpose` now, read only (DATABASE_FAULTS when it can't be read)."""

    def look() -> LinkState:
        with reading() as session:
            link = links.look(session, token=token, purpose=purpose, now=utcnow())
        return link.state if link else LinkState.UNKNOWN

    return await run_in_threadpool(look)


async def in_thread(work: Callable[[], T]) -> T:
    return await run_in_threadpool(work)


def state_text(states: dict[LinkState, str], state: LinkState, title: str, *, status: int,
               then: str = html.link("Manage my listing", MANAGE_PAGE)) -> Response:  # fmt: skip
    """What is wrong with a link, and where to go from here."""
    return page(title, html.paragraph(states[state]) + then, status=status)
