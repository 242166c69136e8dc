"""A receipt for every signature: what was signed, by whom, when, and where the log recorded it.

Each signature gets a verification code when it is made, and names the audit row that recorded
the signing (sealed into the chain there and then, so its hash is known). The receipt shows the
Code's version and SHA-256, the name as typed, the agreement text, the UTC time, the listing's
reference, the audit row's position and hash, and the code; the confirmation mail carries the
same as text (`as_text`), the management page as a PDF (services/evidence/receipt_pdf.py).
"Check a receipt" (`check`) says whether a code matches a signature we hold, and nothing more:
a deleted listing's signatures no longer match.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, CodeVersion, Mentor, Signature
from services.accounts import throttle
from services.core.refusals import InvalidSubmission
from services.core.vocabulary import ListingStatus

# No 0/O, 1/I/L: a code read aloud or copied from paper survives. 31^12: about 2^59.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
# Checks from one client address: plenty for a person, nothing for someone guessing codes.
CHECKS_PER_CLIENT = throttle.Limit("receipt_check", 20, timedelta(hours=1))
MAX_CODE_INPUT = 40
PENDING = "being recorded (see Manage my listing in a minute)"


def new_receipt_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown(code: str) -> str:
    """A code as people see it: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def listing_reference(mentor_id: int) -> str:
    return f"L-{mentor_id:06d}"


def normalise(typed: str) -> str | None:
    """A code as typed (any case, spaces or dashes), or None when it can't be one."""
    code = re.sub(r"[\s\-]", "", typed[:MAX_CODE_INPUT]).upper()
    return code if len(code) == CODE_LENGTH and all(c in ALPHABET for c in code) else None


def stamp(session: Session, *, mentor_id: int) -> tuple[int | None, str]:
    """For a signature being made now: the audit row that recorded it (the listing's newest, just
    written; its hash is known once the chain seals it, right after the commit) and a new
    verification code."""
    session.flush()
    audit_id = session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.mentor_id == mentor_id))
    return audit_id, new_receipt_code()


@dataclass(frozen=True)
class Receipt:
    code_version: int  # 1 for the first version of the Code we stored, and so on
    code_sha256: str
    typed_name: str
    agreement_text: str
    occasion: str
    signed_at: datetime
    listing_reference: str
    audit_position: int | None
    audit_hash: str | None
    verification_code: str  # as shown: ABCD-EFGH-JKMN

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs, the same on paper and in the mail."""
        return [
            ("Code of Conduct", f"version {self.code_version}"),
            ("Code SHA-256", self.code_sha256),
            ("Name as typed", self.typed_name),
            ("Agreement", self.agreement_text),
            ("Signed at (UTC)", self.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")),
            ("Listing", self.listing_reference),
            ("Audit log row", f"position {self.audit_position}" if self.audit_position else PENDING),
            ("Audit row SHA-256", self.audit_hash or PENDING),
            ("Verification code", self.verification_code),
        ]


OCCASIONS = {"sign_up": "signed up", "resubmit": "re-submitted", "resume": "came back",
             "new_version": "signed a new version"}  # fmt: skip


def as_text(receipt: Receipt) -> str:
    """The receipt as plain text (the confirmation mail)."""
    width = max(len(label) for label, _ in receipt.lines())
    return "\n".join(f"{label + ':':<{width + 1}} {value}" for label, value in receipt.lines())


def receipts_of(session: Session, *, mentor_id: int) -> list[Receipt]:
    """Every signature of this listing as a receipt, newest first."""
    number = func.row_number().over(order_by=CodeVersion.id).label("number")
    versions = select(CodeVersion.id, CodeVersion.sha256, number).subquery()
    rows = session.execute(
        select(Signature, versions.c.sha256, versions.c.number, AuditEvent.chain_seq, AuditEvent.row_hash)
        .join(versions, versions.c.id == Signature.code_version_id)
        .outerjoin(AuditEvent, AuditEvent.id == Signature.audit_event_id)
        .where(Signature.mentor_id == mentor_id)
        .order_by(Signature.signed_at.desc(), Signature.id.desc())
    ).all()  # fmt: skip
    return [
        Receipt(code_version=int(number), code_sha256=sha, typed_name=s.typed_name,
                agreement_text=s.agreement_text, occasion=s.occasion, signed_at=s.signed_at,
                listing_reference=listing_reference(mentor_id),
                audit_position=position, audit_hash=digest,
                verification_code=shown(s.receipt_code) if s.receipt_code else "-")
        for s, sha, number, position, digest in rows
    ]  # fmt: skip


def latest_receipt(session: Session, *, mentor_id: int) -> Receipt | None:
    found = receipts_of(session, mentor_id=mentor_id)
    return found[0] if found else None


def check(session: Session, *, typed: str, now: datetime, client_key: str = throttle.UNKNOWN_CLIENT) -> bool:
    """Whether a verification code matches a signature of a listing we hold. Every check is
    counted per client address (throttle.Throttled past the limit); nothing else is kept."""
    if not typed.strip():
        raise InvalidSubmission({"code": "Please type the verification code from the receipt."})
    throttle.take(session, limits=[(CHECKS_PER_CLIENT, client_key)], now=now)
    code = normalise(typed)
    if code is None:
        return False
    found = session.scalar(
        select(Signature.id)
        .join(Mentor, Mentor.id == Signature.mentor_id)
        .where(Signature.receipt_code == code, Mentor.status != ListingStatus.DELETED.value)
    )
    return found is not None
