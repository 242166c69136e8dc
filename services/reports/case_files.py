"""What moderators read: the report queue, one report with its context, the roster, the audit log.

Filtering, counting and joining happen in SQL; each view returns one bounded page as a small
DataFrame (for st.dataframe) or frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from models import Mentor, Moderator, Report, ReportEvent, ReportNote
from models.base import utcnow
from services.audit.history import day_start, label, listing_history, report_history
from services.core.matching import contains_pattern, search_key
from services.core.text import clean_line
from services.core.vocabulary import CodeClause, ListingStatus, ReportStatus
from services.listings import no_reply
from services.listings.signing import SignatureRecord, code_texts_signed, signatures_of
from services.reports import follow_up
from services.reports.conflicts import visible_mentors, visible_reports
from services.reports.intake import ReportCategory, ReporterRole, ReportKind
from services.reports.report_lifecycle import OPEN, ReportAction

PAGE_LIMIT = 200


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] = tuple(s.value for s in OPEN)
    categories: tuple[str, ...] = ()
    mentor: str = ""
    created_from: date | None = None
    created_to: date | None = None
    include_spam: bool = False


def _queue_conditions(queue_filter: QueueFilter) -> list[ColumnElement[bool]]:
    f = queue_filter
    conditions: list[ColumnElement[bool]] = []
    if f.statuses:
        conditions.append(Report.status.in_(f.statuses))
    if f.categories:
        conditions.append(Report.category.in_(f.categories))
    if not f.include_spam:
        conditions.append(Report.suspected_spam.is_(False))
    if f.created_from:
        conditions.append(Report.created_at >= day_start(f.created_from))
    if f.created_to:
        conditions.append(Report.created_at < day_start(f.created_to + timedelta(days=1)))
    mentor = clean_line(f.mentor)  # what anyone types is cleaned first (PostgreSQL refuses NUL)
    if mentor:
        conditions.append(
            or_(
                Mentor.name_key.like(contains_pattern(search_key(mentor)), escape="\\"),
                func.lower(Report.named_person).like(contains_pattern(mentor.lower()), escape="\\"),
            )
        )
    return conditions


def later_reversed() -> ColumnElement[bool]:
    """True for a report resolved with action whose take-down was undone (restored) since."""
    resolution, restore = aliased(ReportEvent), aliased(ReportEvent)
    last_resolution = (
        select(func.max(resolution.id))
        .where(resolution.report_id == Report.id,
               resolution.kind == ReportAction.RESOLVE_WITH_ACTION.value)
        .correlate(Report)
        .scalar_subquery()
    )  # fmt: skip
    return and_(
        Report.status == ReportStatus.RESOLVED_ACTION.value,
        exists().where(restore.report_id == Report.id,
                       restore.kind == ReportAction.LISTING_RESTORED.value,
                       restore.id > last_resolution).correlate(Report),
    )  # fmt: skip


def outcome(status: str, reversed_since: bool) -> str:
    """Where a report stands, in words: "Resolved: action taken, later reversed" after a restore."""
    words = label(ReportStatus, status)
    return f"{words}, later reversed" if reversed_since else words


def acknowledgement(created_at: datetime, first_action_at: datetime | None, status: str,
                    *, now: datetime) -> str:  # fmt: skip
    """Where a report stands against the promise to act on it within 7 days, in words."""
    if first_action_at is not None or ReportStatus.of(status) not in OPEN:
        return "acknowledged"
    left = follow_up.acknowledge_by(created_at) - now
    days = abs(left) // timedelta(days=1)
    hours = abs(left) // timedelta(hours=1)
    amount = f"{days} day{'s' * (days != 1)}" if days else f"{hours} hour{'s' * (hours != 1)}"
    return f"{amount} left" if left > timedelta(0) else f"overdue by {amount}"


def report_queue(
    session: Session, *, queue_filter: QueueFilter, limit: int = PAGE_LIMIT,
    now: datetime | None = None, viewer: int | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The reports matching the filter, as a table for the console: the open ones nobody has
    acknowledged yet first (the most overdue first), then the rest, oldest first; each with its
    time left to acknowledge. None hidden from `viewer` (services/reports/conflicts.py)."""
    assignee = aliased(Moderator)
    waiting = and_(Report.first_action_at.is_(None), Report.status == ReportStatus.NEW.value)
    query = (
        select(
            Report.id, Report.reference, Report.created_at, Report.kind, Report.category, Report.status,
            func.coalesce(Mentor.full_name, Report.named_person, Report.named_linkedin_url).label("mentor"),
            assignee.username.label("assigned_to"), Report.suspected_spam,
            later_reversed().label("reversed"), Report.first_action_at,
        )
        .outerjoin(Mentor, Mentor.id == Report.mentor_id)
        .outerjoin(assignee, assignee.id == Report.assigned_moderator_id)
        .where(and_(True, *_queue_conditions(queue_filter)), visible_reports(viewer))
        .order_by(case((waiting, 0), else_=1), Report.created_at.asc(), Report.id.asc())
        .limit(limit)
    )  # fmt: skip
    frame = pd.DataFrame(
        session.execute(query).all(), columns=[c.name for c in query.selected_columns]
    )
    moment = now or utcnow()
    frame["acknowledge"] = [
        acknowledgement(c, f if not pd.isna(f) else None, s, now=moment)
        for c, f, s in zip(frame["created_at"], frame["first_action_at"], frame["status"], strict=True)
    ]  # fmt: skip
    if not frame.empty:
        frame["category"] = frame["category"].map(lambda c: label(ReportCategory, c))
        frame["status"] = [outcome(s, bool(r)) for s, r in zip(frame["status"], frame["reversed"], strict=True)]
    return frame.drop(columns=["reversed", "first_action_at"])


def queue_counts(session: Session, *, viewer: int | None = None) -> dict[str, int]:
    """How many reports `viewer` may see are in each status (spam aside)."""
    rows = session.execute(
        select(Report.status, func.count())
        .where(Report.suspected_spam.is_(False), visible_reports(viewer))
        .group_by(Report.status)
    )
    return {str(row[0]): int(row[1]) for row in rows}


@dataclass(frozen=True)
class NoteView:
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class MentorView:
    """Everything a moderator may see of a mentor, contact details included."""

    id: int
    full_name: str
    headline: str
    company: str | None
    email: str | None
    linkedin_url: str | None
    status: ListingStatus
    version: int
    created_at: datetime
    history: pd.DataFrame
    signatures: list[SignatureRecord] = field(default_factory=list)
    code_texts: dict[str, str] = field(default_factory=dict)  # SHA-256 -> the Code as signed
    # Mentees' "no reply for two weeks" in the last 60 days, from different addresses.
    no_reply_senders: int = 0


@dataclass(frozen=True)
class ReportView:
    id: int
    reference: str
    kind: ReportKind
    category: str
    status: ReportStatus
    outcome: str  # the status in words, "later reversed" after a restore
    version: int
    description: str
    occurred_on: date | None
    reporter_role: str | None
    reporter_email: str | None
    named_person: str | None
    named_linkedin_url: str | None
    suspected_spam: bool
    created_at: datetime
    first_action_at: datetime | None
    resolved_at: datetime | None
    assigned_moderator_id: int | None
    clause: CodeClause | None  # the part of the Code the report says was broken
    appeal_of_event_id: int | None  # an appeal: the decision (listing event) it appeals
    mentor: MentorView | None
    notes: list[NoteView]
    other_reports: pd.DataFrame
    history: pd.DataFrame


def mentor_view(session: Session, *, mentor_id: int, viewer: int | None = None) -> MentorView | None:
    """A mentor's file: profile, contact details, state and version, history and signatures."""
    mentor = session.scalars(select(Mentor).where(Mentor.id == mentor_id, visible_mentors(viewer))
                             .execution_options(populate_existing=True)).one_or_none()  # fmt: skip
    if mentor is None:
        return None
    return MentorView(
        id=mentor.id, full_name=mentor.full_name, headline=mentor.headline, company=mentor.company,
        email=mentor.email, linkedin_url=mentor.linkedin_url, status=ListingStatus.of(mentor.status),
        version=mentor.version, created_at=mentor.created_at,
        history=listing_history(session, mentor_id=mentor.id), signatures=signatures_of(session, mentor_id=mentor.id),
        code_texts=code_texts_signed(session, mentor_id=mentor.id),
        no_reply_senders=no_reply.recent_senders(session, mentor_id=mentor.id, now=utcnow()),
    )  # fmt: skip


def report_view(session: Session, *, report_id: int, viewer: int | None = None) -> ReportView | None:
    """One report with the mentor, their signatures, their other reports, notes and history."""
    report = session.scalars(select(Report).where(Report.id == report_id, visible_reports(viewer))
                             .execution_options(populate_existing=True)).one_or_none()  # fmt: skip
    if report is None:
        return None
    notes = session.execute(
        select(Moderator.username, ReportNote.body, ReportNote.created_at)
        .join(Moderator, Moderator.id == ReportNote.moderator_id)
        .where(ReportNote.report_id == report.id)
        .order_by(ReportNote.created_at, ReportNote.id)
    ).all()
    other = pd.DataFrame(columns=["reference", "created_at", "category", "status"])
    if report.mentor_id is not None:
        rows = session.execute(
            select(Report.reference, Report.created_at, Report.category, Report.status)
            .where(Report.mentor_id == report.mentor_id, Report.id != report.id, visible_reports(viewer))
            .order_by(Report.created_at.desc())
            .limit(50)
        ).all()
        other = pd.DataFrame(rows, columns=["reference", "created_at", "category", "status"])
        other["category"] = other["category"].map(lambda c: label(ReportCategory, c))
        other["status"] = other["status"].map(lambda s: label(ReportStatus, s))
    return ReportView(
        id=report.id, reference=report.reference, kind=ReportKind.of(report.kind),
        category=label(ReportCategory, report.category), status=ReportStatus.of(report.status), version=report.version,
        outcome=outcome(report.status, bool(session.scalar(select(later_reversed()).where(Report.id == report.id)))),
        description=report.description, occurred_on=report.occurred_on,
        reporter_role=label(ReporterRole, report.reporter_role) if report.reporter_role else None,
        reporter_email=report.reporter_email, named_person=report.named_person,
        named_linkedin_url=report.named_linkedin_url, suspected_spam=report.suspected_spam,
        created_at=report.created_at, first_action_at=report.first_action_at, resolved_at=report.resolved_at,
        assigned_moderator_id=report.assigned_moderator_id,
        clause=category.clause if (category := ReportCategory.parse(report.category)) else None,
        appeal_of_event_id=report.appeal_of_event_id,
        mentor=mentor_view(session, mentor_id=report.mentor_id, viewer=viewer) if report.mentor_id else None,
        notes=[NoteView(author, body, created) for author, body, created in notes], other_reports=other,
        history=report_history(session, report_id=report.id),
    )  # fmt: skip


def mentor_roster(
    session: Session,
    *,
    name: str = "",
    statuses: tuple[str, ...] = (),
    reported_only: bool = False,
    limit: int = PAGE_LIMIT,
    viewer: int | None = None,
) -> pd.DataFrame:
    """One page of mentors with their status, sign-up date and how many reports name them.

    Newest first, walking the sign-up index; with `reported_only`, the most reported first,
    driven from the reports (so the cost follows the reports, not the size of the directory).
    Report counts are looked up for the page's rows only.
    """
    reports_of = (  # the cases `viewer` may see: a count would tell of one kept from them
        select(func.count()).where(Report.mentor_id == Mentor.id, visible_reports(viewer))
        .correlate(Mentor).scalar_subquery()
    )  # fmt: skip
    conditions: list[ColumnElement[bool]] = [Mentor.status != ListingStatus.DELETED.value,
                                             visible_mentors(viewer)]  # fmt: skip
    if statuses:
        conditions.append(Mentor.status.in_(statuses))
    for term in search_key(name).split():
        conditions.append(Mentor.search_text.like(contains_pattern(term), escape="\\"))
    query = select(Mentor.id, Mentor.full_name, Mentor.headline, Mentor.status,
                   Mentor.created_at, reports_of.label("reports"))  # fmt: skip
    if reported_only:
        counts = (
            select(Report.mentor_id, func.count().label("n"))
            .where(Report.mentor_id.is_not(None), visible_reports(viewer))
            .group_by(Report.mentor_id).subquery()
        )  # fmt: skip
        query = query.join(counts, counts.c.mentor_id == Mentor.id).order_by(
            counts.c.n.desc(), Mentor.id.desc()
        )
    else:
        query = query.order_by(Mentor.created_at.desc(), Mentor.id.desc())
    query = query.where(and_(*conditions)).limit(limit)
    frame = pd.DataFrame(
        session.execute(query).all(), columns=[c.name for c in query.selected_columns]
    )
    frame["status"] = frame["status"].map(lambda code: label(ListingStatus, code))
    return frame

