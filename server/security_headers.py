"""Headers on every HTTP response: what the browser may load, frame, send and use.

The Content-Security-Policy is as strict as Streamlit's frontend allows (measured in Chromium,
tests/browser/test_own_origin.py): every allowance is named below with why it is there.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import streamlit
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STREAMLIT_INDEX = Path(streamlit.__file__).parent / "static" / "index.html"


def inline_script_hashes(index_html: str) -> tuple[str, ...]:
    """A CSP hash source for each inline <script> of Streamlit's index.html (1.67 has one:
    `window.prerenderReady = false`), read from the installed Streamlit so an upgrade keeps it."""
    return tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in re.findall(r"<script>(.*?)</script>", index_html, flags=re.DOTALL)
    )


# Each directive, and why it allows what it allows (measured in Chromium on every page).
CSP_DIRECTIVES = (
    "default-src 'self'",
    # Streamlit's bundle is served from /static; nothing comes from another origin. Beyond it:
    # - its index.html's one inline script, by its hash (no 'unsafe-inline');
    # - blob: because components.v2 (ui/a11y.py, ui/go_to.py) loads a component's inline JS as a
    #   module from a blob: URL the page itself made (only script already running can make one);
    # - 'wasm-unsafe-eval' because protobuf's long.js compiles a tiny WebAssembly module for
    #   64-bit maths (blocked, it falls back to slower JS and reports a violation on every
    #   page). It allows WebAssembly only: eval() and new Function() stay refused, and the
    #   trends page's Vega charts need neither (no violation there either).
    "script-src 'self' blob: 'wasm-unsafe-eval' "
    + " ".join(inline_script_hashes(STREAMLIT_INDEX.read_text(encoding="utf-8"))),
    # Streamlit's frontend (emotion) writes its CSS into <style> elements at run time.
    "style-src 'self' 'unsafe-inline'",
    # Charts and images are drawn from data: and blob: URLs made in the page.
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    # The websocket (/_stcore/stream) and Streamlit's own fetches, all to this origin.
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "frame-ancestors 'none'",  # nobody frames the console's one-click Remove and Ban
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
CONTENT_SECURITY_POLICY = "; ".join(CSP_DIRECTIVES)
# Switched off: nothing in the app uses them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "serial", "usb", "xr-spatial-tracking", "interest-cohort",
    )
)  # fmt: skip
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(*, https: bool) -> dict[str, str]:
    """The headers every response carries (HSTS only when the site is served over https)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        # No URL (a mentee's search in the query string) ever reaches another site, LinkedIn
        # included; same-origin requests keep theirs, so form posts still carry an Origin.
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def _site_https() -> bool:
    from ui.db import settings  # read when the first response goes out, then every 30 s at most

    return settings().https


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (ours, Streamlit's, static files)."""

    def __init__(self, app: ASGIApp, *, https: Callable[[], bool] = _site_https) -> None:
        self.app = app
        self.https = https
        self.plain, self.secure = security_headers(https=False), security_headers(https=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in (self.secure if self.https() else self.plain).items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
