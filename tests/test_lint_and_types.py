"""The README's lint and type checks hold: a change that breaks them fails the test run, not a
reader's trust in the README (`ruff check .`, `mypy`: strict on services/ and models/)."""

from __future__ import annotations

import subprocess
import sys

from models.db import PROJECT_ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", ".", "--no-cache")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


def test_mypy_strict_on_services_and_models_finds_nothing() -> None:
    result = _run("mypy", "--cache-dir", "/dev/null")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
