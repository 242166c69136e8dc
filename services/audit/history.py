"""What happened, readable: a listing's or a report's history, and the audit log, with labels.

Codes never reach the screen: every action, state, actor and clause is shown by its label, and
times stay UTC here (the page shows them in the viewer's zone).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from models import AuditEvent, ListingEvent, Mentor, Moderator, Report, ReportEvent
from services.audit.audit_log import ACTION_LABELS, Action
from services.core.vocabulary import (
    ActorKind,
    CodeClause,
    LabelledEnum,
    ListingStatus,
    ReportStatus,
)
from services.listings.listing_lifecycle import ListingAction
from services.reports.conflicts import visible_audit
from services.reports.report_lifecycle import ReportAction

HISTORY_COLUMNS = ["when", "who", "what", "from", "to", "why", "clause"]
AUDIT_COLUMNS = ["when", "who", "what", "mentor", "report", "why", "detail"]


def label(enum: type[LabelledEnum], code: str | None, *, missing: str = "") -> str:
    """The label of a stored code; an unknown code shows as itself, a missing one as `missing`."""
    if not code:
        return missing
    member = enum.parse(code)
    return member.label if member is not None else code


def action_label(action: str) -> str:
    """What an audit action is called on screen, e.g. "Listing: removed"."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    aggregate, _, event = action.partition(".")
    enum: type[LabelledEnum] | None = {"listing": ListingAction, "report": ReportAction}.get(aggregate)
    member = enum.parse(event) if enum else None
    if member is None:
        return action.replace("_", " ").capitalize()
    return f"{aggregate.capitalize()}: {member.label[0].lower()}{member.label[1:]}"


def audit_actions() -> dict[str, str]:
    """Every action the audit log can hold now, code -> label, for its filter."""
    codes = [*(f"listing.{a.value}" for a in ListingAction),
             *(f"report.{a.value}" for a in ReportAction), *(a.value for a in Action)]  # fmt: skip
    return {code: action_label(code) for code in codes}


def _who(username: str | None, actor_kind: str, actor_label: str | None = None) -> str:
    return username or actor_label or label(ActorKind, actor_kind)


def _history(
    session: Session, model: Any, owner: Any, owner_id: int, kinds: Any, states: Any, limit: int
) -> pd.DataFrame:
    rows = session.execute(
        select(model, Moderator.username)
        .outerjoin(Moderator, Moderator.id == model.moderator_id)
        .where(owner == owner_id)
        .order_by(model.occurred_at.desc(), model.id.desc())
        .limit(limit)
    ).all()
    return pd.DataFrame(
        [[e.occurred_at, _who(name, e.actor_kind), label(kinds, e.kind),
          label(states, e.from_status, missing="New"), label(states, e.to_status),
          e.reason or "", label(CodeClause, e.code_clause)] for e, name in rows],
        columns=HISTORY_COLUMNS,
    )  # fmt: skip


def listing_history(session: Session, *, mentor_id: int, limit: int = 100) -> pd.DataFrame:
    """A listing's transitions, newest first."""
    return _history(session, ListingEvent, ListingEvent.mentor_id, mentor_id, ListingAction,
                    ListingStatus, limit)  # fmt: skip


def report_history(session: Session, *, report_id: int, limit: int = 100) -> pd.DataFrame:
    """A report's transitions, newest first."""
    return _history(session, ReportEvent, ReportEvent.report_id, report_id, ReportAction,
                    ReportStatus, limit)  # fmt: skip


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of `day`."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def audit_log(
    session: Session,
    *,
    actions: tuple[str, ...] = (),
    moderator_id: int | None = None,
    report_id: int | None = None,
    mentor_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 1000,
    viewer: int | None = None,
) -> pd.DataFrame:
    """Audit rows matching the filters, newest first: when, who, what, to whom, why; none about a
    mentor or case hidden from `viewer` (services/reports/conflicts.py)."""
    conditions: list[ColumnElement[bool]] = [visible_audit(viewer)]
    if actions:
        conditions.append(AuditEvent.action.in_(actions))
    if moderator_id is not None:
        conditions.append(AuditEvent.moderator_id == moderator_id)
    if report_id is not None:
        conditions.append(AuditEvent.report_id == report_id)
    if mentor_id is not None:
        conditions.append(AuditEvent.mentor_id == mentor_id)
    if start:
        conditions.append(AuditEvent.occurred_at >= day_start(start))
    if end:
        conditions.append(AuditEvent.occurred_at < day_start(end + timedelta(days=1)))
    query = (
        select(AuditEvent.occurred_at, Moderator.username, AuditEvent.actor_kind,
               AuditEvent.actor_label, AuditEvent.action, Mentor.full_name, Report.reference,
               AuditEvent.reason, AuditEvent.detail)
        .outerjoin(Moderator, Moderator.id == AuditEvent.moderator_id)
        .outerjoin(Mentor, Mentor.id == AuditEvent.mentor_id)
        .outerjoin(Report, Report.id == AuditEvent.report_id)
        .where(and_(True, *conditions))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )  # fmt: skip
    rows: list[list[Any]] = [
        [when, _who(username, kind, tried), action_label(action), mentor or "", reference or "",
         reason or "", detail or ""]
        for when, username, kind, tried, action, mentor, reference, reason, detail
        in session.execute(query)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)

