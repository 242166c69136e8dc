"""Which Chromium the browser tests drive, and how it is started (Debian's package, headless)."""

from __future__ import annotations

import os

import pytest

DEFAULT_BROWSER_EXECUTABLE = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_executable() -> str:
    """The Chromium binary to drive; skips (or, with REQUIRE_BROWSER=1, fails) when it is missing."""
    path = os.environ.get("BROWSER_EXECUTABLE") or DEFAULT_BROWSER_EXECUTABLE
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    message = (
        f"Chromium not found at {path}: browser tests need it. Install it with "
        "`sudo apt-get install -y chromium` (Debian/Ubuntu), or set BROWSER_EXECUTABLE to the "
        "path of a Chromium binary."
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} REQUIRE_BROWSER=1 is set, so this is an error.", pytrace=False)
    pytest.skip(message)
