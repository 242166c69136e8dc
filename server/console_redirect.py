"""A console URL loaded without a live session goes to the sign-in form first (and comes back).

Only full page loads reach the server this way (a bookmark, a reload, a link); moving between
pages inside the app happens over the websocket, where each console page gates itself
(ui/gate.py). So this is a convenience, not the gate: the pages never rely on it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from models.db import DATABASE_FAULTS
from server import web_sessions as web
from server.sign_in_routes import current_moderator
from ui.navigation import SIGN_IN

SIGN_IN_PATH = f"/{SIGN_IN.url_path}"


class ConsoleRedirectMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or not (path in web.CONSOLE_PATHS or path == SIGN_IN_PATH)
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            moderator = await run_in_threadpool(current_moderator, request)
        except DATABASE_FAULTS:  # the page itself says the database is away
            await self.app(scope, receive, send)
            return
        if moderator is not None and path in web.CONSOLE_PATHS:
            await self.app(scope, receive, send)
            return
        target = path if path in web.CONSOLE_PATHS else web.DEFAULT_NEXT
        if request.url.query and path in web.CONSOLE_PATHS:
            target += f"?{request.url.query}"
        if moderator is not None:  # signed in already: the sign-in page leads to the console
            response = RedirectResponse(target, status_code=303)
        else:
            response = RedirectResponse(
                "/sign-in?" + urlencode({"next": web.safe_next(target)}), status_code=303
            )
        response.headers["Cache-Control"] = "no-store"
        await response(scope, receive, send)
