"""Reports of Code violations and removal requests, with their notes. Every change is audited."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Report(Base):
    """Something that needs a moderator: a reported violation, or a mentor asking to be removed."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # violation, removal_request
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    # When the mentor is not in the list (or for a removal request): what the person told us.
    named_person: Mapped[str | None] = mapped_column(String(200))
    named_linkedin_url: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    reporter_role: Mapped[str | None] = mapped_column(String(20))  # mentee, witness
    reporter_email: Mapped[str | None] = mapped_column(String(254))  # confidential
    # "Follow my report": the SHA-256 of the case code shown once to the reporter (migration 0013).
    case_code_hash: Mapped[str | None] = mapped_column(String(64))
    # What the moderators chose to tell the reporter with their decision.
    reporter_message: Mapped[str | None] = mapped_column(Text)
    suspected_spam: Mapped[bool] = mapped_column(Boolean, default=False)
    # An appeal (kind "appeal"): the listing event it appeals; one appeal per decision (0014).
    appeal_of_event_id: Mapped[int | None] = mapped_column(ForeignKey("listing_events.id"))

    status: Mapped[str] = mapped_column(String(30), default="new")
    assigned_moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    # Bumped on every change: two moderators acting at once cannot overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_action_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_reports_status_created", "status", "created_at"),
        Index("ix_reports_mentor", "mentor_id", "created_at"),
        Index("ix_reports_category_created", "category", "created_at"),
        Index("ix_reports_created", "created_at"),
        # The queue: open reports nobody has acknowledged yet, oldest (most overdue) first.
        Index("ix_reports_first_action_due", "status", "first_action_at", "created_at"),
        Index("ux_reports_appeal_of_event", "appeal_of_event_id", unique=True),
    )


class ReportExclusion(Base):
    """A moderator the reporter kept off their case (confidential): the case is absent from every
    console query for them (services/reports/conflicts.py)."""

    __tablename__ = "report_exclusions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderators.id"))

    __table_args__ = (
        Index("ux_report_exclusions", "moderator_id", "report_id", unique=True),
        Index("ix_report_exclusions_report", "report_id"),
    )


class ReportNote(Base):
    """An internal note a moderator adds to a report; notes are only ever added."""

    __tablename__ = "report_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderators.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_report_notes_report", "report_id", "created_at"),)
