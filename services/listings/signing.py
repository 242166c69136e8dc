"""Become a mentor: sign the Code of Conduct with a typed name; listed once the address is confirmed.

A signature is its own write-once row naming the version of the Code (by SHA-256) that was shown.
Signing up and resuming a paused listing (re-submitting) both sign the current version. What the
inbox gets, and how the link lists the mentor: services/listings/confirmation.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import CodeVersion, Mentor, Signature
from services.accounts import throttle
from services.audit.audit_log import MENTOR
from services.core.matching import signature_matches_name
from services.core.refusals import InvalidSubmission
from services.core.text import clean_text
from services.core.vocabulary import ActorKind
from services.evidence import receipts
from services.listings import confirmation
from services.listings.code_of_conduct import CodeOfConduct, record_code_version
from services.listings.listing_lifecycle import ListingAction, move_listing, require
from services.listings.owner import owned_listing
from services.listings.profile import ProfileInput, validate_profile
from services.listings.profile_fields import write_profile

MAX_TYPED_NAME = 200
# Sign-ups from one client address: enough for a family or a shared office, not for a flood.
SIGN_UPS_PER_CLIENT = throttle.Limit("sign_up_client", 10, timedelta(hours=1))


@dataclass(frozen=True)
class SignatureInput:
    """The signing part of the form, and where it came from."""

    agreed: bool
    typed_name: str
    user_agent: str | None = None
    ip_address: str | None = None


@dataclass(frozen=True)
class SignatureRecord:
    typed_name: str
    agreement_text: str
    code_sha256: str
    occasion: str
    signed_at: datetime
    user_agent: str | None
    ip_address: str | None


@dataclass(frozen=True)
class SignUpReceived:
    """What the page may say: where the mail went (the address as typed), and nothing else."""

    email: str


def signature_errors(*, full_name: str, signature: SignatureInput) -> dict[str, str]:
    """What is wrong with the agreement box and the typed name, if anything."""
    errors: dict[str, str] = {}
    typed_name = clean_text(signature.typed_name)  # what _add_signature stores
    if not signature.agreed:
        errors["agreed"] = "Please tick the box to agree to the Code of Conduct."
    if not typed_name.strip():
        errors["typed_name"] = "Please type your full name to sign."
    elif len(typed_name) > MAX_TYPED_NAME:
        errors["typed_name"] = f"Please keep this to {MAX_TYPED_NAME} characters."
    elif full_name.strip() and not signature_matches_name(
        full_name=full_name, typed_name=signature.typed_name
    ):
        errors["typed_name"] = (
            "The name you typed doesn't match the full name in your profile. Type it as it "
            "appears there (capitals and extra spaces don't matter)."
        )
    return errors


def sign_code_of_conduct(
    session: Session,
    *,
    profile: ProfileInput,
    signature: SignatureInput,
    code: CodeOfConduct,
    now: datetime,
    client_key: str = throttle.UNKNOWN_CLIENT,
) -> SignUpReceived:
    """Take a sign-up: a new listing awaiting confirmation, and a mail with the link to confirm.

    The answer is the same for every address. An email or LinkedIn profile that a listing still
    holds, or that a ban blocks, makes no new listing: the holder's address is told (a waiting
    sign-up gets its link again), a banned one nothing (services/listings/confirmation.py). A
    sign-up never re-uses, overwrites or locks out a listing, and never says whose it is.
    """
    clean, errors = validate_profile(profile)
    errors |= signature_errors(full_name=profile.full_name, signature=signature)
    if errors or clean is None:
        raise InvalidSubmission(errors)
    throttle.take(session, limits=[(SIGN_UPS_PER_CLIENT, client_key)], now=now)
    received = SignUpReceived(email=clean.email)
    if confirmation.answer_existing(session, clean, now=now):
        return received
    mentor = Mentor(created_at=now)
    write_profile(mentor, clean)
    try:
        with session.begin_nested():  # the same person submitting twice at once: one listing
            session.add(mentor)
            move_listing(session, mentor, ListingAction.SIGN_UP, actor=MENTOR, now=now)
    except IntegrityError:
        return received  # the other submission made the listing and mails the link
    _add_signature(session, mentor=mentor, signature=signature, code=code, occasion="sign_up", now=now)
    confirmation.send_link(session, mentor, now=now)
    return received


def resume_listing(
    session: Session,
    *,
    credential: str,
    signature: SignatureInput,
    code: CodeOfConduct,
    now: datetime,
) -> None:
    """Put a paused listing back on the directory (the owner re-submits), signing the Code again."""
    mentor = owned_listing(session, credential)
    require(mentor, ListingAction.RESUME, actor=ActorKind.MENTOR)
    errors = signature_errors(full_name=mentor.full_name, signature=signature)
    if errors:
        raise InvalidSubmission(errors)
    move_listing(session, mentor, ListingAction.RESUME, actor=MENTOR, now=now)
    _add_signature(session, mentor=mentor, signature=signature, code=code, occasion="resume", now=now)


def _add_signature(
    session: Session,
    *,
    mentor: Mentor,
    signature: SignatureInput,
    code: CodeOfConduct,
    occasion: str,
    now: datetime,
) -> None:
    audit_event_id, receipt_code = receipts.stamp(session, mentor_id=mentor.id)
    session.add(
        Signature(
            mentor_id=mentor.id,
            receipt_code=receipt_code,
            audit_event_id=audit_event_id,
            code_version_id=record_code_version(session, code=code),
            typed_name=clean_text(signature.typed_name),  # as typed, less invisible characters
            agreement_text=code.agreement_label,
            occasion=occasion,
            signed_at=now,
            user_agent=clean_text(signature.user_agent or "")[:500] or None,
            ip_address=clean_text(signature.ip_address or "")[:64] or None,
        )
    )


def signatures_of(session: Session, *, mentor_id: int) -> list[SignatureRecord]:
    """Everything a mentor has signed, newest first, with the Code version it names."""
    rows = session.execute(
        select(Signature, CodeVersion.sha256)
        .join(CodeVersion, CodeVersion.id == Signature.code_version_id)
        .where(Signature.mentor_id == mentor_id)
        .order_by(Signature.signed_at.desc(), Signature.id.desc())
    ).all()
    return [
        SignatureRecord(
            typed_name=s.typed_name,
            agreement_text=s.agreement_text,
            code_sha256=sha,
            occasion=s.occasion,
            signed_at=s.signed_at,
            user_agent=s.user_agent,
            ip_address=s.ip_address,
        )
        for s, sha in rows
    ]


def code_texts_signed(session: Session, *, mentor_id: int) -> dict[str, str]:
    """The full text of each version of the Code this mentor signed, by SHA-256."""
    rows = session.execute(
        select(CodeVersion.sha256, CodeVersion.text).where(
            CodeVersion.id.in_(
                select(Signature.code_version_id).where(Signature.mentor_id == mentor_id)
            )
        )
    )
    return {str(row[0]): str(row[1]) for row in rows}
