"""The reports received in a range, one row each, for leadership's CSV.

Only what a trend needs: the reference, when, which part of the Code, where it stands and how long
it waited. Never the reporter, their contact, or what they wrote.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Report
from services.audit.history import label
from services.core.vocabulary import ReportStatus
from services.reports.conflicts import visible_reports
from services.reports.intake import ReportCategory
from services.trends.periods import Period
from services.trends.queue import part_of

CSV_LIMIT = 100_000
REPORT_COLUMNS = ["reference", "received", "part of the Code", "category", "status",
                  "first action", "decided", "hours to first action", "hours to decision"]  # fmt: skip


def reports_in_range(
    session: Session, *, start: date, end: date, tz: ZoneInfo, limit: int = CSV_LIMIT,
    viewer: int | None = None,
) -> pd.DataFrame:
    """Reports and removal requests received in the range (suspected spam and the cases hidden
    from `viewer` left out), oldest first."""
    period = Period(start, end, tz)
    query = (
        select(Report.reference, Report.created_at, Report.category, Report.status,
               Report.first_action_at, Report.resolved_at)
        .where(Report.created_at >= period.starts, Report.created_at < period.ends,
               ~Report.suspected_spam, visible_reports(viewer))
        .order_by(Report.created_at, Report.id)
        .limit(limit)
    )  # fmt: skip
    rows = [
        (reference, received, part_of(category), label(ReportCategory, category),
         label(ReportStatus, status), acted, decided, _hours(received, acted), _hours(received, decided))
        for reference, received, category, status, acted, decided in session.execute(query)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def _hours(since: datetime, until: datetime | None) -> float | None:
    return None if until is None else round((until - since).total_seconds() / 3600, 1)
