"""Mail waiting to go out (the outbox), and the single-use links a mail carries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class OutboxMail(Base):
    """One mail, written in the transaction of the event that causes it and sent afterwards.

    `state` is queued, sending (claimed by a relay until `claimed_until`), sent or failed; a relay
    that dies mid-send leaves a claim that runs out, and the mail is tried again."""

    __tablename__ = "outbox_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    # What the kind's template needs (services/mail/templates.py); never another person's data.
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(12), default="queued")
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(500))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_outbox_mails_due", "state", "next_try_at"),
        Index("ix_outbox_mails_created_at", "created_at"),
    )


class ListingLink(Base):
    """A single-use link mailed about a listing (confirm a sign-up, manage it, confirm a new
    address), or the browser session such a link opened. Only the token's SHA-256 is kept."""

    __tablename__ = "listing_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The address the link was sent to (for a change of address: the new one).
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (Index("ix_listing_links_mentor", "mentor_id", "purpose"),)
