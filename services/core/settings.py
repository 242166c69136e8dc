"""One typed settings object, from the environment and the Streamlit secrets, read when needed."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from models.db import default_database_url, normalise_database_url

PLACEHOLDER_MARK = "REPLACE"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class InsecureSettings(RuntimeError):
    """A placeholder secret is still in place outside the local sample setup."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    uses_embedded_default: bool
    # username -> Argon2 hash, for moderators kept in the secrets rather than the database.
    moderator_hashes: Mapping[str, str] = field(default_factory=dict)
    moderator_idle_timeout: timedelta = timedelta(minutes=30)
    # Behind a proxy: the header that carries the client address the proxy saw (e.g. X-Forwarded-For).
    client_ip_header: str | None = None
    # Where people write to the team (shown where the app says "write to us"); None: not shown.
    contact_email: str | None = None
    # Served over https (behind a TLS proxy): cookies get Secure, responses HSTS.
    https: bool = False
    # Moderators must pass a second factor (a code from an authenticator app) to sign in.
    require_second_factor: bool = True


def load_settings(
    secrets: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from the environment first, then the secrets' sections, then the defaults."""
    env = os.environ if environ is None else environ
    secrets = secrets or {}
    database = _section(secrets, "database")
    moderation = _section(secrets, "moderation")
    url = env.get("DATABASE_URL") or database.get("url") or ""
    second_factor = env.get("REQUIRE_SECOND_FACTOR") or moderation.get("require_second_factor")
    settings = Settings(
        database_url=normalise_database_url(url) if url else default_database_url(),
        uses_embedded_default=not url,
        moderator_hashes=dict(_section(secrets, "moderators")),
        moderator_idle_timeout=timedelta(
            minutes=float(env.get("MODERATOR_IDLE_MINUTES") or moderation.get("idle_minutes", 30))
        ),
        client_ip_header=env.get("CLIENT_IP_HEADER") or moderation.get("client_ip_header"),
        contact_email=_email(env.get("CONTACT_EMAIL") or _section(secrets, "contact").get("email")),
        https=_switch("SITE_HTTPS", env.get("SITE_HTTPS") or _section(secrets, "site").get("https"),
                      default=False),  # fmt: skip
        # on by default, except in the local sample setup (no database configured)
        require_second_factor=_switch("REQUIRE_SECOND_FACTOR", second_factor, default=bool(url)),
    )
    _refuse_placeholders(settings)
    return settings


def _switch(name: str, value: object, *, default: bool) -> bool:
    """An on/off setting: 1/true/yes or 0/false/no (or a TOML boolean); unset means `default`."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in ("1", "true", "yes"):
        return True
    if word in ("0", "false", "no"):
        return False
    raise ValueError(f"{name} must be 1, true or yes, or 0, false or no; not {value!r}")


def _email(value: object) -> str | None:
    """A configured address if it looks like one (it becomes a mailto: link), else None."""
    text = str(value or "").strip()
    return text if EMAIL.fullmatch(text) else None


def _section(secrets: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = secrets.get(name, {})
    return value if isinstance(value, Mapping) else {}


def _refuse_placeholders(settings: Settings) -> None:
    for username, password_hash in settings.moderator_hashes.items():
        if PLACEHOLDER_MARK in str(password_hash) and not settings.uses_embedded_default:
            raise InsecureSettings(
                f"moderator {username!r} still has the placeholder hash from secrets.toml.example"
            )
    if PLACEHOLDER_MARK in settings.database_url:
        raise InsecureSettings("DATABASE_URL still holds the placeholder from secrets.toml.example")
