"""The typed history of listings and reports: one row per transition, written by its lifecycle.

These rows answer "what state was this in at time T, who moved it there, why, under which clause
of the Code" without parsing text, and measures count them in SQL. Like the audit log they are
append-only: triggers refuse UPDATE and DELETE on both databases.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ListingEvent(Base):
    """A listing moved (or stayed, for an edit) through one transition of its lifecycle."""

    __tablename__ = "listing_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))  # services.listings.listing_lifecycle.ListingAction
    from_status: Mapped[str | None] = mapped_column(String(20))  # None: the listing was new
    to_status: Mapped[str] = mapped_column(String(20))
    actor_kind: Mapped[str] = mapped_column(String(20))  # mentor, moderator, system
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    code_clause: Mapped[str | None] = mapped_column(String(10))  # services.core.vocabulary.CodeClause
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))  # what it acted on

    __table_args__ = (
        Index("ix_listing_events_time", "occurred_at"),
        Index("ix_listing_events_kind_time", "kind", "occurred_at"),
        Index("ix_listing_events_mentor", "mentor_id", "occurred_at"),
    )


class ReportEvent(Base):
    """A report moved through one transition of its lifecycle (or was assigned, or annotated)."""

    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))  # services.reports.report_lifecycle.ReportAction
    from_status: Mapped[str | None] = mapped_column(String(30))  # None: the report was new
    to_status: Mapped[str] = mapped_column(String(30))
    actor_kind: Mapped[str] = mapped_column(String(20))  # public, mentor, moderator, system
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    code_clause: Mapped[str | None] = mapped_column(String(10))
    # The listing action behind this event: the removal or ban that resolved the report, or the
    # restore that undid it.
    listing_event_id: Mapped[int | None] = mapped_column(ForeignKey("listing_events.id"))

    __table_args__ = (
        Index("ix_report_events_time", "occurred_at"),
        Index("ix_report_events_kind_time", "kind", "occurred_at"),
        Index("ix_report_events_report", "report_id", "occurred_at"),
    )
