"""The moderator's session as HTTP carries it: the cookie, the CSRF token, the Origin check, the
page to go back to, and the client's address for the limits.

The session cookie holds an opaque random token (only its hash is stored, in moderator_sessions);
it is HttpOnly, SameSite=Strict, path /, and Secure whenever the site is served over https.
Forms carry a CSRF token that must match a cookie of its own (double submit), and a POST must
come from a page of this site (Origin, else Referer): Streamlit's XSRF protection covers only its
own endpoints.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from services.accounts import throttle
from services.core.settings import Settings
from ui.navigation import MODERATION_PAGES

SESSION_COOKIE = "wan_session"
PENDING_COOKIE = "wan_pending"  # password accepted, second factor still to come
CSRF_COOKIE = "wan_csrf"
PENDING_SECONDS = 5 * 60
DEFAULT_NEXT = "/" + MODERATION_PAGES[0].url_path
CONSOLE_PATHS = frozenset("/" + spec.url_path for spec in MODERATION_PAGES)


def set_cookie(response: Response, name: str, value: str, *, https: bool,
               max_age: int | None = None) -> None:  # fmt: skip
    response.set_cookie(name, value, max_age=max_age, path="/", secure=https,
                        httponly=True, samesite="strict")  # fmt: skip


def clear_cookie(response: Response, name: str, *, https: bool) -> None:
    response.delete_cookie(name, path="/", secure=https, httponly=True, samesite="strict")


def csrf_token(request: Request) -> str:
    """The form's CSRF token: the one this browser already holds, else a new one."""
    held = request.cookies.get(CSRF_COOKIE, "")
    return held if 20 <= len(held) <= 100 else secrets.token_urlsafe(32)


def csrf_ok(request: Request, submitted: object) -> bool:
    held = request.cookies.get(CSRF_COOKIE, "")
    return (
        isinstance(submitted, str)
        and bool(held)
        and hmac.compare_digest(held.encode("utf-8"), submitted.encode("utf-8"))
    )


def same_origin(request: Request) -> bool:
    """True if the POST came from a page of this site: its Origin (else Referer) names our host."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(source)
    host = request.headers.get("host", "")
    return bool(host) and parts.scheme in ("http", "https") and parts.netloc == host


def form_trusted(request: Request, form: FormData) -> bool:
    """A POSTed form of ours: from a page of this site, with this browser's CSRF token."""
    return same_origin(request) and csrf_ok(request, form.get("csrf"))


def safe_next(value: object) -> str:
    """Where to go after signing in: a console page of ours (with its query), never elsewhere."""
    if not isinstance(value, str) or len(value) > 500:
        return DEFAULT_NEXT
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path not in CONSOLE_PATHS or "\\" in value:
        return DEFAULT_NEXT
    return parts.path + (f"?{parts.query}" if parts.query else "")


def client_key(request: Request, settings: Settings) -> str:
    """The key this client's attempts count under: as ui.client.client_key reads it."""
    header = settings.client_ip_header
    forwarded = request.headers.getlist(header) if header else []
    peer = request.client.host if request.client else None
    if peer in ("127.0.0.1", "::1"):  # Streamlit reports no address for localhost either
        peer = None
    return throttle.client_key(throttle.client_address(forwarded=forwarded, peer=peer))
