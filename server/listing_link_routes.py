"""The links mailed about a listing: confirm a sign-up (GET shows a button, POST confirms).

Nothing changes on GET: mail scanners and link previews open links. A link that has expired says
so and offers a new one; one already used says so and points to Manage my listing.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from models.base import utcnow
from models.db import DATABASE_FAULTS
from server import html_pages as html
from server import web_sessions as web
from server.sign_in_routes import EXPIRED, with_csrf
from services.core.refusals import NotAllowedNow
from services.listings import address_change, confirmation, links
from services.listings.links import LinkRefused, LinkState
from ui.db import reading, writing

log = logging.getLogger(__name__)
TITLE = "Confirm your listing"
MAX_TOKEN = 200
UNAVAILABLE = "We couldn't do this just now: the database isn't answering. Please try again in a moment."
STATE_TEXT = {
    LinkState.EXPIRED: "This link has expired (links work for 72 hours). If your sign-up is still "
    "waiting, we can send a new link to the same address.",
    LinkState.USED: "This link has already been used: your listing is confirmed. To pause, edit "
    "or re-submit it, go to Manage my listing.",
    LinkState.UNKNOWN: "This link isn't one of ours, or it was copied incompletely. Try opening it "
    "again from the mail, or sign up again to get a new one.",
}


def listings_changed() -> None:
    """A listing changed outside a page run: this process's cached directory answers go (as
    ui.actions.run does after a page's change; other processes' caches last their 60 s)."""
    st.cache_data.clear()


def token_of(value: object) -> str:
    """A link's token as sent (anything too long is no token of ours)."""
    text = value if isinstance(value, str) else ""
    return text.strip() if len(text) <= MAX_TOKEN else ""


def _state_page(request: Request, state: LinkState, token: str, *, status: int = 200) -> Response:
    csrf = web.csrf_token(request)
    body = html.paragraph(STATE_TEXT[state])
    if state is LinkState.EXPIRED:
        body += html.form("/confirm/new-link", csrf=csrf, fields=[], button="Send me a new link",
                          hidden={"token": token})  # fmt: skip
    elif state is LinkState.USED:
        body += html.link("Manage my listing", "/manage-my-listing")
    else:
        body += html.link("Become a mentor", "/become-a-mentor")
    return with_csrf(HTMLResponse(html.page(TITLE, body), status_code=status), csrf)


def _unavailable(status: int = 503) -> Response:
    return HTMLResponse(html.page(TITLE, html.paragraph(UNAVAILABLE)), status_code=status)


async def confirm_page(request: Request) -> Response:
    token = token_of(request.query_params.get("token"))

    def look() -> tuple[LinkState, str | None]:
        with reading() as session:
            return confirmation.confirmation_page(session, token=token, now=utcnow())

    try:
        state, name = await run_in_threadpool(look)
    except DATABASE_FAULTS:
        return _unavailable()
    if state is not LinkState.VALID or name is None:
        return _state_page(request, state, token)  # the page exists; it explains the link
    csrf = web.csrf_token(request)
    body = (
        html.paragraph(f"You signed the Code of Conduct as {name}. Press the button to confirm "
                       "that this address is yours; your listing then goes into the directory.")
        + html.form("/confirm", csrf=csrf, fields=[], button="Confirm and list me",
                    hidden={"token": token})
        + html.paragraph("Not you? Close this page: nothing is listed without the confirmation, "
                         "and the sign-up is deleted after a week.")
    )  # fmt: skip
    return with_csrf(HTMLResponse(html.page(TITLE, body)), csrf)


async def confirm(request: Request) -> Response:
    form = await request.form()
    token = token_of(form.get("token"))
    if not web.form_trusted(request, form):
        body = html.paragraph(EXPIRED) + html.link("Open the link again", "/confirm?" + urlencode({"token": token}))
        return HTMLResponse(html.page(TITLE, body), status_code=403)

    def use() -> confirmation.Confirmed:
        with writing() as session:
            return confirmation.confirm_sign_up(session, token=token, now=utcnow())

    try:
        done = await run_in_threadpool(use)
    except LinkRefused as refused:
        return _state_page(request, refused.state, token, status=409)
    except confirmation.AlreadyConfirmed:
        return _state_page(request, LinkState.USED, token, status=409)
    except DATABASE_FAULTS as fault:
        log.warning("database unavailable during a confirmation: %s", type(fault).__name__)
        return _unavailable()
    listings_changed()
    body = (
        html.notice("You're listed. Thank you for mentoring!")
        + html.heading("Your private code to manage your listing")
        + html.paragraph("Keep this code somewhere safe, such as a password manager. With it you "
                         "can pause, edit, re-submit or delete your listing on Manage my listing. "
                         "We only store a scrambled form of it, so we can't show it to you again.")
        + html.code_text(done.credential)
        + html.link("See yourself in the directory", "/")
        + html.link("Manage my listing", "/manage-my-listing")
    )  # fmt: skip
    response = HTMLResponse(html.page("You're listed", body))
    response.headers["Cache-Control"] = "no-store"
    return response


async def new_link(request: Request) -> Response:
    form = await request.form()
    token = token_of(form.get("token"))
    if not web.form_trusted(request, form):
        body = html.paragraph(EXPIRED) + html.link("Open the link again", "/confirm?" + urlencode({"token": token}))
        return HTMLResponse(html.page(TITLE, body), status_code=403)

    def send() -> None:
        with writing() as session:
            confirmation.send_new_link(session, token=token, now=utcnow())

    try:
        await run_in_threadpool(send)
    except DATABASE_FAULTS:
        return _unavailable()
    body = html.notice("If your sign-up is still waiting, a new link is on its way to the same "
                       "address. It works for 72 hours.")  # fmt: skip
    return HTMLResponse(html.page(TITLE, body))


ADDRESS_TITLE = "Confirm your new address"
ADDRESS_STATE_TEXT = {
    LinkState.EXPIRED: "This link has expired (links work for 72 hours). Your listing keeps its "
    "old address; change it again on Manage my listing to get a new link.",
    LinkState.USED: "This link has already been used.",
    LinkState.UNKNOWN: "This link isn't one of ours, or it was copied incompletely.",
}


def _address_state(state: LinkState, status: int) -> Response:
    body = html.paragraph(ADDRESS_STATE_TEXT[state]) + html.link("Manage my listing", "/manage-my-listing")
    return HTMLResponse(html.page(ADDRESS_TITLE, body), status_code=status)


async def address_page(request: Request) -> Response:
    token = token_of(request.query_params.get("token"))

    def look() -> LinkState:
        with reading() as session:
            link = links.look(session, token=token, purpose=links.Purpose.NEW_ADDRESS, now=utcnow())
        return link.state if link else LinkState.UNKNOWN

    try:
        state = await run_in_threadpool(look)
    except DATABASE_FAULTS:
        return _unavailable()
    if state is not LinkState.VALID:
        return _address_state(state, 200)
    csrf = web.csrf_token(request)
    body = (html.paragraph("Press the button to use this address for your listing from now on.")
            + html.form("/confirm-address", csrf=csrf, fields=[], button="Confirm my new address",
                        hidden={"token": token}))  # fmt: skip
    return with_csrf(HTMLResponse(html.page(ADDRESS_TITLE, body)), csrf)


async def confirm_address(request: Request) -> Response:
    form = await request.form()
    token = token_of(form.get("token"))
    if not web.form_trusted(request, form):
        body = html.paragraph(EXPIRED) + html.link(
            "Open the link again", "/confirm-address?" + urlencode({"token": token}))  # fmt: skip
        return HTMLResponse(html.page(ADDRESS_TITLE, body), status_code=403)

    def use() -> str:
        with writing() as session:
            return address_change.confirm_new_address(session, token=token, now=utcnow())

    try:
        address = await run_in_threadpool(use)
    except LinkRefused as refused:
        return _address_state(refused.state, 409)
    except NotAllowedNow as refused:
        body = html.paragraph(refused.message) + html.link("Manage my listing", "/manage-my-listing")
        return HTMLResponse(html.page(ADDRESS_TITLE, body), status_code=409)
    except DATABASE_FAULTS:
        return _unavailable()
    listings_changed()
    body = html.notice(f"Done: your listing's address is now {address}.") + html.link(
        "Manage my listing", "/manage-my-listing")  # fmt: skip
    return HTMLResponse(html.page(ADDRESS_TITLE, body))


ROUTES = [
    Route("/confirm-address", address_page, methods=["GET"]),
    Route("/confirm-address", confirm_address, methods=["POST"]),
    Route("/confirm", confirm_page, methods=["GET"]),
    Route("/confirm", confirm, methods=["POST"]),
    Route("/confirm/new-link", new_link, methods=["POST"]),
]
