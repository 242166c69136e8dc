"""Small routes of the site itself: robots.txt, the icon, the forms' stylesheet."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from ui.navigation import MODERATION_PAGES, SIGN_IN

STATIC = Path(__file__).parent / "static"
# The tab icon of every page (dashboard.py's page_icon) and of the server's own forms.
FAVICON = STATIC / "favicon.png"
PRIVATE_PATHS = ("/sign-in", "/sign-out", f"/{SIGN_IN.url_path}",
                 *(f"/{spec.url_path}" for spec in MODERATION_PAGES))  # fmt: skip
ROBOTS = "User-agent: *\n" + "".join(f"Disallow: {path}\n" for path in PRIVATE_PATHS)


async def robots(_request: Request) -> Response:
    return PlainTextResponse(ROBOTS, headers={"Cache-Control": "public, max-age=3600"})


def _static(name: str, media_type: str) -> Route:
    async def serve(_request: Request) -> Response:
        return FileResponse(STATIC / name, media_type=media_type,
                            headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip

    return Route(f"/{name}", serve, methods=["GET", "HEAD"])


ROUTES = [
    Route("/robots.txt", robots, methods=["GET", "HEAD"]),
    _static("forms.css", "text/css"),
    _static("favicon.png", "image/png"),
]
