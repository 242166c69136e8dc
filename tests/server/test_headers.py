"""Every response carries the security headers: pages, static files, health, our own routes and
redirects; and no page lets another site frame it, sniff a type or read where the visitor was."""

from __future__ import annotations

import re

import pytest

from server.security_headers import CONTENT_SECURITY_POLICY
from tests.server.conftest import Site


def bundle(site: Site) -> str:
    index = site.client.get("/", headers={"Accept-Encoding": "identity"}).text
    return "/" + re.search(r'src="\./(static/js/index\.[^"]+\.js)"', index).group(1)


@pytest.mark.parametrize(
    "path",
    ["/", "/find-a-mentor", "/moderation-queue", "/_stcore/health", "/sign-in", "/sign-out",
     "/robots.txt", "/favicon.png", "/no-such-page", "BUNDLE"],
)  # fmt: skip
def test_every_response_carries_the_security_headers(site: Site, path: str) -> None:
    response = site.client.get(bundle(site) if path == "BUNDLE" else path, follow_redirects=False)
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'",
                      "form-action 'self'"):  # fmt: skip
        assert directive in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY.replace("https:", "")  # no third-party origin
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert (
        "camera=()" in headers["permissions-policy"]
        and "geolocation=()" in headers["permissions-policy"]
    )
    assert headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in headers  # plain http here: HSTS only over https
