"""A sign-up's address is confirmed by a mailed link before the listing goes up.

The answer to a sign-up never says whether an address is new, waiting, listed or banned: the
page always says "check your inbox". What the inbox gets depends on the address: a link for a
new sign-up (or the same sign-up's link again while it waits), a note that the address or
LinkedIn profile already belongs to a listing, and nothing at all for what a ban blocks. Mail to
one address is limited per hour (services.accounts.throttle, kept in the database), so nobody
can flood a mailbox through the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Mentor
from services.audit.audit_log import MENTOR, SYSTEM
from services.core.refusals import NotAllowedNow
from services.core.vocabulary import ListingStatus
from services.listings import links
from services.listings.blocks import blocked_kinds
from services.listings.links import LinkState, Purpose
from services.listings.listing_lifecycle import ListingAction, lock_listing, move_listing
from services.listings.owner import credential_hash, new_credential
from services.listings.profile import CleanProfile
from services.mail import outbox
from services.mail.templates import Kind

UNCONFIRMED_KEPT = timedelta(days=7)


@dataclass(frozen=True)
class Confirmed:
    """A listing that went up: its id, and its new private code (shown once, on the page)."""

    mentor_id: int
    credential: str


class AlreadyConfirmed(NotAllowedNow):
    message = "This sign-up is already confirmed: the listing is up. Manage it on Manage my listing."


def answer_existing(session: Session, clean: CleanProfile, *, now: datetime) -> bool:
    """Mail what an address that is blocked or already held should get; False when it is free
    (the caller signs it up)."""
    if blocked_kinds(session, email_key=clean.email_key, linkedin_key=clean.linkedin_key):
        return True  # a ban: never mailed
    holder = session.scalar(
        select(Mentor).where(or_(Mentor.email_key == clean.email_key,
                                 Mentor.linkedin_key == clean.linkedin_key))
        .order_by(Mentor.email_key == clean.email_key).limit(1)
    )  # fmt: skip
    if holder is None:
        return False
    if holder.status == ListingStatus.BANNED.value:
        return True
    if holder.status == ListingStatus.UNCONFIRMED.value and holder.email_key == clean.email_key:
        send_link(session, holder, now=now)  # the same sign-up, its link again
    elif outbox.may_mail(session, address_key=clean.email_key, now=now):
        outbox.queue(session, kind=Kind.ALREADY_LISTED, recipient=clean.email, values={}, now=now)
    return True


def send_link(session: Session, mentor: Mentor, *, now: datetime) -> None:
    """A fresh confirmation link for this waiting sign-up; earlier ones stop working."""
    if not mentor.email or not outbox.may_mail(session, address_key=mentor.email_key or "", now=now):
        return
    links.retire(session, mentor_id=mentor.id, purpose=Purpose.CONFIRM, now=now)
    token = links.issue(session, mentor_id=mentor.id, purpose=Purpose.CONFIRM, now=now,
                        email=mentor.email)  # fmt: skip
    # The signature's receipt goes in when the relay first sends it (services/mail/relay.py).
    outbox.queue(session, kind=Kind.CONFIRM_SIGN_UP, recipient=mentor.email, now=now,
                 values={"name": mentor.full_name, "token": token, "receipt": ""},
                 mentor_id=mentor.id)  # fmt: skip


def confirm_sign_up(session: Session, *, token: str, now: datetime) -> Confirmed:
    """Use a confirmation link: the listing goes up, with a new private code."""
    link = links.use(session, token=token, purpose=Purpose.CONFIRM, now=now)
    mentor = lock_listing(session, link.mentor_id)
    if mentor.status != ListingStatus.UNCONFIRMED.value:
        raise AlreadyConfirmed()
    credential = new_credential()
    move_listing(session, mentor, ListingAction.CONFIRM, actor=MENTOR, now=now,
                 credential_hash=credential_hash(credential))  # fmt: skip
    links.retire(session, mentor_id=mentor.id, purpose=Purpose.CONFIRM, now=now)
    return Confirmed(mentor.id, credential)


def send_new_link(session: Session, *, token: str, now: datetime) -> None:
    """From an expired link's page: a new link to the same address, if the sign-up still waits.
    Says nothing either way (the page always answers "if it still waits, a new link is on its
    way")."""
    link = links.look(session, token=token, purpose=Purpose.CONFIRM, now=now)
    if link is None or link.state is not LinkState.EXPIRED:
        return
    mentor = lock_listing(session, link.mentor_id)
    if mentor.status == ListingStatus.UNCONFIRMED.value:
        send_link(session, mentor, now=now)


def confirmation_page(session: Session, *, token: str, now: datetime) -> tuple[LinkState, str | None]:
    """What a confirmation link's page shows before anything is pressed: the link's state and,
    while it is valid, the name on the sign-up it confirms (nothing changes on GET)."""
    link = links.look(session, token=token, purpose=Purpose.CONFIRM, now=now)
    if link is None:
        return LinkState.UNKNOWN, None
    if link.state is not LinkState.VALID:
        return link.state, None
    mentor = session.get(Mentor, link.mentor_id)
    if mentor is None or mentor.status != ListingStatus.UNCONFIRMED.value:
        return LinkState.USED, None
    return LinkState.VALID, mentor.full_name


def drop_unconfirmed(session: Session, *, now: datetime) -> int:
    """Delete the sign-ups never confirmed within UNCONFIRMED_KEPT (their profile and contact
    data are blanked, the row and its history stay); how many."""
    ids = session.scalars(
        select(Mentor.id).where(Mentor.status == ListingStatus.UNCONFIRMED.value,
                                Mentor.created_at < now - UNCONFIRMED_KEPT).order_by(Mentor.id)
    ).all()  # fmt: skip
    for mentor_id in ids:
        mentor = lock_listing(session, mentor_id)
        if mentor.status == ListingStatus.UNCONFIRMED.value:
            move_listing(session, mentor, ListingAction.DROP_UNCONFIRMED, actor=SYSTEM, now=now)
            links.retire(session, mentor_id=mentor_id, purpose=Purpose.CONFIRM, now=now)
    return len(ids)

