"""The Code of Conduct versions and the signatures made against them: both write-once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow


class CodeVersion(Base):
    """One text of the Code of Conduct, identified by its SHA-256, stored when first seen."""

    __tablename__ = "code_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Signature(Base):
    """A mentor agreeing to one version of the Code. Never updated or deleted (a trigger enforces)."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    code_version_id: Mapped[int] = mapped_column(ForeignKey("code_versions.id"))
    typed_name: Mapped[str] = mapped_column(String(200))
    agreement_text: Mapped[str] = mapped_column(Text)
    occasion: Mapped[str] = mapped_column(String(20))  # sign_up, resubmit, resume
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(500))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    # The receipt (services/evidence/receipts.py): the code anyone may check on "Check a
    # receipt", and the audit row that recorded the signing (its hash is on the receipt).
    receipt_code: Mapped[str | None] = mapped_column(String(16))
    audit_event_id: Mapped[int | None] = mapped_column(ForeignKey("audit_events.id"))

    code_version: Mapped[CodeVersion] = relationship()

    __table_args__ = (
        Index("ix_signatures_mentor", "mentor_id", "signed_at"),
        Index("ux_signatures_receipt_code", "receipt_code", unique=True),
    )
