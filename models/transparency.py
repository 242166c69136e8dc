"""The public transparency report: the periods leadership published, each with its frozen figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class PublishedPeriod(Base):
    """A quarter ("2026-Q3") or a year ("2026") whose report is public, as it was published:
    the figures after suppression (JSON), never the counts behind them. Published once."""

    __tablename__ = "published_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_key: Mapped[str] = mapped_column(String(10), unique=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[int] = mapped_column(ForeignKey("moderators.id"))
    figures: Mapped[str] = mapped_column(Text)  # services.evidence.transparency.PublicReport
