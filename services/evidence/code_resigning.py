"""Signing a new version of the Code again, from Manage my listing, and who has signed which.

The mailed link (purpose "new_code") opens Manage my listing in that browser, like a manage link.
There a listed mentor who hasn't signed the current version sees what changed since the version
they last signed (lines added and removed, as plain text) and signs it the same way as at sign-up:
the box and the typed name (signing.signature_errors), a write-once Signature, occasion
"new_version". A listing paused because the Code was not signed comes back by resuming, which
signs the current version too (signing.resume_listing).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import CodeVersion, CodeVersionRound, ListingLink, Mentor, Signature
from services.audit import audit_log
from services.core.refusals import InvalidSubmission, NotAllowedNow
from services.core.vocabulary import ListingStatus
from services.evidence.code_versions import CodeRound, current_round, signed
from services.listings import links
from services.listings.code_of_conduct import CodeOfConduct
from services.listings.links import Purpose
from services.listings.owner import owned_listing
from services.listings.signing import SignatureInput, _add_signature, signature_errors

LISTED = ListingStatus.LISTED.value
NEW_VERSION = "new_version"  # the signature's occasion
MAX_CHANGED_LINES = 400


@dataclass(frozen=True)
class Change:
    """One line of the Code that changed: "added" or "removed", and the line as written."""

    kind: str
    line: str


@dataclass(frozen=True)
class ToSign:
    """What Manage my listing shows a mentor who hasn't signed the current version."""

    sign_by: datetime | None
    last_signed_at: datetime | None  # None: they never signed any version we kept
    changes: tuple[Change, ...]


def open_from_link(session: Session, *, token: str, now: datetime) -> str:
    """Use a new-Code link (once): the owner session for this browser, to be set as its cookie."""
    link = links.use(session, token=token, purpose=Purpose.NEW_CODE, now=now)
    return links.issue(session, mentor_id=link.mentor_id, purpose=Purpose.OWNER_SESSION, now=now)


def to_sign(session: Session, *, mentor_id: int, code: CodeOfConduct) -> ToSign | None:
    """What changed since this mentor last signed, when the current version is in force with a
    day to sign it by and they haven't signed it; None otherwise (nothing to ask)."""
    rnd = current_round(session, code=code)
    if rnd is None or rnd.sign_by is None or _has_signed(session, mentor_id, rnd):
        return None
    last = session.execute(
        select(Signature.signed_at, CodeVersion.text)
        .join(CodeVersion, CodeVersion.id == Signature.code_version_id)
        .where(Signature.mentor_id == mentor_id)
        .order_by(Signature.signed_at.desc(), Signature.id.desc()).limit(1)
    ).first()  # fmt: skip
    if last is None:
        return ToSign(rnd.sign_by, None, ())
    return ToSign(rnd.sign_by, last.signed_at, changes(last.text, code.text))


def changes(before: str, after: str) -> tuple[Change, ...]:
    """The lines removed from `before` and added in `after`, in the order they appear."""
    found: list[Change] = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line[:2] in ("- ", "+ ") and line[2:].strip():
            found.append(Change("removed" if line[0] == "-" else "added", line[2:]))
    return tuple(found[:MAX_CHANGED_LINES])


def sign_new_version(
    session: Session, *, credential: str, signature: SignatureInput, code: CodeOfConduct,
    now: datetime,
) -> None:  # fmt: skip
    """A listed mentor signs the current version of the Code (the box and the typed name)."""
    mentor = owned_listing(session, credential)
    if mentor.status != LISTED:
        raise NotAllowedNow("Only a listing in the directory signs the new Code here. A paused "
                            "listing signs it when it resumes.")  # fmt: skip
    errors = signature_errors(full_name=mentor.full_name, signature=signature)
    if errors:
        raise InvalidSubmission(errors)
    rnd = current_round(session, code=code)
    if rnd is not None and _has_signed(session, mentor.id, rnd):
        return  # signed it a moment ago (another tab): once is enough
    # the audit row the receipt names (signing while listed is no move of the listing)
    audit_log.record(session, action=audit_log.Action.CODE_SIGNED, actor=audit_log.MENTOR, now=now,
                     mentor_id=mentor.id, detail=f"Code SHA-256 {code.sha256}")  # fmt: skip
    _add_signature(session, mentor=mentor, signature=signature, code=code, occasion=NEW_VERSION,
                   now=now)  # fmt: skip


def _has_signed(session: Session, mentor_id: int, rnd: CodeRound) -> bool:
    return session.scalar(select(Signature.id).where(
        Signature.mentor_id == mentor_id, Signature.code_version_id == rnd.code_version_id).limit(1)
    ) is not None  # fmt: skip


@dataclass(frozen=True)
class VersionSigned:
    """A version of the Code, and how many listings now in the directory signed it."""

    sha256: str
    first_seen_at: datetime
    in_force_at: datetime | None
    sign_by: datetime | None
    listed_signed: int


@dataclass(frozen=True)
class NotYetSigned:
    """A listed mentor who hasn't signed the current version, and when they were asked."""

    mentor_id: int
    full_name: str
    asked_at: datetime | None


def versions_signed(session: Session) -> list[VersionSigned]:
    """Every version of the Code, newest first, with the listed mentors who signed each."""
    count = (
        select(func.count(func.distinct(Signature.mentor_id)))
        .join(Mentor, Mentor.id == Signature.mentor_id)
        .where(Signature.code_version_id == CodeVersion.id, Mentor.status == LISTED)
        .scalar_subquery()
    )
    rows = session.execute(
        select(CodeVersion.sha256, CodeVersion.first_seen_at, CodeVersionRound.in_force_at,
               CodeVersionRound.sign_by, count)
        .outerjoin(CodeVersionRound, CodeVersionRound.code_version_id == CodeVersion.id)
        .order_by(CodeVersion.id.desc())
    ).all()  # fmt: skip
    return [VersionSigned(*row) for row in rows]


def not_yet_signed(
    session: Session, *, code: CodeOfConduct, limit: int = 200
) -> tuple[CodeRound | None, int, list[NotYetSigned]]:
    """The current version's round, how many listed mentors haven't signed it, and the first
    `limit` of them by name (none while the version asks nobody)."""
    rnd = current_round(session, code=code)
    if rnd is None or rnd.sign_by is None:
        return rnd, 0, []
    where = (Mentor.status == LISTED, Mentor.is_sample.is_(False), ~signed(rnd.code_version_id))
    total = session.scalar(select(func.count()).select_from(Mentor).where(*where)) or 0
    asked_at = (
        select(func.min(ListingLink.created_at))
        .where(ListingLink.mentor_id == Mentor.id, ListingLink.purpose == Purpose.NEW_CODE.value,
               ListingLink.created_at >= rnd.in_force_at)
        .scalar_subquery()
    )  # fmt: skip
    rows = session.execute(
        select(Mentor.id, Mentor.full_name, asked_at).where(*where)
        .order_by(Mentor.full_name, Mentor.id).limit(limit)
    ).all()  # fmt: skip
    return rnd, total, [NotYetSigned(*row) for row in rows]
