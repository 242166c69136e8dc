"""'Reached out and heard nothing for two weeks?': the card's link leads here; the button sends
the anonymous signal (services/listings/no_reply.py). The page names the mentor as the card does
and says what happens, and the answer is the same whatever was counted."""

from __future__ import annotations

import logging

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models import Mentor
from models.base import utcnow
from models.db import DATABASE_FAULTS
from server import html_pages as html
from server import link_forms as forms
from server import web_sessions as web
from server.sign_in_routes import wait_message
from services.accounts.throttle import Throttled
from services.core.vocabulary import ListingStatus
from services.listings import no_reply
from ui.db import reading, settings, writing

log = logging.getLogger(__name__)
TITLE = "No reply from a mentor?"
GONE = "This mentor isn't in the directory now, so there is nothing to tell us."
THANKS = ("Thank you. We've noted it, anonymously. If other mentees say the same, we ask the mentor "
          "whether they are still available. Nothing changes on their card.")  # fmt: skip


def _mentor_id(value: object) -> int | None:
    text = value if isinstance(value, str) else ""
    return int(text) if text.isdigit() and len(text) < 10 else None


async def page(request: Request) -> Response:
    mentor_id = _mentor_id(request.query_params.get("mentor"))

    def name() -> str | None:
        with reading() as session:
            return session.scalar(select(Mentor.full_name).where(
                Mentor.id == mentor_id, Mentor.status == ListingStatus.LISTED.value))  # fmt: skip

    try:
        full_name = await forms.in_thread(name) if mentor_id is not None else None
    except DATABASE_FAULTS:
        return forms.unavailable(TITLE)
    if full_name is None:
        return forms.page(TITLE, html.paragraph(GONE) + html.link("Find a mentor", "/"))
    csrf = web.csrf_token(request)
    body = (
        html.paragraph(f"Did you reach out to {full_name} on LinkedIn and hear nothing for two "
                       "weeks? Mentors are busy people, and a message can get lost. You can tell "
                       "us, anonymously: we keep no address or name with it, and it never shows "
                       "on the card. When several mentees say the same, we ask the mentor "
                       "whether they are still available.")
        + html.form("/no-reply", csrf=csrf, fields=[], button="Tell the team, anonymously",
                    hidden={"mentor": str(mentor_id)})
        + html.link("Back to the directory", "/")
    )  # fmt: skip
    return forms.with_csrf_page(TITLE, body, csrf)


async def send(request: Request) -> Response:
    form = await request.form()
    mentor_id = _mentor_id(form.get("mentor"))
    if not web.form_trusted(request, form) or mentor_id is None:
        return forms.page(TITLE, html.paragraph("This form had expired or came from another site, so "
                                                "nothing was sent.") + html.link("Find a mentor", "/"),
                          status=403)  # fmt: skip
    client_key = web.client_key(request, settings())

    def count() -> None:
        with writing() as session:
            no_reply.signal(session, mentor_id=mentor_id, client_key=client_key, now=utcnow())

    try:
        await forms.in_thread(count)
    except Throttled as wait:
        return forms.page(TITLE, html.paragraph(wait_message(wait)), status=429)
    except DATABASE_FAULTS:
        return forms.unavailable(TITLE)
    return forms.page(TITLE, html.notice(THANKS) + html.link("Back to the directory", "/"))


ROUTES = [Route("/no-reply", page, methods=["GET"]), Route("/no-reply", send, methods=["POST"])]
