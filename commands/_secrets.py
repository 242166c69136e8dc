"""Read .streamlit/secrets.toml outside Streamlit, so commands see the same settings as the app."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from models.db import PROJECT_ROOT
from services.core.settings import Settings, load_settings

SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"


def read_secrets(path: Path = SECRETS_PATH) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def command_settings() -> Settings:
    """The app's settings as a command sees them (environment, then secrets.toml)."""
    return load_settings(read_secrets())
