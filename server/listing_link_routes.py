"""Confirming a sign-up from its mailed link: GET shows the button, POST confirms (once, within
72 hours) and shows the private code; an expired link offers a new one, a used one says so."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models.base import utcnow
from models.db import DATABASE_FAULTS
from server import html_pages as html
from server import link_forms as forms
from server import web_sessions as web
from server.sign_in_routes import with_csrf
from services.listings import confirmation
from services.listings.links import LinkRefused, LinkState
from ui.db import reading, writing

log = logging.getLogger(__name__)
TITLE = "Confirm your listing"
STATE_TEXT = {
    LinkState.EXPIRED: "This link has expired (links work for 72 hours). If your sign-up is still "
    "waiting, we can send a new link to the same address.",
    LinkState.USED: "This link has already been used: your listing is confirmed. To pause, edit "
    "or re-submit it, go to Manage my listing.",
    LinkState.UNKNOWN: "This link isn't one of ours, or it was copied incompletely. Try opening it "
    "again from the mail, or sign up again to get a new one.",
}


def _state_page(request: Request, state: LinkState, token: str, *, status: int = 200) -> Response:
    csrf = web.csrf_token(request)
    then = {
        LinkState.EXPIRED: html.form("/confirm/new-link", csrf=csrf, fields=[],
                                     button="Send me a new link", hidden={"token": token}),
        LinkState.USED: html.link("Manage my listing", forms.MANAGE_PAGE),
        LinkState.UNKNOWN: html.link("Become a mentor", "/become-a-mentor"),
    }[state]  # fmt: skip
    return with_csrf(forms.state_text(STATE_TEXT, state, TITLE, status=status, then=then), csrf)


async def confirm_page(request: Request) -> Response:
    token = forms.token_of(request.query_params.get("token"))

    def look() -> tuple[LinkState, str | None]:
        with reading() as session:
            return confirmation.confirmation_page(session, token=token, now=utcnow())

    try:
        state, name = await forms.in_thread(look)
    except DATABASE_FAULTS:
        return forms.unavailable(TITLE)
    if state is not LinkState.VALID or name is None:
        return _state_page(request, state, token)  # the page exists; it explains the link
    return forms.button_page(
        request, title=TITLE, path="/confirm", token=token, button="Confirm and list me",
        text=f"You signed the Code of Conduct as {name}. Press the button to confirm that this "
        "address is yours; your listing then goes into the directory.",
        after="Not you? Close this page: nothing is listed without the confirmation, and the "
        "sign-up is deleted after a week.",
    )  # fmt: skip


async def confirm(request: Request) -> Response:
    form = await request.form()
    token = forms.token_of(form.get("token"))
    if not web.form_trusted(request, form):
        return forms.untrusted(TITLE, "/confirm", token)

    def use() -> confirmation.Confirmed:
        with writing() as session:
            return confirmation.confirm_sign_up(session, token=token, now=utcnow())

    try:
        done = await forms.in_thread(use)
    except LinkRefused as refused:
        return _state_page(request, refused.state, token, status=409)
    except confirmation.AlreadyConfirmed:
        return _state_page(request, LinkState.USED, token, status=409)
    except DATABASE_FAULTS as fault:
        log.warning("database unavailable during a confirmation: %s", type(fault).__name__)
        return forms.unavailable(TITLE)
    forms.listings_changed()
    body = (
        html.notice("You're listed. Thank you for mentoring!")
        + html.heading("Your private code to manage your listing")
        + html.paragraph("Keep this code somewhere safe, such as a password manager. With it you "
                         "can pause, edit, re-submit or delete your listing on Manage my listing. "
                         "We only store a scrambled form of it, so we can't show it to you again.")
        + html.code_text(done.credential)
        + html.paragraph("The mail with your link also carried a receipt for your signature. "
                         "Manage my listing has it as a PDF, under Your signatures.")
        + html.link("See yourself in the directory", "/")
        + html.link("Manage my listing", forms.MANAGE_PAGE)
    )  # fmt: skip
    response = forms.page("You're listed", body)
    response.headers["Cache-Control"] = "no-store"
    return response


async def new_link(request: Request) -> Response:
    form = await request.form()
    token = forms.token_of(form.get("token"))
    if not web.form_trusted(request, form):
        return forms.untrusted(TITLE, "/confirm", token)

    def send() -> None:
        with writing() as session:
            confirmation.send_new_link(session, token=token, now=utcnow())

    try:
        await forms.in_thread(send)
    except DATABASE_FAULTS:
        return forms.unavailable(TITLE)
    return forms.page(TITLE, html.notice("If your sign-up is still waiting, a new link is on its "
                                         "way to the same address. It works for 72 hours."))  # fmt: skip


ROUTES = [
    Route("/confirm", confirm_page, methods=["GET"]),
    Route("/confirm", confirm, methods=["POST"]),
    Route("/confirm/new-link", new_link, methods=["POST"]),
]
