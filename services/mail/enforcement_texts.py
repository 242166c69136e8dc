"""What the enforcement ladder's mails to a mentor say (services/listings/enforcement.py): the step
taken, the Code's own words for the part it enforces, and how to appeal. Templates are plain text
in the app's voice, given only the values stored with their mail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from services.mail.templates import Frame

APPEAL_DAYS = 20


def _the_part(values: dict[str, Any]) -> str:
    return f"""It enforces this part of our Code of Conduct ({values["clause"]}):

    "{values["words"]}"
"""


def _appeal(frame: Frame) -> str:
    return f"""If you think this decision is wrong, you can appeal it once, within {APPEAL_DAYS} days: open
Manage my listing (ask for a link by mail to this address, or use your private code) and choose
"Appeal this decision". A moderator who did not take it will decide, and we'll write to you.
{frame.site_url}/manage-my-listing"""


def warned(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "A warning about your mentoring on We Are Next Mentors", f"""
Hello {values["name"]},

The moderators of We Are Next Mentors looked at a concern about your mentoring and decided to
warn you. Your listing stays as it is.

{_the_part(values)}
Please take it to heart: if it happens again, the next step may be a removal from the directory.

{_appeal(frame)}
"""


def removed_for_days(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Your listing is off the directory for now", f"""
Hello {values["name"]},

The moderators of We Are Next Mentors decided to take your listing off the directory until
{values["until"]}. On that day it comes back by itself, as it was, and we'll tell you.

{_the_part(values)}
{_appeal(frame)}
"""


def removed(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Your listing has been removed from We Are Next Mentors", f"""
Hello {values["name"]},

The moderators of We Are Next Mentors decided to remove your listing from the directory.

{_the_part(values)}
{_appeal(frame)}
"""


def banned(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "You have been removed from We Are Next Mentors", f"""
Hello {values["name"]},

The moderators of We Are Next Mentors decided to remove your listing and not to list this email
address or LinkedIn profile again.

{_the_part(values)}
{_appeal(frame)}
"""


def back_after_removal(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Your listing is back on We Are Next Mentors", f"""
Hello {values["name"]},

The time your listing was off the directory has ended, so it is back as it was before. Thank you
for mentoring with the Code in mind.
{frame.site_url}/manage-my-listing
"""


def appeal_decided(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    said = f"\nThe moderators' message to you:\n\n{values['message']}\n" if values["message"] else ""
    return "Your appeal has been decided", f"""
Hello {values["name"]},

A moderator who did not take the decision has looked at your appeal of it:
{values["decision"]}.

Your appeal is {values["outcome"]}.
{said}
Manage my listing shows your listing as it is now:
{frame.site_url}/manage-my-listing
"""
