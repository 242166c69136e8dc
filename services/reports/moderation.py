"""What moderators do: work reports through their lifecycle, and remove, ban or restore mentors.

Every action names its target and the version it was offered for. Locks are always taken in
one order (the listing, then the report), then the versions are checked: of two moderators
acting on the same mentor or report, one wins and the other gets ChangedMeanwhile, which the
edge also writes to the audit log. Acting on a mentor from a report resolves that report
("action taken") in the same transaction, linked to the listing event.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models import ReportNote
from services.accounts.auth import ModeratorIdentity
from services.audit.audit_log import Action
from services.core.refusals import InvalidSubmission, NotAllowedNow
from services.core.text import clean_paragraphs
from services.core.vocabulary import CodeClause, ReportStatus
from services.listings import listing_lifecycle
from services.listings.listing_lifecycle import (
    NEEDS_REASON,
    RESOLVES_REPORT,
    ListingAction,
    ListingMove,
)
from services.reports import report_lifecycle
from services.reports.intake import ReportCategory
from services.reports.report_lifecycle import CLOSED, ReportAction, ReportMove

MAX_NOTE = 5000
MAX_REASON = 1000


def _reason(reason: str, *, required: bool) -> str | None:
    text = clean_paragraphs(reason)
    if required and not text:
        raise InvalidSubmission({"reason": "Please give a reason: it goes into the audit log."})
    if len(text) > MAX_REASON:
        raise InvalidSubmission({"reason": f"Please keep the reason to {MAX_REASON:,} characters."})
    return text or None


def _attempt(moderator: ModeratorIdentity, what: str) -> dict[str, object]:
    return {"action": Action.ATTEMPT_REFUSED, "actor": moderator.actor, "reason": what}


def act_on_mentor(
    session: Session,
    *,
    mentor_id: int,
    expected_version: int | None,
    action: ListingAction,
    moderator: ModeratorIdentity,
    now: datetime,
    reason: str = "",
    clause: CodeClause | None = None,
    report_id: int | None = None,
    expected_report_version: int | None = None,
) -> ListingMove:
    """Remove, ban, restore (or, on request, take off the page or erase) one listing."""
    why = _reason(reason, required=action in NEEDS_REASON)
    attempt = _attempt(moderator, f"{action.label}: {why or ''}".strip(": "))
    mentor = listing_lifecycle.lock_listing(session, mentor_id)
    report = report_lifecycle.lock_report(session, report_id) if report_id is not None else None
    listing_lifecycle.expect_version(mentor, expected_version, attempt=attempt)
    if report is not None:
        report_lifecycle.expect_version(report, expected_report_version, attempt=attempt)
        if report.mentor_id != mentor.id:
            raise NotAllowedNow("This report is about another listing.")
        category = ReportCategory.parse(report.category)
        clause = clause or (category.clause if isinstance(category, ReportCategory) else None)
    move = listing_lifecycle.move_listing(session, mentor, action, actor=moderator.actor, now=now,
                                          reason=why, clause=clause, report_id=report_id)  # fmt: skip
    if report is not None and action in RESOLVES_REPORT and ReportStatus.of(report.status) not in CLOSED:
        report_lifecycle.move_report(session, report, ReportAction.RESOLVE_WITH_ACTION,
                                     actor=moderator.actor, now=now, reason=why, clause=clause,
                                     listing_event_id=move.event_id)  # fmt: skip
    return move


def act_on_report(
    session: Session,
    *,
    report_id: int,
    expected_version: int | None,
    action: ReportAction,
    moderator: ModeratorIdentity,
    now: datetime,
    reason: str = "",
) -> ReportMove:
    """Move a report through its workflow: review, resolve, dismiss, reopen."""
    why = _reason(reason, required=False)
    report = report_lifecycle.lock_report(session, report_id)
    report_lifecycle.expect_version(report, expected_version,
                                    attempt=_attempt(moderator, action.label))  # fmt: skip
    return report_lifecycle.move_report(session, report, action, actor=moderator.actor, now=now,
                                        reason=why)  # fmt: skip


def assign_report(
    session: Session,
    *,
    report_id: int,
    expected_version: int | None,
    assignee: ModeratorIdentity | None,
    moderator: ModeratorIdentity,
    now: datetime,
) -> ReportMove:
    """Give a report to a moderator (or to nobody)."""
    report = report_lifecycle.lock_report(session, report_id)
    report_lifecycle.expect_version(report, expected_version,
                                    attempt=_attempt(moderator, "Assign"))  # fmt: skip
    return report_lifecycle.move_report(
        session, report, ReportAction.ASSIGN, actor=moderator.actor, now=now,
        assignee_id=assignee.id if assignee else None,
        assignee_name=assignee.username if assignee else None,
    )  # fmt: skip


def add_note(
    session: Session, *, report_id: int, body: str, moderator: ModeratorIdentity, now: datetime
) -> None:
    """Add an internal note to a report. Notes are only ever added, so none is ever lost."""
    text = clean_paragraphs(body)
    if not text:
        raise InvalidSubmission({"note": "The note is empty."})
    if len(text) > MAX_NOTE:
        raise InvalidSubmission({"note": f"Please keep a note to {MAX_NOTE:,} characters."})
    report = report_lifecycle.lock_report(session, report_id)
    session.add(ReportNote(report_id=report.id, moderator_id=moderator.id, body=text, created_at=now))
    report_lifecycle.move_report(session, report, ReportAction.ADD_NOTE, actor=moderator.actor, now=now)
