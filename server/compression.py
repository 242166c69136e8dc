"""Compressed responses: Streamlit's bundle once per file and process, our pages on the fly.

Streamlit compresses its own dynamic responses (and our routes) but deliberately sends /static
and the index page plain, because Starlette's GZipMiddleware would compress the same bytes again
on every request. Here the hashed /static files (immutable: their name changes with their bytes)
are compressed the first time a browser asks for one, kept in memory, and served from there
after that: brotli when the browser takes it, else gzip. The index page (a few kB, the same for
every visitor) goes through GZipMiddleware. The websocket, media, fonts and images pass untouched.

WAN_COMPRESSION=0 switches it off (benchmarks/first_visit.py measures with and without).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import os
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

try:  # brotli is a dependency; without it (an older install) gzip is served alone
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

SWITCH = "WAN_COMPRESSION"
STATIC_PREFIX = "/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
# Text worth compressing; woff2, png and the like are compressed already.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/manifest+json", "application/wasm")  # fmt: skip
MINIMUM_SIZE = 512
TEXT_FILES = (".js", ".mjs", ".css", ".json", ".map", ".svg", ".txt", ".html", ".wasm")
# Fast enough to do on a first request (a 0.8 MB bundle in ~20 ms), close to the best ratio.
LEVELS = {"br": 8, "gzip": 9}


def enabled(environ: dict[str, str] | None = None) -> bool:
    return (environ if environ is not None else os.environ).get(SWITCH, "1") != "0"


def accepted_encoding(accept_encoding: str) -> str | None:
    """The best encoding the browser accepts: "br", "gzip" or None (q=0 refuses one)."""
    offered = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip()] = quality
    for encoding in ("br", "gzip") if brotli is not None else ("gzip",):
        if offered.get(encoding, offered.get("*", 0.0)) > 0:
            return encoding
    return None


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=LEVELS["br"])
    return gzip.compress(body, compresslevel=LEVELS["gzip"], mtime=0)


@dataclass(frozen=True)
class Stored:
    """One answer for one file and encoding, as it is sent."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str | None


class CompressionMiddleware:
    """Serves /static text files compressed from a per-process cache; gzips the index page."""

    def __init__(self, app: ASGIApp, *, on: bool | None = None) -> None:
        self.app = app
        self.on = enabled() if on is None else on
        self.pages = GZipMiddleware(app, minimum_size=MINIMUM_SIZE)
        self.cache: dict[tuple[str, str], Stored] = {}
        self.locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.on or scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
        elif scope["path"].startswith(STATIC_PREFIX):
            await self.static(scope, receive, send)
        elif scope["path"] == "/":  # the index page; Streamlit gzips every other page address
            await self.pages(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def static(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        encoding = accepted_encoding(headers.get("accept-encoding", ""))
        if encoding is None or "range" in headers or not scope["path"].endswith(TEXT_FILES):
            await self.app(scope, receive, _varying(send))
            return
        key = (scope["path"], encoding)
        entry = self.cache.get(key)
        if entry is None:
            lock = self.locks.setdefault(key, asyncio.Lock())
            async with lock:  # a first visit asks for many files at once: compress each once
                entry = self.cache.get(key)
                if entry is None:
                    entry = await self.fetch(scope, encoding)
            self.locks.pop(key, None)  # made again if needed: any path can be asked for
        if entry.status == 200 and entry.etag and entry.etag in headers.get("if-none-match", ""):
            await _send(send, 304, [(k, v) for k, v in entry.headers if k != b"content-length"],
                        b"")  # fmt: skip
            return
        await _send(
            send, entry.status, entry.headers, b"" if scope["method"] == "HEAD" else entry.body
        )

    async def fetch(self, scope: Scope, encoding: str) -> Stored:
        """Ask Streamlit for the whole file (no conditions) and compress it if it is text; a
        hashed (immutable) file is kept as it is answered for the process's lifetime."""
        plain_scope = dict(scope, method="GET", headers=[
            (k, v) for k, v in scope["headers"]
            if k not in (b"accept-encoding", b"if-none-match", b"if-modified-since", b"range")
        ])  # fmt: skip
        start: Message = {}
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        # The file is read whole for the cache whoever asked for it: a browser that goes away
        # meanwhile (a page left mid-load) must not cut it short (Starlette stops a file on a
        # disconnect) and leave an empty body cached under the file's length for good.
        await self.app(plain_scope, _never_disconnects, collect)
        status, body = start.get("status", 500), b"".join(chunks)
        headers = MutableHeaders(raw=list(start.get("headers", [])))
        if status == 200 and headers.get("content-length", str(len(body))) != str(len(body)):
            return Stored(500, [(b"content-length", b"0")], b"", None)  # cut short: never cached
        headers.add_vary_header("Accept-Encoding")
        immutable = status == 200 and "immutable" in headers.get("cache-control", "")
        if (status == 200 and "content-encoding" not in headers and len(body) >= MINIMUM_SIZE
                and headers.get("content-type", "").startswith(COMPRESSIBLE)):  # fmt: skip
            body = await run_in_threadpool(compress, body, encoding)
            headers["content-encoding"] = encoding
            headers["content-length"] = str(len(body))
            # Another representation than the plain file: an ETag of its own.
            headers["etag"] = f'"{hashlib.sha256(body).hexdigest()[:24]}-{encoding}"'
        if immutable:
            headers["cache-control"] = IMMUTABLE
        stored = Stored(status, headers.raw, body, headers.get("etag"))
        if immutable:
            self.cache[(scope["path"], encoding)] = stored
        return stored


async def _never_disconnects() -> Message:
    """`receive` for a request made on the cache's behalf: its (empty) body, then nothing."""
    await asyncio.Event().wait()  # cancelled by the response once the file is sent
    return {"type": "http.disconnect"}  # pragma: no cover - never reached


def _varying(send: Send) -> Send:
    """Plain answers of /static say they depend on Accept-Encoding too (for caches between)."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            MutableHeaders(scope=message).add_vary_header("Accept-Encoding")
        await send(message)

    return wrapped


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})
    await send({"type": "http.response.body", "body": body, "more_body": False})
