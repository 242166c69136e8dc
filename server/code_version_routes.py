"""The link in the mail about a new version of the Code (and in the pause mail that follows it):
used once, by a button, it opens Manage my listing in this browser (an owner session, like a
manage link), where the mentor reads what changed and signs (services/evidence/)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models.db import DATABASE_FAULTS
from server import link_forms as forms
from server.owner_link_routes import open_owner_session
from services.evidence import code_resigning
from services.listings import links
from services.listings.links import LinkState

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
    return await open_owner_session(request, path="/new-code", title=TITLE, state_text=STATE_TEXT,
                                    open_link=code_resigning.open_from_link)  # fmt: skip


ROUTES = [
    Route("/new-code", new_code_page, methods=["GET"]),
    Route("/new-code", use_new_code_link, methods=["POST"]),
]
