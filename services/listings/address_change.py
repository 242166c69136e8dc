"""A listing's email address changes only once the new address confirms it.

An edit that gives a new address keeps the old one on the listing, mails a link (single-use, 72
hours) to the new address, and tells the old address that a change was asked for. The link's
button (server/listing_link_routes.py) makes the change through the listing's door, as an edit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Mentor
from services.audit.audit_log import MENTOR
from services.core.refusals import NotAllowedNow
from services.core.vocabulary import ListingStatus
from services.listings import links
from services.listings.blocks import identity_taken
from services.listings.links import Purpose
from services.listings.listing_lifecycle import ListingAction, lock_listing, move_listing
from services.listings.profile import CleanProfile, email_key, validate_profile
from services.listings.profile_fields import profile_of
from services.mail import outbox
from services.mail.templates import Kind

CHANGEABLE = (ListingStatus.LISTED.value, ListingStatus.PAUSED.value)


class AddressTaken(NotAllowedNow):
    message = ("This address now belongs to another listing, so it can't be used for yours. "
               "Your listing keeps its address.")  # fmt: skip


class NotChangeable(NotAllowedNow):
    message = "This listing's address can't be changed now (it was taken down or deleted)."


def hold_new_address(session: Session, mentor: Mentor, clean: CleanProfile, *, now: datetime) -> CleanProfile:
    """The profile to save now: the edit, with the listing's current address. A new address gets
    its confirmation link and the old one a note (each within its share of mail)."""
    if mentor.email is None or clean.email_key == mentor.email_key:
        return clean
    links.retire(session, mentor_id=mentor.id, purpose=Purpose.NEW_ADDRESS, now=now)
    if outbox.may_mail(session, address_key=clean.email_key, now=now):
        token = links.issue(session, mentor_id=mentor.id, purpose=Purpose.NEW_ADDRESS, now=now,
                            email=clean.email)  # fmt: skip
        outbox.queue(session, kind=Kind.CONFIRM_NEW_ADDRESS, recipient=clean.email, now=now,
                     values={"name": clean.full_name, "token": token}, mentor_id=mentor.id)  # fmt: skip
    if outbox.may_mail(session, address_key=mentor.email_key or "", now=now):
        outbox.queue(session, kind=Kind.ADDRESS_CHANGING, recipient=mentor.email, now=now,
                     values={"name": mentor.full_name}, mentor_id=mentor.id)  # fmt: skip
    return replace(clean, email=mentor.email)


def confirm_new_address(session: Session, *, token: str, now: datetime) -> str:
    """Use a new address's link: the listing's address becomes it (an edit); the address."""
    link = links.use(session, token=token, purpose=Purpose.NEW_ADDRESS, now=now)
    mentor = lock_listing(session, link.mentor_id)
    if mentor.status not in CHANGEABLE or link.email is None:
        raise NotChangeable()
    clean, errors = validate_profile(replace(profile_of(mentor), email=link.email))
    if clean is None:
        raise NotChangeable(next(iter(errors.values())))
    if identity_taken(session, email_key=email_key(link.email), linkedin_key=clean.linkedin_key,
                      other_than=mentor.id):  # fmt: skip
        raise AddressTaken()
    try:
        with session.begin_nested():
            move_listing(session, mentor, ListingAction.EDIT, actor=MENTOR, now=now, profile=clean,
                         reason="New email address confirmed")  # fmt: skip
    except IntegrityError:
        raise AddressTaken() from None
    return link.email
