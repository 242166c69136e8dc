"""A mentor's listing, its multi-valued fields, and the identities a ban blocks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow

LISTED = text("status = 'listed'")


class Mentor(Base):
    """One person's listing. Never deleted: erasure blanks the profile, the row keeps the history."""

    __tablename__ = "mentors"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    pronouns: Mapped[str | None] = mapped_column(String(40))
    headline: Mapped[str] = mapped_column(String(120))
    company: Mapped[str | None] = mapped_column(String(120))
    seniority: Mapped[str] = mapped_column(String(30))
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(100))
    bio: Mapped[str | None] = mapped_column(Text)
    linkedin_url: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    open_to_new_mentees: Mapped[bool] = mapped_column(Boolean, default=True)
    availability_note: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="listed")
    # What the status was before a moderator took the listing down, so Restore can put it back.
    status_before_takedown: Mapped[str | None] = mapped_column(String(20))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped by every transition: an action offered for version N is refused once it has moved on.
    version: Mapped[int] = mapped_column(Integer, default=1)

    # Written by the app, never typed: lowercase, accents removed, whitespace collapsed.
    search_text: Mapped[str] = mapped_column(Text, default="")
    name_key: Mapped[str] = mapped_column(String(120), default="")
    city_key: Mapped[str | None] = mapped_column(String(100))
    # Identity keys for duplicates and bans; unique among listings that still hold contact data.
    email_key: Mapped[str | None] = mapped_column(String(254), unique=True)
    linkedin_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    manage_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    listed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the mentor last said they are available (confirming the sign-up, resuming, editing, or
    # "Yes, I'm still available"): the clock asks again after 90 days (services/jobs/freshness.py).
    available_confirmed_at: Mapped[datetime | None] = mapped_column()
    # Away until a date: the clock lists a paused listing again on `paused_until`, and clears the
    # availability note on `note_until` (services/listings/away.py).
    paused_until: Mapped[date | None] = mapped_column(Date)
    note_until: Mapped[date | None] = mapped_column(Date)
    # Removed for a number of days: the clock lists the listing again on this date, as it was
    # before (services/listings/enforcement.py); any other move clears it.
    removed_until: Mapped[date | None] = mapped_column(Date)

    disciplines: Mapped[list[MentorDiscipline]] = relationship(
        back_populates="mentor", cascade="all, delete-orphan"
    )
    languages: Mapped[list[MentorLanguage]] = relationship(
        back_populates="mentor", cascade="all, delete-orphan"
    )
    offers: Mapped[list[MentorOffer]] = relationship(
        back_populates="mentor", cascade="all, delete-orphan"
    )

    __table_args__ = (
        # The directory only ever reads listed mentors: partial indexes keep them small. Each
        # follows the directory's order (most recently confirmed first, migration 0012).
        Index("ix_mentors_listed_recent", "available_confirmed_at", "id", sqlite_where=LISTED,
              postgresql_where=LISTED),
        Index("ix_mentors_listed_name", "name_key", "id", sqlite_where=LISTED,
              postgresql_where=LISTED),
        # A place drives a search in the directory's order, with or without "open to new mentees",
        # so neither its count nor its page needs a sort (migration 0004).
        Index("ix_mentors_listed_country_open", "country", "open_to_new_mentees",
              "available_confirmed_at", "id", sqlite_where=LISTED, postgresql_where=LISTED),
        Index("ix_mentors_listed_country", "country", "available_confirmed_at", "id",
              sqlite_where=LISTED, postgresql_where=LISTED),
        Index("ix_mentors_listed_city", "country", "city_key", "available_confirmed_at", "id",
              sqlite_where=LISTED, postgresql_where=LISTED),
        Index("ix_mentors_listed_seniority", "seniority", "available_confirmed_at",
              sqlite_where=LISTED, postgresql_where=LISTED, postgresql_include=["id"]),
        Index("ix_mentors_listed_open", "open_to_new_mentees", "available_confirmed_at",
              sqlite_where=LISTED, postgresql_where=LISTED, postgresql_include=["id"]),
        Index("ix_mentors_listed_search_trgm", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}, postgresql_where=LISTED,
              ).ddl_if(dialect="postgresql"),
        Index("ix_mentors_status_changed", "status", "status_changed_at"),
        Index("ix_mentors_created_at", "created_at"),
        Index("ix_mentors_status_available", "status", "available_confirmed_at"),
        Index("ix_mentors_removed_until", "status", "removed_until"),  # the clock's returns (0014)
    )  # fmt: skip


class MentorDiscipline(Base):
    __tablename__ = "mentor_disciplines"

    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("mentors.id", ondelete="CASCADE"), primary_key=True
    )
    discipline: Mapped[str] = mapped_column(String(40), primary_key=True)
    mentor: Mapped[Mentor] = relationship(back_populates="disciplines")

    __table_args__ = (Index("ix_mentor_disciplines_value", "discipline", "mentor_id"),)


class MentorLanguage(Base):
    __tablename__ = "mentor_languages"

    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("mentors.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    mentor: Mapped[Mentor] = relationship(back_populates="languages")

    __table_args__ = (Index("ix_mentor_languages_value", "language", "mentor_id"),)


class MentorOffer(Base):
    __tablename__ = "mentor_offers"

    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("mentors.id", ondelete="CASCADE"), primary_key=True
    )
    offer: Mapped[str] = mapped_column(String(40), primary_key=True)
    mentor: Mapped[Mentor] = relationship(back_populates="offers")

    __table_args__ = (Index("ix_mentor_offers_value", "offer", "mentor_id"),)


class BlockedIdentity(Base):
    """An email or LinkedIn profile that a ban keeps from signing up again, until lifted."""

    __tablename__ = "blocked_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "email" or "linkedin"
    value_key: Mapped[str] = mapped_column(String(254))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (Index("ix_blocked_identities_lookup", "kind", "value_key"),)


class NoReplySignal(Base):
    """A mentee's "reached out and heard nothing for two weeks" about a listing. Anonymous: no
    address or session, only a one-way key of (client address, listing) so that one address
    counts once per listing for 60 days, blanked after (the row is kept 13 months, for the trends:
    services/listings/no_reply.py)."""

    __tablename__ = "no_reply_signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    sender_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_no_reply_signals_mentor", "mentor_id", "created_at"),
        Index("ix_no_reply_signals_created_at", "created_at"),  # the trends' weeks (migration 0012)
    )
