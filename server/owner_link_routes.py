"""Manage my listing from a mailed link: GET shows a button, POST uses the link (once) and leaves
an owner session in this browser (an HttpOnly cookie) that Manage my listing reads; closing it
ends the session and clears the cookie."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from models.base import utcnow
from models.db import DATABASE_FAULTS
from server import html_pages as html
from server import web_sessions as web
from server.listing_link_routes import UNAVAILABLE, token_of
from server.sign_in_routes import EXPIRED, with_csrf
from services.listings import links, manage_links
from services.listings.links import LinkRefused, LinkState
from ui.db import reading, settings, writing

log = logging.getLogger(__name__)
OWNER_COOKIE = "wan_owner"
TITLE = "Manage my listing"
MANAGE_PAGE = "/manage-my-listing"
STATE_TEXT = {
    LinkState.EXPIRED: "This link has expired (links work for one hour). Ask for a new one on "
    "Manage my listing.",
    LinkState.USED: "This link has already been used. Ask for a new one on Manage my listing.",
    LinkState.UNKNOWN: "This link isn't one of ours, or it was copied incompletely. Ask for a new "
    "one on Manage my listing.",
}


def _state_page(state: LinkState, status: int) -> Response:
    body = html.paragraph(STATE_TEXT[state]) + html.link("Manage my listing", MANAGE_PAGE)
    return HTMLResponse(html.page(TITLE, body), status_code=status)


async def link_page(request: Request) -> Response:
    token = token_of(request.query_params.get("token"))

    def look() -> LinkState:
        with reading() as session:
            link = links.look(session, token=token, purpose=links.Purpose.MANAGE, now=utcnow())
        return link.state if link else LinkState.UNKNOWN

    try:
        state = await run_in_threadpool(look)
    except DATABASE_FAULTS:
        return HTMLResponse(html.page(TITLE, html.paragraph(UNAVAILABLE)), status_code=503)
    if state is not LinkState.VALID:
        return _state_page(state, 200)  # the page exists; it explains the link
    csrf = web.csrf_token(request)
    body = (
        html.paragraph("Press the button to open Manage my listing for your listing in this "
                       "browser. It stays open here for two hours, or until you close it.")
        + html.form("/manage-link", csrf=csrf, fields=[], button="Open Manage my listing",
                    hidden={"token": token})
    )  # fmt: skip
    return with_csrf(HTMLResponse(html.page(TITLE, body)), csrf)


async def use_link(request: Request) -> Response:
    form = await request.form()
    token = token_of(form.get("token"))
    if not web.form_trusted(request, form):
        body = html.paragraph(EXPIRED) + html.link("Open the link again",
                                                   "/manage-link?" + urlencode({"token": token}))  # fmt: skip
        return HTMLResponse(html.page(TITLE, body), status_code=403)

    def use() -> str:
        with writing() as session:
            return manage_links.open_from_link(session, token=token, now=utcnow())

    try:
        owner_session = await run_in_threadpool(use)
    except LinkRefused as refused:
        return _state_page(refused.state, 409)
    except DATABASE_FAULTS as fault:
        log.warning("database unavailable while opening a manage link: %s", type(fault).__name__)
        return HTMLResponse(html.page(TITLE, html.paragraph(UNAVAILABLE)), status_code=503)
    response = RedirectResponse(MANAGE_PAGE, status_code=303)
    web.set_cookie(response, OWNER_COOKIE, owner_session, https=settings().https,
                   max_age=int(links.LIFETIME[links.Purpose.OWNER_SESSION].total_seconds()))  # fmt: skip
    return response


async def close(request: Request) -> Response:
    """End this browser's owner session (a GET: the worst a forged one does is close it)."""
    token = request.cookies.get(OWNER_COOKIE, "")

    def end() -> None:
        with writing() as session:
            manage_links.close_owner_session(session, token=token, now=utcnow())

    if token:
        try:
            await run_in_threadpool(end)
        except DATABASE_FAULTS as fault:  # the cookie goes anyway; the session ends by itself
            log.warning("database unavailable while closing an owner session: %s", type(fault).__name__)
    response = RedirectResponse(MANAGE_PAGE, status_code=303)
    web.clear_cookie(response, OWNER_COOKIE, https=settings().https)
    return response


ROUTES = [
    Route("/manage-link", link_page, methods=["GET"]),
    Route("/manage-link", use_link, methods=["POST"]),
    Route("/manage-link/close", close, methods=["GET"]),
]
