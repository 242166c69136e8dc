"""The moderators' sign-in, second factor and sign-out: HTML forms POSTed to routes of ours.

A sign-in is the same three short steps as before (services.accounts.auth.sign_in: count the
attempt, check the Argon2 hash outside any transaction, record the outcome), under the same
limits; what is new is where the session lives: an HttpOnly cookie, so a reload, a second tab,
a bookmark and another process behind the proxy all find it.
"""

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
from services.accounts import auth, moderator_sessions
from services.accounts.throttle import Throttled
from ui.db import reading, settings, writing

log = logging.getLogger(__name__)
MAX_FIELD = 1000  # longer than any real username, password or code: refused, never hashed
UNAVAILABLE = (
    "We couldn't sign you in just now: the database isn't answering. Please try again in a moment."
)
MISMATCH = "That username and password don't match."  # noqa: S105 - a message, not a password
EMPTY_PASSWORD = "Enter your password."  # noqa: S105 - a message
EXPIRED = "This form had expired or came from another site, so nothing was sent. Please try again."
ENDED_NOTES = {
    "signed-out": "You have signed out.",
    "everywhere": "You have signed out on every device.",
    "pending": "Your sign-in took too long, so please start again.",
    "timeout": "Your session has ended (signed out, or idle for too long). Please sign in again: "
    "you'll go on to the page you asked for.",
}  # fmt: skip


def wait_message(wait: Throttled) -> str:
    return f"Too many failed attempts. Please wait {wait.wait_text} and try again."


def current_moderator(request: Request) -> auth.ModeratorIdentity | None:
    """Who holds this request's session cookie, read-only (the pages note activity)."""
    token = request.cookies.get(web.SESSION_COOKIE)
    if not token:
        return None
    with reading() as session:
        check = moderator_sessions.peek_session(
            session, token=token, idle_timeout=settings().moderator_idle_timeout, now=utcnow()
        )
    return check.moderator


def with_csrf(response: Response, token: str) -> Response:
    web.set_cookie(response, web.CSRF_COOKIE, token, https=settings().https)
    response.headers["Cache-Control"] = "no-store"
    return response


def _sign_in_page(request: Request, *, next_path: str, username: str = "",
                  errors: dict[str, str] | None = None, note: str = "", status: int = 200) -> Response:  # fmt: skip
    csrf = web.csrf_token(request)
    body = (
        html.paragraph("This area is for We Are Next moderators only.")
        + (html.notice(note) if note else "")
        + html.error_summary(errors or {})
        + html.form(
            "/sign-in",
            csrf=csrf,
            button="Sign in",
            errors=errors,
            hidden={"next": next_path},
            fields=[
                html.Field("username", "Username", value=username, autocomplete="username"),
                html.Field(
                    "password", "Password", kind="password", autocomplete="current-password"
                ),
            ],
        )  # fmt: skip
    )
    return with_csrf(HTMLResponse(html.page("Moderator sign-in", body), status_code=status), csrf)


async def sign_in_form(request: Request) -> Response:
    next_path = web.safe_next(request.query_params.get("next"))
    try:
        moderator = await run_in_threadpool(current_moderator, request)
    except DATABASE_FAULTS:
        moderator = None
    if moderator is not None:
        return RedirectResponse(next_path, status_code=303)
    note = ENDED_NOTES.get(request.query_params.get("ended", ""), "")
    return _sign_in_page(request, next_path=next_path, note=note)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


async def sign_in(request: Request) -> Response:
    form = await request.form()
    next_path = web.safe_next(form.get("next"))
    username, password = _text(form.get("username")), _text(form.get("password"))
    if not web.form_trusted(request, form):
        return _sign_in_page(request, next_path=next_path, username=username[:60],
                             errors={"username": EXPIRED}, status=403)  # fmt: skip
    errors = {}
    if not username.strip():
        errors["username"] = "Enter your username."
    if not password:
        errors["password"] = EMPTY_PASSWORD
    if len(username) > MAX_FIELD or len(password) > MAX_FIELD:
        errors["password"] = MISMATCH
    if errors:
        return _sign_in_page(request, next_path=next_path, username=username[:60], errors=errors,
                             status=400)  # fmt: skip
    config = settings()
    try:
        granted = await run_in_threadpool(
            auth.sign_in, writing, username=username, password=password,
            client_key=web.client_key(request, config), secret_hashes=config.moderator_hashes,
            now=utcnow(),
        )  # fmt: skip
    except Throttled as wait:
        return _sign_in_page(request, next_path=next_path, username=username[:60],
                             errors={"password": wait_message(wait)}, status=429)  # fmt: skip
    except DATABASE_FAULTS as fault:
        log.warning("database unavailable during sign-in: %s", type(fault).__name__)
        return _sign_in_page(request, next_path=next_path, username=username[:60],
                             errors={"password": UNAVAILABLE}, status=503)  # fmt: skip
    if granted is None:
        return _sign_in_page(request, next_path=next_path, username=username[:60],
                             errors={"password": MISMATCH},
                             status=400)  # fmt: skip
    if granted.needs_second_factor:
        from server.second_factor_routes import code_page

        response = code_page(request, next_path=next_path)
        web.set_cookie(response, web.PENDING_COOKIE, granted.token, https=config.https,
                       max_age=web.PENDING_SECONDS)  # fmt: skip
        return response
    response = RedirectResponse(next_path, status_code=303)
    web.set_cookie(response, web.SESSION_COOKIE, granted.token, https=config.https)
    return response


async def sign_out_page(request: Request) -> Response:
    csrf = web.csrf_token(request)
    try:
        moderator = await run_in_threadpool(current_moderator, request)
    except DATABASE_FAULTS:
        moderator = None
    if moderator is None:
        body = html.paragraph("You are not signed in.") + html.link("Go to the directory", "/")
    else:
        body = (
            html.paragraph(f"You are signed in as {moderator.username}.")
            + html.form("/sign-out", csrf=csrf, fields=[], button="Sign out", css_class="inline")
            + html.form(
                "/sign-out-everywhere",
                csrf=csrf,
                fields=[],
                css_class="inline",
                button="Sign out everywhere",
                button_class="secondary",
            )  # fmt: skip
            + html.paragraph("Sign out everywhere ends your sessions on every device and browser.")
            + html.link("Back to the console", web.DEFAULT_NEXT)
        )
    return with_csrf(HTMLResponse(html.page("Sign out", body)), csrf)


async def _sign_out(request: Request, *, everywhere: bool) -> Response:
    form = await request.form()
    if not web.form_trusted(request, form):
        return HTMLResponse(html.page("Sign out", html.paragraph(EXPIRED) + html.link(
            "Try again", "/sign-out")), status_code=403)  # fmt: skip
    token = request.cookies.get(web.SESSION_COOKIE)
    if token:
        end = moderator_sessions.sign_out_everywhere if everywhere else moderator_sessions.sign_out

        def revoke() -> None:
            with writing() as session:
                end(session, token=token, now=utcnow())

        try:
            await run_in_threadpool(revoke)
        except DATABASE_FAULTS as fault:  # the cookie goes anyway; the row ends when idle
            log.warning("database unavailable during sign-out: %s", type(fault).__name__)
    ended = "everywhere" if everywhere else "signed-out"
    response = RedirectResponse("/sign-in?" + urlencode({"ended": ended}), status_code=303)
    web.clear_cookie(response, web.SESSION_COOKIE, https=settings().https)
    return response


async def sign_out(request: Request) -> Response:
    return await _sign_out(request, everywhere=False)


async def sign_out_everywhere(request: Request) -> Response:
    return await _sign_out(request, everywhere=True)


ROUTES = [
    Route("/sign-in", sign_in_form, methods=["GET"]),
    Route("/sign-in", sign_in, methods=["POST"]),
    Route("/sign-out", sign_out_page, methods=["GET"]),
    Route("/sign-out", sign_out, methods=["POST"]),
    Route("/sign-out-everywhere", sign_out_everywhere, methods=["POST"]),
]
