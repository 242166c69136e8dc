"""What each kind of mail says: plain text in the app's voice, with the way to reach the team.

A template gets only the values stored with its mail (services/mail/outbox.py) and the site's own
frame (its address, the team's contact address); never another person's data. Links carry a
token that is stored nowhere else but as a hash (services/listings/links.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

from services.core.vocabulary import LabelledEnum
from services.mail import code_version_texts, enforcement_texts, evidence_texts
from services.mail.headers import MAIL_POLICY

SITE_NAME = "We Are Next Mentors"


class Kind(LabelledEnum):
    """A kind of mail; the label is how the console names it."""

    CONFIRM_SIGN_UP = ("confirm_sign_up", "Confirm a sign-up")
    ALREADY_LISTED = ("already_listed", "Sign-up with an address already listed")
    MANAGE_LINK = ("manage_link", "Link to manage a listing")
    CONFIRM_NEW_ADDRESS = ("confirm_new_address", "Confirm a new address")
    ADDRESS_CHANGING = ("address_changing", "Address being changed (to the old address)")
    STILL_AVAILABLE = ("still_available", "Are you still available?")
    PAUSED_UNANSWERED = ("paused_unanswered", "Listing paused for no answer")
    BACK_ON_DATE = ("back_on_date", "Listed again on the date set")
    NOTE_ENDED = ("note_ended", "Availability note ended on its date")
    REPORT_ACKNOWLEDGED = ("report_acknowledged", "Report acknowledged (to the reporter)")
    REPORT_DECIDED = ("report_decided", "Report decided (to the reporter)")
    WARNED = ("warned", "Warning (to the mentor)")
    REMOVED_FOR_DAYS = ("removed_for_days", "Removed for a number of days (to the mentor)")
    REMOVED = ("removed", "Removed (to the mentor)")
    BANNED = ("banned", "Banned (to the mentor)")
    BACK_AFTER_REMOVAL = ("back_after_removal", "Listed again after a removal for days")
    APPEAL_DECIDED = ("appeal_decided", "Appeal decided (to the mentor)")
    NEW_CODE = ("new_code", "A new version of the Code to sign")
    PAUSED_CODE_NOT_SIGNED = ("paused_code_not_signed", "Listing paused: the new Code not signed")
    AUDIT_CHAIN_BROKEN = ("audit_chain_broken", "The audit log's chain found broken (to the team)")
    TEST = ("test", "Test mail from the console")


# The values each kind's template needs (anything else is refused when the mail is queued).
NEEDS: dict[Kind, frozenset[str]] = {
    Kind.CONFIRM_SIGN_UP: frozenset({"name", "token", "receipt"}),
    Kind.ALREADY_LISTED: frozenset(),
    Kind.MANAGE_LINK: frozenset({"token"}),
    Kind.CONFIRM_NEW_ADDRESS: frozenset({"name", "token"}),
    Kind.ADDRESS_CHANGING: frozenset({"name"}),
    Kind.STILL_AVAILABLE: frozenset({"name", "token"}),
    Kind.PAUSED_UNANSWERED: frozenset({"name", "token"}),
    Kind.BACK_ON_DATE: frozenset({"name"}),
    Kind.NOTE_ENDED: frozenset({"name", "note"}),
    Kind.REPORT_ACKNOWLEDGED: frozenset({"reference"}),
    Kind.REPORT_DECIDED: frozenset({"reference", "outcome", "message"}),
    Kind.WARNED: frozenset({"name", "clause", "words"}),
    Kind.REMOVED_FOR_DAYS: frozenset({"name", "clause", "words", "until"}),
    Kind.REMOVED: frozenset({"name", "clause", "words"}),
    Kind.BANNED: frozenset({"name", "clause", "words"}),
    Kind.BACK_AFTER_REMOVAL: frozenset({"name"}),
    Kind.APPEAL_DECIDED: frozenset({"name", "decision", "outcome", "message"}),
    Kind.NEW_CODE: frozenset({"name", "token", "sign_by"}),
    Kind.PAUSED_CODE_NOT_SIGNED: frozenset({"name", "token"}),
    Kind.AUDIT_CHAIN_BROKEN: frozenset({"row", "problem"}),
    Kind.TEST: frozenset(),
}
# Values that open something: the relay blanks them once the mail is out, outside the local setup.
SECRET_VALUES = frozenset({"token"})


@dataclass(frozen=True)
class Frame:
    """What every mail shares: where the site is, who it comes from, how to reach the team."""

    site_url: str  # e.g. https://mentors.example.org, no trailing slash
    sender: str
    contact_email: str | None = None


def check_values(kind: Kind, values: dict[str, Any]) -> None:
    """Refuse a mail whose values don't fit its template (a programming error, not a person's)."""
    if set(values) != NEEDS[kind]:
        raise ValueError(f"{kind.value} needs {sorted(NEEDS[kind])}, got {sorted(values)}")


def link(frame: Frame, path: str, token: str) -> str:
    return f"{frame.site_url}{path}?token={quote(token, safe='')}"


# Where each kind's link leads (the page that takes its token).
LINK_PATHS = {Kind.CONFIRM_SIGN_UP: "/confirm", Kind.MANAGE_LINK: "/manage-link",
              Kind.CONFIRM_NEW_ADDRESS: "/confirm-address", Kind.STILL_AVAILABLE: "/still-available",
              Kind.PAUSED_UNANSWERED: "/still-available", Kind.NEW_CODE: "/new-code",
              Kind.PAUSED_CODE_NOT_SIGNED: "/new-code"}  # fmt: skip


def links_of(kind: Kind, values: dict[str, Any], frame: Frame) -> list[str]:
    """The links a mail of this kind carries (none once its token is blanked)."""
    path = LINK_PATHS.get(kind)
    return [link(frame, path, values["token"])] if path and values.get("token") else []


def _the_link(kind: Kind, values: dict[str, Any], frame: Frame) -> str:
    found = links_of(kind, values, frame)
    return found[0] if found else "(the link went out with this mail; we keep only its hash)"


def render(kind: Kind, values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    """The subject and plain-text body of a mail of this kind."""
    subject, body = _TEXTS[kind](values, frame)
    return subject, f"{body.strip()}\n\n{_signature(frame)}\n"


def message(
    *, kind: Kind, values: dict[str, Any], recipient: str, message_id: str, frame: Frame,
    when: Any,
) -> EmailMessage:  # fmt: skip
    """The mail as it goes over SMTP (or into a .eml file)."""
    subject, body = render(kind, values, frame)
    mail = EmailMessage(policy=MAIL_POLICY)
    mail["From"] = frame.sender
    mail["To"] = recipient
    mail["Subject"] = subject
    mail["Message-ID"] = message_id
    mail["Date"] = format_datetime(when)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(body)
    return mail


def _signature(frame: Frame) -> str:
    reach = (f"Questions? Write to us at {frame.contact_email}." if frame.contact_email
             else f"Questions? Reply through the contact details on {frame.site_url}.")  # fmt: skip
    return f"-- \nThe {SITE_NAME} team\n{frame.site_url}\n{reach}"


def _confirm_sign_up(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Confirm your listing on We Are Next Mentors", f"""
Hello {values["name"]},

Thank you for signing the Code of Conduct. One step is left: confirm that this address is yours,
and your listing goes into the directory.

Open this link and press "Confirm and list me" (the link works for 72 hours, once):
{_the_link(Kind.CONFIRM_SIGN_UP, values, frame)}

If you didn't sign up, ignore this mail: nothing is listed without the confirmation, and the
sign-up is deleted after a week.
{_receipt(values)}"""


def _receipt(values: dict[str, Any]) -> str:
    if not values["receipt"]:
        return ""
    return ("\nYour receipt for the signature (keep it; anyone can check its verification code on "
            f"\"Check a receipt\"):\n\n{values['receipt']}\n")


def _already_listed(_values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "About your listing on We Are Next Mentors", f"""
Hello,

Someone (probably you) just tried to sign up on We Are Next Mentors with this address. It already
belongs to a listing, so nothing new was made and nothing was changed.

To pause, edit or re-submit your listing, open Manage my listing and ask for a link by mail, or
use your private code:
{frame.site_url}/manage-my-listing

If it wasn't you, you don't need to do anything.
"""


def _manage_link(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Your link to manage your listing", f"""
Hello,

Here is the link you asked for. It opens Manage my listing for your listing in the browser where
you open it. It works once, for one hour:
{_the_link(Kind.MANAGE_LINK, values, frame)}

If you didn't ask for it, ignore this mail: nobody can use the link without this mailbox.
"""


def _confirm_new_address(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Confirm your new address on We Are Next Mentors", f"""
Hello {values["name"]},

You asked to use this address for your listing on We Are Next Mentors. Open this link and press
"Confirm my new address" (it works for 72 hours, once); until then, your listing keeps the old one:
{_the_link(Kind.CONFIRM_NEW_ADDRESS, values, frame)}

If you didn't ask for this, ignore this mail: nothing changes without the confirmation.
"""


def _address_changing(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Your listing's address is being changed", f"""
Hello {values["name"]},

Someone with access to your listing on We Are Next Mentors asked to move it to a new email
address. It changes only once the new address confirms it; this address stays until then.

If this wasn't you, open Manage my listing, ask for a link by mail to this address, and check
your listing; if something is wrong, write to us.
{frame.site_url}/manage-my-listing
"""


def _still_available(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Are you still available to mentees?", f"""
Hello {values["name"]},

It has been a while since you last told us you are available to mentees on We Are Next Mentors.
The Code asks us to keep the page true ("No ghosting allowed"), so: are you still available?

Open this link and press "Yes, keep me listed" or "Pause my listing":
{_the_link(Kind.STILL_AVAILABLE, values, frame)}

Busy for now? Pausing is fine: you come back whenever you like. If we hear nothing in two weeks,
we pause your listing for you, and you can come back in one click.
"""


def _paused_unanswered(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Your listing is paused for now", f"""
Hello {values["name"]},

We asked whether you are still available to mentees and didn't hear back, so we have paused
your listing. Nothing else changed, and this is not a penalty.

To come back, open this link and press "Yes, keep me listed":
{_the_link(Kind.PAUSED_UNANSWERED, values, frame)}
"""


def _back_on_date(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Welcome back: your listing is live again", f"""
Hello {values["name"]},

You paused your listing on We Are Next Mentors until today, so it is back in the directory and
mentees can find you again.

Need longer? Pause it again on Manage my listing:
{frame.site_url}/manage-my-listing
"""


def _note_ended(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Your availability note has ended", f"""
Hello {values["name"]},

The note on your listing ("{values["note"]}") was set to last until today, so we have taken it
off. If you still need it, add it again on Manage my listing:
{frame.site_url}/manage-my-listing
"""


def _report_acknowledged(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return f"Your report {values['reference']} is with a moderator", f"""
Hello,

A moderator of We Are Next Mentors has your report {values["reference"]} and is working on it.
We'll write again when it is decided. Meanwhile, "Follow my report" shows where it is, with the
reference and the case code you were given:
{frame.site_url}/follow-my-report

We never tell the mentor who reported them.
"""


def _report_decided(values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    said = f"\nThe moderators' message to you:\n\n{values['message']}\n" if values["message"] else ""
    return f"Your report {values['reference']} has been decided", f"""
Hello,

The moderators of We Are Next Mentors have decided on your report {values["reference"]}:
{values["outcome"]}.
{said}
Thank you for telling us. "Follow my report" keeps this answer, with the reference and the case
code you were given:
{frame.site_url}/follow-my-report
"""


def _test(_values: dict[str, Any], frame: Frame) -> tuple[str, str]:
    return "Test mail from We Are Next Mentors", f"""
Hello,

A moderator sent this test from the console of {frame.site_url} to check that mail goes out.
"""


_TEXTS = {
    Kind.CONFIRM_SIGN_UP: _confirm_sign_up,
    Kind.ALREADY_LISTED: _already_listed,
    Kind.MANAGE_LINK: _manage_link,
    Kind.CONFIRM_NEW_ADDRESS: _confirm_new_address,
    Kind.ADDRESS_CHANGING: _address_changing,
    Kind.STILL_AVAILABLE: _still_available,
    Kind.PAUSED_UNANSWERED: _paused_unanswered,
    Kind.BACK_ON_DATE: _back_on_date,
    Kind.NOTE_ENDED: _note_ended,
    Kind.REPORT_ACKNOWLEDGED: _report_acknowledged,
    Kind.REPORT_DECIDED: _report_decided,
    Kind.WARNED: enforcement_texts.warned,
    Kind.REMOVED_FOR_DAYS: enforcement_texts.removed_for_days,
    Kind.REMOVED: enforcement_texts.removed,
    Kind.BANNED: enforcement_texts.banned,
    Kind.BACK_AFTER_REMOVAL: enforcement_texts.back_after_removal,
    Kind.APPEAL_DECIDED: enforcement_texts.appeal_decided,
    Kind.NEW_CODE: code_version_texts.new_code,
    Kind.PAUSED_CODE_NOT_SIGNED: code_version_texts.paused_code_not_signed,
    Kind.AUDIT_CHAIN_BROKEN: evidence_texts.audit_chain_broken,
    Kind.TEST: _test,
}


def frame_of(settings: Any) -> Frame:
    """The frame from the app's settings (services.core.settings.Settings)."""
    return Frame(site_url=settings.site_url, sender=settings.mail_from,
                 contact_email=settings.contact_email)  # fmt: skip
