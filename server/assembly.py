"""What goes into the ASGI app (server/app.py): the script, our routes, middleware, lifespan and
what happens when a page script fails."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from models.db import PROJECT_ROOT
from server import (
    code_version_routes,
    lifespan_work,
    listing_link_routes,
    no_reply_routes,
    owner_link_routes,
    second_factor_routes,
    sign_in_routes,
    site_routes,
)
from server.compression import CompressionMiddleware
from server.console_redirect import ConsoleRedirectMiddleware
from server.security_headers import SecurityHeadersMiddleware

log = logging.getLogger("wan.server")
SCRIPT = str(PROJECT_ROOT / "dashboard.py")
SCRIPT_ERROR = (
    "Something went wrong on this page, and nothing was saved. Please try again; if it keeps "
    "happening, tell us what you were doing."
)


def legacy_pages_mode_off() -> None:
    """A fresh Streamlit server treats a `pages/` folder as the old multipage layout until a
    session has run dashboard.py: a page file could run without the frame around it, and the
    first visitor of any other URL would see "Page not found". Every console page gates itself
    anyway (ui/gate.py); this closes the window. Streamlit 1.67 keeps the switch on PagesManager;
    if it moves, nothing breaks."""
    from streamlit.runtime.pages_manager import PagesManager

    if hasattr(PagesManager, "uses_pages_directory"):
        PagesManager.uses_pages_directory = False


def routes() -> list[BaseRoute]:
    legacy_pages_mode_off()
    return [*site_routes.ROUTES, *sign_in_routes.ROUTES, *second_factor_routes.ROUTES,
            *listing_link_routes.ROUTES, *owner_link_routes.ROUTES, *no_reply_routes.ROUTES,
            *code_version_routes.ROUTES]  # fmt: skip


def middleware() -> list[Middleware]:
    """Outermost first: every response gets the headers, console page loads get the gate."""
    return [
        Middleware(SecurityHeadersMiddleware),
        Middleware(CompressionMiddleware),  # inside the headers: compressed answers get them too
        Middleware(ConsoleRedirectMiddleware),
    ]


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[dict[str, Any]]:
    """Once per process: migrate (replicas take turns), start the background work; at the
    end, stop it and finish what it holds."""
    await run_in_threadpool(lifespan_work.start)
    try:
        yield {}
    finally:
        await run_in_threadpool(lifespan_work.stop)


def on_script_error(error: Exception) -> bool:
    """Log the page and the error's type (never the values a person typed); show our message."""
    page = urlsplit(str(st.context.url or "")).path or "/"
    log.error("page script failed on %s: %s", page, type(error).__name__)
    st.error(SCRIPT_ERROR, icon=":material/error:")
    return True
