"""The second factor at sign-in (a code after the password) and its enrolment.

After a right password, a moderator with an authenticator app gets a short-lived "pending" cookie
and the code form; a right code (or an unused recovery code) opens the session under a new
token. Wrong codes count against the same limits as wrong passwords. Enrolment needs a full
session: the page shows a new secret as a QR code and as text, and the secret is kept only once
a code from the app proves it was copied; the ten recovery codes are shown once.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import segno
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from models.base import utcnow
from models.db import DATABASE_FAULTS
from server import html_pages as html
from server import web_sessions as web
from server.sign_in_routes import EXPIRED, UNAVAILABLE, current_moderator, wait_message, with_csrf
from services.accounts import moderator_sessions, second_factor
from services.accounts.throttle import Throttled
from services.core.refusals import InvalidSubmission
from ui.db import reading, settings, writing

log = logging.getLogger(__name__)
CODE_HINT = "The 6-digit code your authenticator app shows now, or one of your recovery codes."


def code_page(request: Request, *, next_path: str, errors: dict[str, str] | None = None,
              status: int = 200) -> Response:  # fmt: skip
    csrf = web.csrf_token(request)
    body = (
        html.paragraph("Your password was right. Now enter a code from your authenticator app.")
        + html.error_summary(errors or {})
        + html.form(
            "/sign-in/code",
            csrf=csrf,
            button="Continue",
            errors=errors,
            hidden={"next": next_path},
            fields=[
                html.Field(
                    "code",
                    "Code",
                    autocomplete="one-time-code",
                    hint=CODE_HINT,
                    extra={"inputmode": "text", "maxlength": "40"},
                )
            ],
        )  # fmt: skip
        + html.link("Start again", "/sign-in?" + urlencode({"next": next_path}))
    )
    return with_csrf(HTMLResponse(html.page("Second factor", body), status_code=status), csrf)


async def submit_code(request: Request) -> Response:
    form = await request.form()
    next_path = web.safe_next(form.get("next"))
    if not web.form_trusted(request, form):
        return code_page(request, next_path=next_path, status=403,
                         errors={"code": EXPIRED})  # fmt: skip
    code = form.get("code")
    code = code.strip() if isinstance(code, str) else ""
    if not code:
        return code_page(request, next_path=next_path, errors={"code": "Enter a code."}, status=400)
    pending_token = request.cookies.get(web.PENDING_COOKIE, "")
    config = settings()

    def check() -> str | None:
        with reading() as session:
            pending = moderator_sessions.pending_second_factor(
                session, token=pending_token, now=utcnow()
            )
        if pending is None:
            raise LookupError
        if len(code) > 40 or not second_factor.attempt(
            writing, moderator_id=pending.moderator_id, username=pending.username, code=code,
            client_key=web.client_key(request, config), now=utcnow(),
        ):  # fmt: skip
            return None
        with writing() as session:
            return moderator_sessions.complete_second_factor(
                session, token=pending_token, now=utcnow()
            )

    try:
        token = await run_in_threadpool(check) if pending_token else None
    except LookupError:
        token = None
        pending_token = ""
    except Throttled as wait:
        return code_page(
            request, next_path=next_path, errors={"code": wait_message(wait)}, status=429
        )
    except DATABASE_FAULTS as fault:
        log.warning("database unavailable during the second factor: %s", type(fault).__name__)
        return code_page(request, next_path=next_path, errors={"code": UNAVAILABLE}, status=503)
    if not pending_token:
        response = RedirectResponse(
            "/sign-in?" + urlencode({"next": next_path, "ended": "pending"}), status_code=303
        )
        web.clear_cookie(response, web.PENDING_COOKIE, https=config.https)
        return response
    if token is None:
        return code_page(request, next_path=next_path, errors={"code": second_factor.WRONG_CODE},
                         status=400)  # fmt: skip
    response = RedirectResponse(next_path, status_code=303)
    web.set_cookie(response, web.SESSION_COOKIE, token, https=config.https)
    web.clear_cookie(response, web.PENDING_COOKIE, https=config.https)
    return response


def _enrol_page(request: Request, *, username: str, secret: str,
                errors: dict[str, str] | None = None, status: int = 200) -> Response:  # fmt: skip
    csrf = web.csrf_token(request)
    uri = second_factor.provisioning_uri(secret, username)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    body = (
        html.paragraph(
            "Moderators who can remove and ban need a second factor: a code from an "
            "authenticator app on your phone (any app that reads a QR code)."
        )  # fmt: skip
        + html.error_summary(errors or {})
        + html.paragraph("1. Scan this QR code with the app.")
        + html.image(qr, "QR code of your new authenticator secret")
        + html.paragraph("Or type this key into the app instead:")
        + html.code_text(secret)
        + html.paragraph("2. Enter the code the app shows.")
        + html.form(
            "/account/second-factor",
            csrf=csrf,
            button="Turn on",
            errors=errors,
            hidden={"secret": secret},
            fields=[
                html.Field(
                    "code",
                    "Code from the app",
                    autocomplete="one-time-code",
                    extra={"inputmode": "numeric", "maxlength": "12"},
                )
            ],
        )  # fmt: skip
    )
    page = html.page("Set up your second factor", body)
    response = with_csrf(HTMLResponse(page, status_code=status), csrf)
    return response


async def enrol_form(request: Request) -> Response:
    moderator = await run_in_threadpool(current_moderator, request)
    if moderator is None:
        return RedirectResponse("/sign-in", status_code=303)
    return _enrol_page(request, username=moderator.username, secret=second_factor.new_secret())


async def enrol(request: Request) -> Response:
    form = await request.form()
    moderator = await run_in_threadpool(current_moderator, request)
    if moderator is None:
        return RedirectResponse("/sign-in?ended=timeout", status_code=303)
    secret = form.get("secret")
    secret = (
        secret
        if isinstance(secret, str) and 16 <= len(secret) <= 64
        else second_factor.new_secret()
    )
    if not web.form_trusted(request, form):
        return _enrol_page(request, username=moderator.username, secret=secret, status=403,
                           errors={"code": EXPIRED})  # fmt: skip
    code = form.get("code")

    def confirm() -> list[str]:
        with writing() as session:
            return second_factor.confirm_and_enrol(session, moderator_id=moderator.id, secret=secret,
                                                   code=code if isinstance(code, str) else "", now=utcnow())  # fmt: skip

    try:
        codes = await run_in_threadpool(confirm)
    except InvalidSubmission as refusal:
        return _enrol_page(request, username=moderator.username, secret=secret,
                           errors=dict(refusal.errors), status=400)  # fmt: skip
    except (ValueError, DATABASE_FAULTS) as fault:
        log.warning("second factor enrolment failed: %s", type(fault).__name__)
        return _enrol_page(request, username=moderator.username, secret=second_factor.new_secret(),
                           errors={"code": UNAVAILABLE}, status=503)  # fmt: skip
    body = (
        html.notice("Your second factor is on. From now on you sign in with a code from the app.")
        + html.paragraph(
            "Keep these recovery codes somewhere safe (not on your phone). Each "
            "works once, in place of a code, if you lose your phone. They are shown "
            "only now."
        )  # fmt: skip
        + html.code_list(codes)
        + html.link("Go to the moderation console", web.DEFAULT_NEXT)
    )
    response = HTMLResponse(html.page("Recovery codes", body))
    response.headers["Cache-Control"] = "no-store"
    return response


ROUTES = [
    Route("/sign-in/code", submit_code, methods=["POST"]),
    Route("/account/second-factor", enrol_form, methods=["GET"]),
    Route("/account/second-factor", enrol, methods=["POST"]),
]
