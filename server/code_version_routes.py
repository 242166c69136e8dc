"""The link in the mail about a new version of the Code (and in the pause mail that follows it):
used once, by a button, it opens Manage my listing in this browser (an owner session, like a
manage link), where the mentor reads what changed and signs (services/evidence/)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from models.base import utcnow
from models.db import DATABASE_FAULTS
from server import link_forms as forms
from server import web_sessions as web
from server.owner_link_routes import OWNER_COOKIE
from services.evidence import code_resigning
from services.listings import links
from services.listings.links import LinkRefused, LinkState
from ui.db import settings, writing

log = logging.getLogger(__name__)
TITLE = "Our Code of Conduct has changed"
STATE_TEXT = {
    LinkState.EXPIRED: "This link has expired. Open Manage my listing and ask for a new link by "
    "mail: the new Code is there to sign.",
    LinkState.USED: "This link has already been used. Open Manage my listing and ask for a new "
    "link by mail: the new Code is there to sign.",
    LinkState.UNKNOWN: "This link isn't one of ours, or it was copied incompletely. Ask for a new "
    "one on Manage my listing.",
}


async def new_code_page(request: Request) -> Response:
    token = forms.token_of(request.query_params.get("token"))
    try:
        state = await forms.link_state(token, links.Purpose.NEW_CODE)
    except DATABASE_FAULTS:
        return forms.unavailable(TITLE)
    if state is not LinkState.VALID:
        return forms.state_text(STATE_TEXT, state, TITLE, status=200)
    return forms.button_page(
        request, title=TITLE, path="/new-code", token=token, button="Open Manage my listing",
        text="Press the button to open Manage my listing in this browser: it shows what changed in "
        "the Code since you signed it, and where to sign the new version. It stays open here for "
        "two hours, or until you close it.",
    )  # fmt: skip


async def use_new_code_link(request: Request) -> Response:
    form = await request.form()
    token = forms.token_of(form.get("token"))
    if not web.form_trusted(request, form):
        return forms.untrusted(TITLE, "/new-code", token)

    def use() -> str:
        with writing() as session:
            return code_resigning.open_from_link(session, token=token, now=utcnow())

    try:
        owner_session = await forms.in_thread(use)
    except LinkRefused as refused:
        return forms.state_text(STATE_TEXT, refused.state, TITLE, status=409)
    except DATABASE_FAULTS as fault:
        log.warning("database unavailable while opening a new-Code link: %s", type(fault).__name__)
        return forms.unavailable(TITLE)
    response = RedirectResponse(forms.MANAGE_PAGE, status_code=303)
    web.set_cookie(response, OWNER_COOKIE, owner_session, https=settings().https,
                   max_age=int(links.LIFETIME[links.Purpose.OWNER_SESSION].total_seconds()))  # fmt: skip
    return response


ROUTES = [
    Route("/new-code", new_code_page, methods=["GET"]),
    Route("/new-code", use_new_code_link, methods=["POST"]),
]
