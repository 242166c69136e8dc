"""Become a mentor: sign the Code of Conduct with a typed name and be listed at once.

A signature is its own write-once row naming the version of the Code (by SHA-256) that was shown.
Signing up and resuming a paused listing (re-submitting) both sign the current version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import CodeVersion, Mentor, Signature
from services.audit.audit_log import MENTOR
from services.core.matching import signature_matches_name
from services.core.refusals import InvalidSubmission, SignUpRefused
from services.core.text import clean_text
from services.core.vocabulary import ActorKind
from services.listings.blocks import identity_taken
from services.listings.code_of_conduct import CodeOfConduct, record_code_version
from services.listings.listing_lifecycle import ListingAction, move_listing, require
from services.listings.owner import credential_hash, new_credential, owned_listing
from services.listings.profile import ProfileInput, validate_profile
from services.listings.profile_fields import write_profile

MAX_TYPED_NAME = 200


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
class SignUpResult:
    mentor_id: int
    credential: str


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
) -> SignUpResult:
    """List a new mentor at once, with a private credential to manage the listing later.

    An email or LinkedIn profile that any listing still holds (listed, paused, taken down) or
    that a ban blocks gets one neutral refusal: a sign-up never re-uses, overwrites or locks
    out a listing, and never says whose it is or why. Owners come back through Manage my listing.
    """
    clean, errors = validate_profile(profile)
    errors |= signature_errors(full_name=profile.full_name, signature=signature)
    if errors or clean is None:
        raise InvalidSubmission(errors)
    if identity_taken(session, email_key=clean.email_key, linkedin_key=clean.linkedin_key):
        raise SignUpRefused()
    credential = new_credential()
    mentor = Mentor(created_at=now, manage_token_hash=credential_hash(credential))
    write_profile(mentor, clean)
    try:
        with session.begin_nested():  # the same person submitting twice at once: one listing
            session.add(mentor)
            move_listing(session, mentor, ListingAction.SIGN_UP, actor=MENTOR, now=now)
    except IntegrityError:
        raise SignUpRefused() from None
    _add_signature(session, mentor=mentor, signature=signature, code=code, occasion="sign_up", now=now)
    return SignUpResult(mentor_id=mentor.id, credential=credential)


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
    session.add(
        Signature(
            mentor_id=mentor.id,
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
