"""Headers on every HTTP response: what the browser may load, frame, send and use.

The Content-Security-Policy is as strict as Streamlit's frontend allows (measured in Chromium,
tests/browser/test_server_headers.py): every allowance is named below with why it is there.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Each directive, and why it allows what it allows.
CSP_DIRECTIVES = (
    "default-src 'self'",
    # Streamlit's bundle is served from /static; nothing comes from another origin.
    "script-src 'self'",
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
