"""How people reach the team: the configured address ([contact] email or CONTACT_EMAIL)."""

from __future__ import annotations

from ui.db import settings
from ui.plain import md_escape


def write_to_us() -> str:
    """Markdown for "write to us", with the team's address as a mailto link when one is set."""
    email = settings().contact_email
    if not email:
        return "write to the We Are Next team"
    return f"write to us at [{md_escape(email)}](mailto:{email})"
