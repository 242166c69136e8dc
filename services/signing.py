"""Become a mentor: sign the Code of Conduct with a typed name and be listed at once.

A signature is its own write-once row naming the version of the Code (by SHA-256) that was shown.
Signing up, re-submitting and resuming a paused listing all sign the current version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import CodeVersion, Mentor, Signature
from models.vocabulary import ListingStatus
from services import audit
from services.audit import Action, Actor
from services.code_of_conduct import CodeOfConduct, record_code_version
from services.listings import (
    InvalidSubmission,
    NotAllowedNow,
    credential_hash,
    is_blocked,
    new_credential,
    owned_listing,
    write_profile,
)
from services.matching import signature_matches_name
from services.profile import CleanProfile, ProfileInput, validate_profile
from services.text import clean_text

MAX_TYPED_NAME = 200


class AlreadyListed(Exception):
    """This email or LinkedIn profile is already listed: manage that listing instead."""


class SignUpRefused(Exception):
    """This person can't be listed (a ban). The page says so calmly and reveals nothing more."""


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
    resubmitted: bool


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
    """List a new mentor, or list again someone whose listing was paused, removed or deleted."""
    clean, errors = validate_profile(profile)
    errors |= signature_errors(full_name=profile.full_name, signature=signature)
    if errors or clean is None:
        raise InvalidSubmission(errors)
    if is_blocked(session, email_key=clean.email_key, linkedin_key=clean.linkedin_key):
        raise SignUpRefused()
    mentor = _existing_listing(session, clean)
    resubmitted = mentor is not None
    if mentor is None:
        mentor = Mentor(created_at=now)
        session.add(mentor)
    write_profile(mentor, clean)
    credential = new_credential()
    mentor.manage_token_hash = credential_hash(credential)
    mentor.status = ListingStatus.LISTED.value
    mentor.status_before_takedown = None
    mentor.listed_at = mentor.status_changed_at = mentor.updated_at = now
    session.flush()
    occasion = "resubmit" if resubmitted else "sign_up"
    _add_signature(
        session, mentor=mentor, signature=signature, code=code, occasion=occasion, now=now
    )
    action = Action.RESUBMITTED if resubmitted else Action.SIGNED_UP
    audit.record(session, action=action, actor=Actor.MENTOR, mentor_id=mentor.id, now=now)
    return SignUpResult(mentor_id=mentor.id, credential=credential, resubmitted=resubmitted)


def resume_listing(
    session: Session,
    *,
    credential: str,
    signature: SignatureInput,
    code: CodeOfConduct,
    now: datetime,
) -> None:
    """Put a paused listing back on the directory, signing the current Code again."""
    mentor = owned_listing(session, credential)
    if mentor.status != ListingStatus.PAUSED.value:
        raise NotAllowedNow("Only a paused listing can be resumed.")
    errors = signature_errors(full_name=mentor.full_name, signature=signature)
    if errors:
        raise InvalidSubmission(errors)
    mentor.status = ListingStatus.LISTED.value
    mentor.listed_at = mentor.status_changed_at = mentor.updated_at = now
    _add_signature(
        session, mentor=mentor, signature=signature, code=code, occasion="resume", now=now
    )
    audit.record(session, action=Action.RESUMED, actor=Actor.MENTOR, mentor_id=mentor.id, now=now)


def _existing_listing(session: Session, profile: CleanProfile) -> Mentor | None:
    """The listing this person already has (by email or LinkedIn profile), if it can be re-used."""
    matches = list(
        session.scalars(
            select(Mentor)
            .where(
                or_(
                    Mentor.email_key == profile.email_key,
                    Mentor.linkedin_key == profile.linkedin_key,
                )
            )
            .with_for_update()
        )
    )
    if any(m.status == ListingStatus.LISTED.value for m in matches):
        raise AlreadyListed()
    if any(m.status == ListingStatus.BANNED.value for m in matches):
        raise SignUpRefused()
    if len(matches) > 1:
        raise InvalidSubmission(
            {
                "linkedin_url": "This LinkedIn profile belongs to another listing than this email. "
                "Use the email and LinkedIn profile of the same listing."
            }
        )
    return matches[0] if matches else None


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
