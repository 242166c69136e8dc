"""The owner's mailed links: manage a listing without the private code (the link, used once,
leaves an owner session in this browser: an HttpOnly cookie that Manage my listing reads;
closing it ends the session), and confirm a new email address before it takes effect."""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from models.base import utcnow
from models.db import DATABASE_FAULTS
from server import html_pages as html
from server import link_forms as forms
from server import web_sessions as web
from server.sign_in_routes import with_csrf
from services.core.refusals import NotAllowedNow
from services.core.vocabulary import ListingStatus
from services.listings import address_change, freshness, links, manage_links
from services.listings.links import LinkRefused, LinkState
from ui.db import settings, writing

log = logging.getLogger(__name__)
OWNER_COOKIE = "wan_owner"
TITLE = "Manage my listing"
STATE_TEXT = {
    LinkState.EXPIRED: "This link has expired (links work for one hour). Ask for a new one on "
    "Manage my listing.",
    LinkState.USED: "This link has already been used. Ask for a new one on Manage my listing.",
    LinkState.UNKNOWN: "This link isn't one of ours, or it was copied incompletely. Ask for a new "
    "one on Manage my listing.",
}
ADDRESS_TITLE = "Confirm your new address"
ADDRESS_STATE_TEXT = {
    LinkState.EXPIRED: "This link has expired (links work for 72 hours). Your listing keeps its "
    "old address; change it again on Manage my listing to get a new link.",
    LinkState.USED: "This link has already been used.",
    LinkState.UNKNOWN: "This link isn't one of ours, or it was copied incompletely.",
}


async def link_page(request: Request) -> Response:
    token = forms.token_of(request.query_params.get("token"))
    try:
        state = await forms.link_state(token, links.Purpose.MANAGE)
    except DATABASE_FAULTS:
        return forms.unavailable(TITLE)
    if state is not LinkState.VALID:
        return forms.state_text(STATE_TEXT, state, TITLE, status=200)  # it explains the link
    return forms.button_page(
        request, title=TITLE, path="/manage-link", token=token, button="Open Manage my listing",
        text="Press the button to open Manage my listing for your listing in this browser. It "
        "stays open here for two hours, or until you close it.",
    )  # fmt: skip


async def use_link(request: Request) -> Response:
    return await open_owner_session(request, path="/manage-link", title=TITLE,
                                    state_text=STATE_TEXT, open_link=manage_links.open_from_link)  # fmt: skip


async def open_owner_session(
    request: Request, *, path: str, title: str, state_text: dict[LinkState, str],
    open_link: Callable[..., str],
) -> Response:  # fmt: skip
    """A mailed link's button: `open_link` uses the token and gives an owner session, left in
    this browser's cookie; then on to Manage my listing."""
    form = await request.form()
    token = forms.token_of(form.get("token"))
    if not web.form_trusted(request, form):
        return forms.untrusted(title, path, token)

    def use() -> str:
        with writing() as session:
            return open_link(session, token=token, now=utcnow())

    try:
        owner_session = await forms.in_thread(use)
    except LinkRefused as refused:
        return forms.state_text(state_text, refused.state, title, status=409)
    except DATABASE_FAULTS as fault:
        log.warning("database unavailable while opening %s: %s", path, type(fault).__name__)
        return forms.unavailable(title)
    response = RedirectResponse(forms.MANAGE_PAGE, status_code=303)
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
            await forms.in_thread(end)
        except DATABASE_FAULTS as fault:  # the cookie goes anyway; the session ends by itself
            log.warning("database unavailable while closing an owner session: %s", type(fault).__name__)
    response = RedirectResponse(forms.MANAGE_PAGE, status_code=303)
    web.clear_cookie(response, OWNER_COOKIE, https=settings().https)
    return response


async def address_page(request: Request) -> Response:
    token = forms.token_of(request.query_params.get("token"))
    try:
        state = await forms.link_state(token, links.Purpose.NEW_ADDRESS)
    except DATABASE_FAULTS:
        return forms.unavailable(ADDRESS_TITLE)
    if state is not LinkState.VALID:
        return forms.state_text(ADDRESS_STATE_TEXT, state, ADDRESS_TITLE, status=200)
    return forms.button_page(
        request, title=ADDRESS_TITLE, path="/confirm-address", token=token,
        button="Confirm my new address",
        text="Press the button to use this address for your listing from now on.",
    )  # fmt: skip


async def confirm_address(request: Request) -> Response:
    form = await request.form()
    token = forms.token_of(form.get("token"))
    if not web.form_trusted(request, form):
        return forms.untrusted(ADDRESS_TITLE, "/confirm-address", token)

    def use() -> str:
        with writing() as session:
            return address_change.confirm_new_address(session, token=token, now=utcnow())

    try:
        address = await forms.in_thread(use)
    except LinkRefused as refused:
        return forms.state_text(ADDRESS_STATE_TEXT, refused.state, ADDRESS_TITLE, status=409)
    except NotAllowedNow as refused:
        then = html.link("Manage my listing", forms.MANAGE_PAGE)
        return forms.page(ADDRESS_TITLE, html.paragraph(refused.message) + then, status=409)
    except DATABASE_FAULTS:
        return forms.unavailable(ADDRESS_TITLE)
    forms.listings_changed()
    body = html.notice(f"Done: your listing's address is now {address}.") + html.link(
        "Manage my listing", forms.MANAGE_PAGE)  # fmt: skip
    return forms.page(ADDRESS_TITLE, body)


AVAILABLE_TITLE = "Are you still available?"
AVAILABLE_STATE_TEXT = {
    LinkState.EXPIRED: "This link has expired. To come back, or to say you're still available, "
    "open Manage my listing.",
    LinkState.USED: "Thank you: we already have your answer. To change it, open Manage my listing.",
    LinkState.UNKNOWN: "This link isn't one of ours, or it was copied incompletely.",
}
ANSWERED = {
    ListingStatus.LISTED: "Thank you! Your listing stays in the directory. We'll ask again in a few "
    "months.",
    ListingStatus.PAUSED: "Your listing is paused. Come back whenever you like from Manage my "
    "listing.",
}


async def still_available_page(request: Request) -> Response:
    token = forms.token_of(request.query_params.get("token"))
    try:
        state = await forms.link_state(token, links.Purpose.STILL_AVAILABLE)
    except DATABASE_FAULTS:
        return forms.unavailable(AVAILABLE_TITLE)
    if state is not LinkState.VALID:
        return forms.state_text(AVAILABLE_STATE_TEXT, state, AVAILABLE_TITLE, status=200)
    csrf = web.csrf_token(request)
    body = (
        html.paragraph("Are you still available to mentees? Either answer is fine: a pause is not "
                       "a penalty, and you come back whenever you like.")
        + html.form("/still-available", csrf=csrf, fields=[], button="Yes, keep me listed",
                    hidden={"token": token, "answer": "keep"}, css_class="inline")
        + html.form("/still-available", csrf=csrf, fields=[], button="Pause my listing",
                    hidden={"token": token, "answer": "pause"}, css_class="inline",
                    button_class="secondary")
    )  # fmt: skip
    return with_csrf(forms.page(AVAILABLE_TITLE, body), csrf)


async def still_available(request: Request) -> Response:
    form = await request.form()
    token = forms.token_of(form.get("token"))
    if not web.form_trusted(request, form) or form.get("answer") not in ("keep", "pause"):
        return forms.untrusted(AVAILABLE_TITLE, "/still-available", token)

    def use() -> ListingStatus:
        with writing() as session:
            return freshness.answer(session, token=token, keep=form.get("answer") == "keep",
                                    now=utcnow())  # fmt: skip

    try:
        now_in = await forms.in_thread(use)
    except LinkRefused as refused:
        return forms.state_text(AVAILABLE_STATE_TEXT, refused.state, AVAILABLE_TITLE, status=409)
    except DATABASE_FAULTS:
        return forms.unavailable(AVAILABLE_TITLE)
    forms.listings_changed()
    said = ANSWERED.get(now_in, "Thank you. This listing isn't in the directory now.")
    return forms.page(AVAILABLE_TITLE, html.notice(said)
                      + html.link("Manage my listing", forms.MANAGE_PAGE))  # fmt: skip


ROUTES = [
    Route("/still-available", still_available_page, methods=["GET"]),
    Route("/still-available", still_available, methods=["POST"]),
    Route("/manage-link", link_page, methods=["GET"]),
    Route("/manage-link", use_link, methods=["POST"]),
    Route("/manage-link/close", close, methods=["GET"]),
    Route("/confirm-address", address_page, methods=["GET"]),
    Route("/confirm-address", confirm_address, methods=["POST"]),
]
