"""The clock's jobs: when each is due next, who runs it now, and how its last run went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ScheduledJob(Base):
    """One job of the clock (services/jobs/). A process runs it only while it holds the lease
    (`lease_until`), so it runs at most once at a time across every process; `next_run_at` keeps
    its due time across restarts."""

    __tablename__ = "scheduled_jobs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column()
    lease_until: Mapped[datetime | None] = mapped_column()
    lease_holder: Mapped[str | None] = mapped_column(String(80))
    last_started_at: Mapped[datetime | None] = mapped_column()
    last_finished_at: Mapped[datetime | None] = mapped_column()
    last_outcome: Mapped[str | None] = mapped_column(String(10))  # "done" or "failed"
    last_detail: Mapped[str | None] = mapped_column(String(300))
