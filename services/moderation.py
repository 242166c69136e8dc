"""What moderators do: work reports through their statuses, and remove, ban or restore mentors.

Every action writes its audit row in the same transaction. A report carries a version number, so
when two moderators act on it at once the second is told, instead of silently overwriting.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import BlockedIdentity, Mentor, Report, ReportNote
from models.vocabulary import LabelledEnum, ListingStatus
from services import audit
from services.audit import Action, Actor
from services.auth import ModeratorIdentity
from services.listings import InvalidSubmission, NotAllowedNow
from services.text import clean_paragraphs

MAX_NOTE = 5000
MAX_REASON = 1000


class ReportStatus(LabelledEnum):
    NEW = ("new", "New")
    IN_REVIEW = ("in_review", "In review")
    RESOLVED_ACTION = ("resolved_action", "Resolved: action taken")
    RESOLVED_NO_ACTION = ("resolved_no_action", "Resolved: no action")
    DISMISSED = ("dismissed", "Dismissed")


OPEN_STATUSES = (ReportStatus.NEW, ReportStatus.IN_REVIEW)
CLOSED_STATUSES = (
    ReportStatus.RESOLVED_ACTION,
    ReportStatus.RESOLVED_NO_ACTION,
    ReportStatus.DISMISSED,
)


class ReportChanged(Exception):
    """Someone else changed this report since it was loaded: reload and decide again."""


def _reason(reason: str) -> str:
    text = clean_paragraphs(reason)
    if not text:
        raise InvalidSubmission({"reason": "Please give a reason: it goes into the audit log."})
    if len(text) > MAX_REASON:
        raise InvalidSubmission({"reason": f"Please keep the reason to {MAX_REASON:,} characters."})
    return text


def _bump(
    session: Session, *, report_id: int, expected_version: int, now: datetime, **values: object
) -> Report:
    """Apply `values` only if nobody changed the report since `expected_version`."""
    result = session.execute(
        update(Report)
        .where(Report.id == report_id, Report.version == expected_version)
        .values(version=Report.version + 1, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise ReportChanged()
    report = session.get(Report, report_id, populate_existing=True)
    if report is None:
        raise ReportChanged()
    if report.first_action_at is None:
        report.first_action_at = now
    return report


def set_report_status(
    session: Session,
    *,
    report_id: int,
    expected_version: int,
    status: ReportStatus,
    moderator: ModeratorIdentity,
    now: datetime,
    reason: str = "",
) -> None:
    """Move a report to another status (new, in review, resolved, dismissed)."""
    closing = status in CLOSED_STATUSES
    report = _bump(session, report_id=report_id, expected_version=expected_version, now=now,
                   status=status.value, resolved_at=now if closing else None)  # fmt: skip
    audit.record(session, action=Action.REPORT_STATUS_CHANGED, actor=Actor.MODERATOR, moderator_id=moderator.id,
                 report_id=report.id, mentor_id=report.mentor_id, reason=clean_paragraphs(reason) or None,
                 detail=f"status={status.value}", now=now)  # fmt: skip


def assign_report(
    session: Session,
    *,
    report_id: int,
    expected_version: int,
    assignee_id: int | None,
    moderator: ModeratorIdentity,
    now: datetime,
) -> None:
    """Give a report to a moderator (or to nobody)."""
    report = _bump(session, report_id=report_id, expected_version=expected_version, now=now,
                   assigned_moderator_id=assignee_id)  # fmt: skip
    audit.record(session, action=Action.REPORT_ASSIGNED, actor=Actor.MODERATOR, moderator_id=moderator.id,
                 report_id=report.id, detail=f"assignee_id={assignee_id}", now=now)  # fmt: skip


def add_note(
    session: Session, *, report_id: int, body: str, moderator: ModeratorIdentity, now: datetime
) -> None:
    """Add an internal note to a report. Notes are only ever added, so none is ever lost."""
    text = clean_paragraphs(body)
    if not text:
        raise InvalidSubmission({"note": "The note is empty."})
    if len(text) > MAX_NOTE:
        raise InvalidSubmission({"note": f"Please keep a note to {MAX_NOTE:,} characters."})
    report = session.get(Report, report_id)
    if report is None:
        raise NotAllowedNow("This report doesn't exist.")
    session.add(
        ReportNote(report_id=report_id, moderator_id=moderator.id, body=text, created_at=now)
    )
    if report.first_action_at is None:
        report.first_action_at = now
    audit.record(session, action=Action.REPORT_NOTE_ADDED, actor=Actor.MODERATOR, moderator_id=moderator.id,
                 report_id=report_id, now=now)  # fmt: skip


def _locked_mentor(session: Session, mentor_id: int) -> Mentor:
    mentor = session.scalar(select(Mentor).where(Mentor.id == mentor_id).with_for_update())
    if mentor is None:
        raise NotAllowedNow("This mentor doesn't exist.")
    return mentor


def _take_down(mentor: Mentor, status: ListingStatus, now: datetime) -> None:
    if mentor.status not in (ListingStatus.REMOVED.value, ListingStatus.BANNED.value):
        mentor.status_before_takedown = mentor.status
    mentor.status = status.value
    mentor.status_changed_at = mentor.updated_at = now


def _note_first_action(session: Session, report_id: int | None, now: datetime) -> None:
    if report_id is not None:
        report = session.get(Report, report_id)
        if report is not None and report.first_action_at is None:
            report.first_action_at = now


def _take_down_with_audit(
    session: Session,
    *,
    mentor_id: int,
    reason: str,
    moderator: ModeratorIdentity,
    now: datetime,
    report_id: int | None,
    status: ListingStatus,
    allowed_from: tuple[ListingStatus, ...],
    action: Action,
) -> Mentor:
    why = _reason(reason)
    mentor = _locked_mentor(session, mentor_id)
    if mentor.status not in {s.value for s in allowed_from}:
        verb = "removed" if status is ListingStatus.REMOVED else "banned"
        raise NotAllowedNow(f"This mentor can't be {verb}: the listing is {mentor.status}.")
    _take_down(mentor, status, now)
    _note_first_action(session, report_id, now)
    audit.record(session, action=action, actor=Actor.MODERATOR, moderator_id=moderator.id,
                 mentor_id=mentor.id, report_id=report_id, reason=why, now=now)  # fmt: skip
    return mentor


def remove_mentor(
    session: Session,
    *,
    mentor_id: int,
    reason: str,
    moderator: ModeratorIdentity,
    now: datetime,
    report_id: int | None = None,
) -> None:
    """Take a mentor off the directory at once. Restore undoes it."""
    _take_down_with_audit(
        session, mentor_id=mentor_id, reason=reason, moderator=moderator, now=now, report_id=report_id,
        status=ListingStatus.REMOVED, allowed_from=(ListingStatus.LISTED, ListingStatus.PAUSED),
        action=Action.MENTOR_REMOVED,
    )  # fmt: skip


def ban_mentor(
    session: Session,
    *,
    mentor_id: int,
    reason: str,
    moderator: ModeratorIdentity,
    now: datetime,
    report_id: int | None = None,
) -> None:
    """Take a mentor off the directory and keep their email and LinkedIn profile from signing up again."""
    mentor = _take_down_with_audit(
        session, mentor_id=mentor_id, reason=reason, moderator=moderator, now=now, report_id=report_id,
        status=ListingStatus.BANNED, action=Action.MENTOR_BANNED,
        allowed_from=(ListingStatus.LISTED, ListingStatus.PAUSED, ListingStatus.REMOVED),
    )  # fmt: skip
    for kind, value in (("email", mentor.email_key), ("linkedin", mentor.linkedin_key)):
        if value:
            session.add(
                BlockedIdentity(kind=kind, value_key=value, mentor_id=mentor.id, created_at=now)
            )


def restore_mentor(
    session: Session,
    *,
    mentor_id: int,
    reason: str,
    moderator: ModeratorIdentity,
    now: datetime,
    report_id: int | None = None,
) -> None:
    """Undo a removal or a ban: the listing goes back to what it was, and any block is lifted."""
    why = _reason(reason)
    mentor = _locked_mentor(session, mentor_id)
    if mentor.status not in (ListingStatus.REMOVED.value, ListingStatus.BANNED.value):
        raise NotAllowedNow("Only a removed or banned mentor can be restored.")
    back_to = ListingStatus(mentor.status_before_takedown or ListingStatus.LISTED.value)
    mentor.status = back_to.value
    mentor.status_before_takedown = None
    mentor.status_changed_at = mentor.updated_at = now
    if back_to is ListingStatus.LISTED:
        mentor.listed_at = now
    for block in session.scalars(
        select(BlockedIdentity).where(
            BlockedIdentity.mentor_id == mentor.id, BlockedIdentity.lifted_at.is_(None)
        )
    ):
        block.lifted_at = now
    audit.record(session, action=Action.MENTOR_RESTORED, actor=Actor.MODERATOR, moderator_id=moderator.id,
                 mentor_id=mentor.id, report_id=report_id, reason=why, detail=f"restored_to={back_to.value}", now=now)  # fmt: skip
