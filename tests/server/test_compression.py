"""What a browser on a slow network gets from the real app: Streamlit's bundle compressed, cached
for a year, the same bytes once unpacked, and the security headers on every compressed answer."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import re
import threading
from pathlib import Path

import brotli
import pytest
import streamlit
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from server.compression import CompressionMiddleware, accepted_encoding
from server.security_headers import CONTENT_SECURITY_POLICY

STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"


@pytest.fixture(scope="module")
def main_bundle(client: TestClient) -> str:
    """The address of the entry script the index page loads (a content-hashed file)."""
    index = client.get("/", headers={"Accept-Encoding": "identity"}).text
    return "/" + re.search(r'src="\./(static/js/index\.[^"]+\.js)"', index).group(1)


def plain_bytes(path: str) -> bytes:
    return (STREAMLIT_STATIC / path.lstrip("/")).read_bytes()


@pytest.mark.parametrize(("encoding", "decompress"), [("gzip", gzip.decompress),
                                                      ("br", brotli.decompress)])  # fmt: skip
def test_the_bundle_comes_compressed_and_unpacks_to_the_same_file(
    client: TestClient, main_bundle: str, encoding: str, decompress
) -> None:
    response = client.get(main_bundle, headers={"Accept-Encoding": encoding})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == encoding
    assert int(response.headers["content-length"]) < len(plain_bytes(main_bundle)) / 3
    # The body on the wire is as long as Content-Length says, and unpacks to the very file.
    packed = _raw_body(client, main_bundle, encoding)
    assert len(packed) == int(response.headers["content-length"])
    assert decompress(packed) == plain_bytes(main_bundle)


def test_a_browser_that_asks_for_no_compression_gets_the_plain_file(
    client: TestClient, main_bundle: str
) -> None:
    response = client.get(main_bundle, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert response.content == plain_bytes(main_bundle)
    assert "accept-encoding" in response.headers["vary"].lower()


def test_hashed_files_are_cached_for_a_year_and_vary_by_encoding(
    client: TestClient, main_bundle: str
) -> None:
    for encoding in ("gzip", "br", "identity"):
        headers = client.get(main_bundle, headers={"Accept-Encoding": encoding}).headers
        assert "max-age=31536000" in headers["cache-control"]
        assert "immutable" in headers["cache-control"]
        assert "accept-encoding" in headers["vary"].lower()


def test_a_revisit_with_the_etag_costs_no_body(client: TestClient, main_bundle: str) -> None:
    first = client.get(main_bundle, headers={"Accept-Encoding": "gzip"})
    again = client.get(
        main_bundle, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


def test_the_security_headers_stay_on_compressed_answers(
    client: TestClient, main_bundle: str
) -> None:
    for path in (main_bundle, "/"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"


def test_the_index_page_and_the_sign_in_form_come_gzipped(client: TestClient) -> None:
    for path in ("/", "/find-a-mentor", "/sign-in"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["content-encoding"] == "gzip", path
        assert "<html" in response.text.lower()


def test_fonts_and_images_are_not_compressed_again(client: TestClient) -> None:
    font = next((STREAMLIT_STATIC / "static" / "media").glob("*.woff2"))
    response = client.get(f"/static/media/{font.name}", headers={"Accept-Encoding": "gzip, br"})
    assert "content-encoding" not in response.headers
    assert response.content == font.read_bytes()
    icon = client.get("/favicon.png", headers={"Accept-Encoding": "gzip, br"})
    assert icon.headers["content-type"] == "image/png"
    assert "content-encoding" not in icon.headers


def test_switched_off_the_bundle_goes_out_plain(client: TestClient, main_bundle: str) -> None:
    """WAN_COMPRESSION=0 (the benchmark's "before")."""
    seen = {}

    async def streamlit(scope, receive, send):
        seen["path"] = scope["path"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x"})

    off = TestClient(CompressionMiddleware(streamlit, on=False))
    response = off.get(main_bundle, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers
    assert seen["path"] == main_bundle


@pytest.mark.parametrize(("header", "chosen"), [
    ("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip"),
    ("identity", None), ("", None), ("*", "br"),
])  # fmt: skip
def test_the_best_encoding_the_browser_accepts_is_chosen(header: str, chosen: str | None) -> None:
    assert accepted_encoding(header) == chosen


def _raw_body(client: TestClient, path: str, encoding: str) -> bytes:
    """The body as sent on the wire (the client would otherwise unpack it)."""
    with client.stream("GET", path, headers={"Accept-Encoding": encoding}) as response:
        return b"".join(response.iter_raw())


def test_a_browser_that_leaves_mid_load_does_not_leave_a_cut_file_cached(tmp_path: Path) -> None:
    """The first browser to ask for a file went away at once (a page left mid-load): Starlette
    stops a file on a disconnect, and that cut answer must not be what everyone gets after."""
    script = tmp_path / "Delete.esm.x8ZdkABx.js"
    script.write_text("export const x = 1;\n" * 40)
    files = StaticFiles(directory=tmp_path)

    started = asyncio.Event()

    async def streamlit(scope, receive, send):  # noqa: ANN001, ANN202 - an ASGI app
        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":  # as Streamlit serves its hashed files
                message = dict(message, headers=[*message["headers"], (b"cache-control", b"immutable")])
            await send(message)
            if message["type"] == "http.response.start":
                started.set()
                await asyncio.sleep(0.05)  # reading the file takes a moment

        await files(dict(scope, path=scope["path"].removeprefix("/static")), receive, sending)

    middleware = CompressionMiddleware(streamlit, on=True)

    async def gone() -> dict:  # the browser leaves once the answer has begun
        await started.wait()
        return {"type": "http.disconnect"}

    async def record(message: dict) -> None:
        pass

    scope = {"type": "http", "method": "GET", "path": f"/static/{script.name}", "headers": [
        (b"accept-encoding", b"br")], "query_string": b"", "root_path": "", "asgi": {"version": "3.0"}}
    async def first_visit() -> None:
        with contextlib.suppress(Exception):  # whatever the server does with a browser gone
            await middleware(scope, gone, record)

    # a thread of its own: a browser test before this one may leave an event loop running here
    visit = threading.Thread(target=lambda: asyncio.run(first_visit()))
    visit.start()
    visit.join(30)
    later = TestClient(middleware).get(f"/static/{script.name}", headers={"Accept-Encoding": "br"})
    assert later.status_code == 200
    assert brotli.decompress(_raw_body(TestClient(middleware), f"/static/{script.name}", "br")) == script.read_bytes()
    assert later.content == script.read_bytes()
