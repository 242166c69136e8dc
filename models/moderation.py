"""Moderators, their sign-in sessions and recovery codes, the audit log and the counters that slow abuse down."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Moderator(Base):
    """A named moderator. The password lives only as an Argon2 hash, here or in the secrets."""

    __tablename__ = "moderators"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))  # None: the hash is in secrets
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column()
    last_login_at: Mapped[datetime | None] = mapped_column()
    # The second factor (TOTP): its base32 secret (None: none set up) and the time step of the
    # last code accepted, so a code is accepted once (services/accounts/second_factor.py).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # What reporters see when they keep a moderator off their case (None: not offered there);
    # never the username, which signs in.
    display_name: Mapped[str | None] = mapped_column(String(60))


class ModeratorConflict(Base):
    """A conflict of interest a moderator declared with a mentor: the mentor and every case about
    them are absent from every console query for that moderator (services/reports/conflicts.py)."""

    __tablename__ = "moderator_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderators.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ux_moderator_conflicts", "moderator_id", "mentor_id", unique=True),
        Index("ix_moderator_conflicts_mentor", "mentor_id"),
    )


class ModeratorSession(Base):
    """A signed-in moderator's session: ends on sign-out or after idle time."""

    __tablename__ = "moderator_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderators.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()
    # The password was right but the second factor is still to come: not signed in yet.
    awaiting_second_factor: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class ModeratorRecoveryCode(Base):
    """A single-use code that stands in for the second factor; only its SHA-256 is stored."""

    __tablename__ = "moderator_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderators.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column()


class AuditEvent(Base):
    """One thing that happened: who (actor), what (action), to whom, when, why. Append-only."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(20))  # mentor, moderator, public, system
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    actor_label: Mapped[str | None] = mapped_column(String(60))  # e.g. a username tried
    action: Mapped[str] = mapped_column(String(40))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(String(500))
    # The hash chain (services/evidence/chain.py), set once when the row's transaction commits:
    # its position, the hash of the row before it, and the SHA-256 of its own content.
    chain_seq: Mapped[int | None] = mapped_column(BigInteger)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ux_audit_events_chain", "chain_seq", unique=True),
        # The rows still to seal: only those of transactions in flight, so the index stays tiny.
        Index("ix_audit_events_unsealed", "id", postgresql_where=text("chain_seq IS NULL"),
              sqlite_where=text("chain_seq IS NULL")),
        Index("ix_audit_events_action_time", "action", "occurred_at"),
        Index("ix_audit_events_time", "occurred_at"),
        Index("ix_audit_events_mentor", "mentor_id", "occurred_at"),
        Index("ix_audit_events_report", "report_id", "occurred_at"),
    )


class RateLimitHit(Base):
    """One counted attempt (failed sign-in, wrong credential, report sent) for throttling."""

    __tablename__ = "rate_limit_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_rate_limit_hits_lookup", "scope", "key", "created_at"),)
