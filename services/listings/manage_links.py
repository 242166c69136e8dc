"""Manage my listing from a mailed link, for a mentor who lost the private code.

"Email me a link" answers every address alike. A listed, paused or removed listing's address gets
a link (single-use, one hour); a sign-up still waiting gets its confirmation link again; anything
else (no listing, a banned one) gets nothing. Asking is limited per client address, and mail to
one address per hour (services/listings/confirmation.py), both kept in the database. Using the
link leaves an owner session in that browser (services/listings/links.py), which opens the
listing on Manage my listing the way the private code does; the private code keeps working.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Mentor
from services.accounts import throttle
from services.core.refusals import InvalidSubmission
from services.core.text import clean_line
from services.core.vocabulary import ListingStatus
from services.listings import confirmation, links
from services.listings.links import Purpose
from services.listings.profile import EMAIL_PATTERN, email_key
from services.mail import outbox
from services.mail.templates import Kind

LINKS_PER_CLIENT = throttle.Limit("manage_link_client", 5, timedelta(hours=1))
MANAGEABLE = (ListingStatus.LISTED.value, ListingStatus.PAUSED.value, ListingStatus.REMOVED.value)
MAX_EMAIL = 254


def request_link(session: Session, *, email: str, client_key: str, now: datetime) -> None:
    """Mail a link to manage the listing this address belongs to, if any; the same for all."""
    address = clean_line(email)
    if not EMAIL_PATTERN.match(address) or len(address) > MAX_EMAIL:
        raise InvalidSubmission(
            {"email": "This doesn't look like an email address, e.g. name@example.com."}
        )
    throttle.take(session, limits=[(LINKS_PER_CLIENT, client_key)], now=now)
    key = email_key(address)
    mentor = session.scalar(select(Mentor).where(Mentor.email_key == key))
    if mentor is None or mentor.email is None:
        return
    if mentor.status == ListingStatus.UNCONFIRMED.value:
        confirmation.send_link(session, mentor, now=now)
    elif mentor.status in MANAGEABLE and outbox.may_mail(session, address_key=key, now=now):
        links.retire(session, mentor_id=mentor.id, purpose=Purpose.MANAGE, now=now)
        token = links.issue(session, mentor_id=mentor.id, purpose=Purpose.MANAGE, now=now,
                            email=mentor.email)  # fmt: skip
        outbox.queue(session, kind=Kind.MANAGE_LINK, recipient=mentor.email, values={"token": token},
                     now=now, mentor_id=mentor.id)  # fmt: skip


def open_from_link(session: Session, *, token: str, now: datetime) -> str:
    """Use a manage link (once): the owner session for this browser, to be set as its cookie."""
    link = links.use(session, token=token, purpose=Purpose.MANAGE, now=now)
    return links.issue(session, mentor_id=link.mentor_id, purpose=Purpose.OWNER_SESSION, now=now)


def close_owner_session(session: Session, *, token: str, now: datetime) -> None:
    """End this browser's owner session (the page's "close" button)."""
    link = links.look(session, token=token, purpose=Purpose.OWNER_SESSION, now=now)
    if link is not None and link.state is links.LinkState.VALID:
        links.use(session, token=token, purpose=Purpose.OWNER_SESSION, now=now)
