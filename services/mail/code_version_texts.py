"""What the mails about a new version of the Code say (services/evidence/code_versions.py): read
it and sign it again by a date, and, for those who didn't, that the listing is paused and how to
come back. Plain text in the app's voice, given only the values stored with their mail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from services.mail.templates import Frame

KEPT = "(the link went out with this mail; we keep only its hash)"


def _the_link(kind_value: str, values: dict[str, Any], frame: Frame) -> str:
    from services.mail.templates import Kind, links_of  # the templates module imports this one

    found = links_of(Kind.of(kind_value), values, frame)
    return found[0] if found else KEPT


def new_code(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Our Code of Conduct has changed: please read it and sign again", f"""
Hello {values["name"]},

We have updated the Code of Conduct that every mentor on We Are Next Mentors signs. Please read
the new version and sign it again, the same way as when you signed up: tick the box and type your
full name. The page shows what changed since the version you signed.

Open this link and press "Open Manage my listing" (it works once):
{_the_link("new_code", values, frame)}

Please sign by {values["sign_by"]}. If you haven't by then, we pause your listing (that is not a
penalty), and you come back whenever you like by signing it.

Link used already? Open Manage my listing and ask for a new link by mail:
{frame.site_url}/manage-my-listing
"""


def paused_code_not_signed(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Your listing is paused until you sign the new Code", f"""
Hello {values["name"]},

We updated our Code of Conduct and asked every mentor to sign the new version by a set date.
We haven't had your signature, so we have paused your listing. Nothing else changed, and this is
not a penalty.

To come back, open this link, press "Open Manage my listing", then read the new Code and sign it
(tick the box and type your full name) under "Resume your listing":
{_the_link("paused_code_not_signed", values, frame)}

Link used already? Open Manage my listing and ask for a new link by mail:
{frame.site_url}/manage-my-listing
"""
