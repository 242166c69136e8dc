"""What moderators do: work reports through their lifecycle, and remove, ban or restore mentors.

Every action names its target and the version it was offered for. Locks are always taken in
one order (the listing, then the report), then the versions are checked: of two moderators
acting on the same mentor or report, one wins and the other gets ChangedMeanwhile, which the
edge also writes to the audit log. Acting on a mentor from a report resolves that report
("action taken") in the same transaction, linked to the listing event; removing or banning also
resolves every other open report of a violation by that mentor, each linked to the same event
(locked after the listing, in id order, so two moderators never wait on each other in a circle).
Restoring the listing notes it ("listing restored") on the reports its take-down resolved, linked
to the restore: their history shows it, and their decision stays as it was.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from models import ListingEvent, Report, ReportEvent, ReportNote
from services.accounts.auth import ModeratorIdentity
from services.audit.audit_log import Action
from services.core.refusals import InvalidSubmission, NotAllowedNow
from services.core.text import clean_paragraphs
from services.core.vocabulary import CodeClause, ReportStatus
from services.listings import enforcement, listing_lifecycle
from services.listings.listing_lifecycle import (
    NEEDS_REASON,
    RESOLVES_OPEN_REPORTS,
    RESOLVES_REPORT,
    ListingAction,
    ListingMove,
)
from services.reports import conflicts, follow_up, report_lifecycle
from services.reports.intake import ReportCategory, ReportKind
from services.reports.report_lifecycle import OPEN, ReportAction, ReportMove

A = ListingAction
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
    days: int | None = None,
) -> ListingMove:
    """Take a step of the enforcement ladder (note, warn, remove for `days` days, remove, ban),
    restore, or (on request) take off the page or erase one listing, and record it on the reports
    it answers (RESOLVES_REPORT, RESOLVES_OPEN_REPORTS) or undoes (a restore). A step of the ladder
    names its part of the Code (from the report's category unless chosen) and tells the mentor."""
    why = _reason(reason, required=action in NEEDS_REASON)
    attempt = _attempt(moderator, f"{action.label}: {why or ''}".strip(": "))
    conflicts.check_may_act(session, moderator.id, mentor_id=mentor_id, report_id=report_id)
    mentor = listing_lifecycle.lock_listing(session, mentor_id)
    concerned = _reports_concerned(session, mentor_id=mentor.id, action=action)
    acted_from = {report_id} if report_id is not None else set()
    reports = {i: report_lifecycle.lock_report(session, i) for i in sorted(concerned | acted_from)}
    report = reports.get(report_id) if report_id is not None else None
    listing_lifecycle.expect_version(mentor, expected_version, attempt=attempt)
    if report is not None:
        report_lifecycle.expect_version(report, expected_report_version, attempt=attempt)
        if report.mentor_id != mentor.id:
            raise NotAllowedNow("This report is about another listing.")
        if report.kind == ReportKind.APPEAL.value:
            raise NotAllowedNow("An appeal is decided with Uphold or Reject, not by acting on the listing.")
        category = ReportCategory.parse(report.category)
        clause = clause or (category.clause if isinstance(category, ReportCategory) else None)
    listing_lifecycle.require(mentor, action, actor=moderator.actor.kind)  # the state, before the clause
    enforcement.check_clause(action, clause)
    until = enforcement.removal_ends(days, today=now.date()) if action is A.REMOVE_FOR_DAYS else None
    move = listing_lifecycle.move_listing(session, mentor, action, actor=moderator.actor, now=now,
                                          reason=why, clause=clause, report_id=report_id,
                                          removed_until=until)  # fmt: skip
    if clause is not None:
        enforcement.tell_mentor(session, mentor, action, clause, now=now)
    for each in reports.values():  # in id order, like the locks
        if action is ListingAction.RESTORE:
            step = ReportAction.LISTING_RESTORED if each.id in concerned else None
        elif (each is report and action in RESOLVES_REPORT) or each.id in concerned:
            step = ReportAction.RESOLVE_WITH_ACTION if ReportStatus.of(each.status) in OPEN else None
        else:
            step = None
        if step is not None:
            report_lifecycle.move_report(session, each, step, actor=moderator.actor, now=now,
                                         reason=why, clause=clause, listing_event_id=move.event_id)  # fmt: skip
    return move


def _open_reports_about(mentor_id: int) -> Select[int]:
    """The open reports of a violation by this mentor (suspected spam aside), in id order."""
    return (
        select(Report.id)
        .where(Report.mentor_id == mentor_id, Report.kind == ReportKind.VIOLATION.value,
               Report.status.in_([s.value for s in OPEN]), Report.suspected_spam.is_(False))
        .order_by(Report.id)
    )  # fmt: skip


def _resolved_by_the_take_down(mentor_id: int) -> Select[int]:
    """The reports resolved by the take-downs (removal, ban) since the listing was last restored."""
    last_restore = (
        select(func.coalesce(func.max(ListingEvent.id), 0))
        .where(ListingEvent.mentor_id == mentor_id, ListingEvent.kind == ListingAction.RESTORE.value)
        .scalar_subquery()
    )  # fmt: skip
    take_downs = select(ListingEvent.id).where(
        ListingEvent.mentor_id == mentor_id, ListingEvent.id > last_restore,
        ListingEvent.kind.in_([a.value for a in RESOLVES_OPEN_REPORTS]),
    )  # fmt: skip
    return (
        select(ReportEvent.report_id)
        .where(ReportEvent.kind == ReportAction.RESOLVE_WITH_ACTION.value,
               ReportEvent.listing_event_id.in_(take_downs))
        .distinct()
    )  # fmt: skip


def _reports_concerned(session: Session, *, mentor_id: int, action: ListingAction) -> set[int]:
    """Besides the report acted from: the reports a take-down resolves, or a restore undoes."""
    if action in RESOLVES_OPEN_REPORTS:
        return set(session.scalars(_open_reports_about(mentor_id)))
    if action is ListingAction.RESTORE:
        return set(session.scalars(_resolved_by_the_take_down(mentor_id)))
    return set()


def other_open_reports(
    session: Session, *, mentor_id: int, action: ListingAction, report_id: int | None = None
) -> int:
    """How many open reports, besides `report_id`, taking `action` on this mentor would resolve."""
    if action not in RESOLVES_OPEN_REPORTS:
        return 0
    others = _open_reports_about(mentor_id)
    if report_id is not None:
        others = others.where(Report.id != report_id)
    return int(session.scalar(select(func.count()).select_from(others.subquery())) or 0)


def act_on_report(
    session: Session,
    *,
    report_id: int,
    expected_version: int | None,
    action: ReportAction,
    moderator: ModeratorIdentity,
    now: datetime,
    reason: str = "",
    reporter_message: str = "",
) -> ReportMove:
    """Move a report through its workflow: acknowledge, review, resolve, dismiss, reopen. With a
    decision, `reporter_message` is what the reporter reads with it (follow_up)."""
    why = _reason(reason, required=False)
    message = follow_up.clean_message(reporter_message)
    conflicts.check_may_act(session, moderator.id, report_id=report_id)
    report = report_lifecycle.lock_report(session, report_id)
    report_lifecycle.expect_version(report, expected_version,
                                    attempt=_attempt(moderator, action.label))  # fmt: skip
    appeal = report.kind == ReportKind.APPEAL.value
    if action in (report_lifecycle.NOT_FOR_APPEALS if appeal else report_lifecycle.APPEAL_DECISIONS):
        raise NotAllowedNow("An appeal is decided with Uphold or Reject only."
                            if appeal else "Only an appeal is upheld or rejected.")  # fmt: skip
    if action in report_lifecycle.DECISIONS:
        report.reporter_message = message or None  # a decision's own message, none kept from before
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
    """Give a report to a moderator (or to nobody) who may see it."""
    conflicts.check_may_act(session, moderator.id, report_id=report_id)
    if assignee is not None and assignee.id not in conflicts.may_handle(session, report_id=report_id):
        raise NotAllowedNow("This moderator can't take this case; please choose another.")
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
    conflicts.check_may_act(session, moderator.id, report_id=report_id)
    report = report_lifecycle.lock_report(session, report_id)
    session.add(ReportNote(report_id=report.id, moderator_id=moderator.id, body=text, created_at=now))
    report_lifecycle.move_report(session, report, ReportAction.ADD_NOTE, actor=moderator.actor, now=now)

