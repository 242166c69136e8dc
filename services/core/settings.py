"""One typed settings object, from the environment and the Streamlit secrets, read when needed."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from models.db import PROJECT_ROOT, default_database_url, normalise_database_url

PLACEHOLDER_MARK = "REPLACE"
LOCAL_MAIL_DIR = PROJECT_ROOT / "data" / "mail"
DEFAULT_SITE_URL = "http://localhost:8501"
DEFAULT_SENDER = "We Are Next Mentors <mentors@localhost>"
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
    # Mail: an SMTP relay (smtp://user:pass@host:587 STARTTLS, smtps://...:465 TLS), or a folder
    # that receives each mail as a .eml file (the local sample setup's default: data/mail/).
    smtp_url: str | None = None
    mail_dir: Path | None = None
    mail_from: str = DEFAULT_SENDER
    # The site's public address, for the links in mails (no trailing slash).
    site_url: str = DEFAULT_SITE_URL
    # Freshness: a listing quiet this long is asked whether its mentor is still available, and
    # paused this long after an unanswered question (services/listings/freshness.py).
    freshness_ask_after: timedelta = timedelta(days=90)
    freshness_pause_after: timedelta = timedelta(days=14)
    # A new version of the Code: listed mentors sign it again within this (services/evidence/).
    code_sign_within: timedelta = timedelta(days=30)


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
        **_mail(env, _section(secrets, "mail"), _section(secrets, "site"), embedded=not url),
        freshness_ask_after=_days("FRESHNESS_ASK_DAYS", env.get("FRESHNESS_ASK_DAYS")
                                  or _section(secrets, "freshness").get("ask_days"), 90),
        freshness_pause_after=_days("FRESHNESS_PAUSE_DAYS", env.get("FRESHNESS_PAUSE_DAYS")
                                    or _section(secrets, "freshness").get("pause_days"), 14),
        code_sign_within=_days("CODE_SIGN_DAYS", env.get("CODE_SIGN_DAYS")
                               or _section(secrets, "code_of_conduct").get("sign_days"), 30),
    )
    _refuse_placeholders(settings)
    return settings


class MailNotConfigured(RuntimeError):
    """A deployment (DATABASE_URL set) with nowhere to send mail: it would promise mails it can't send."""


def mail_problem(settings: Settings) -> str | None:
    """What to set before this deployment can start, or None when mail has somewhere to go."""
    if settings.smtp_url or settings.mail_dir:
        return None
    return ("Mail has nowhere to go: set SMTP_URL (e.g. smtp://user:password@smtp.example.org:587) "
            "or [mail] smtp_url in the secrets, with MAIL_FROM ([mail] from) and SITE_URL "
            "([site] url, the address the links in mails lead to). To keep mail as .eml files "
            "instead, set MAIL_DIR ([mail] dir).")  # fmt: skip


def _mail(
    env: Mapping[str, str], mail: Mapping[str, Any], site: Mapping[str, Any], *, embedded: bool
) -> dict[str, Any]:
    smtp_url = str(env.get("SMTP_URL") or mail.get("smtp_url") or "").strip() or None
    folder = str(env.get("MAIL_DIR") or mail.get("dir") or "").strip()
    mail_dir = Path(folder) if folder else (LOCAL_MAIL_DIR if embedded and not smtp_url else None)
    site_url = str(env.get("SITE_URL") or site.get("url") or DEFAULT_SITE_URL).strip().rstrip("/")
    if not site_url.startswith(("http://", "https://")):
        raise ValueError(f"SITE_URL must start with http:// or https://, not {site_url!r}")
    sender = str(env.get("MAIL_FROM") or mail.get("from") or DEFAULT_SENDER).strip()
    return {"smtp_url": smtp_url, "mail_dir": mail_dir, "mail_from": sender, "site_url": site_url}


def _days(name: str, value: object, default: int) -> timedelta:
    """A number of days (at least one); unset means `default`."""
    if value is None or value == "":
        return timedelta(days=default)
    try:
        days = float(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a number of days, not {value!r}") from None
    if not days >= 1:
        raise ValueError(f"{name} must be at least 1 day, not {value!r}")
    return timedelta(days=days)


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
