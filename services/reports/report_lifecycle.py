"""A report's lifecycle: its transition table and the one door every change of its state goes through.

`move_report` checks the move against `TRANSITIONS`, writes the new state (status, when it was
first acted on and resolved, who it is assigned to), bumps the version unless nothing about the
report changed (a note), and appends the typed event and the audit row, in the caller's
transaction. `lock_report` takes the lock, always after any listing's lock. `ReportBatch`, its
bulk path for sample data and benchmarks, makes the same moves with the same parts, written many
at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from models import Report, ReportEvent
from services.audit import audit_log
from services.audit.audit_log import Actor
from services.core import bulk_rows, transitions
from services.core.refusals import ChangedMeanwhile
from services.core.transitions import Target, transition
from services.core.vocabulary import ActorKind, CodeClause, LabelledEnum, ReportStatus
from services.reports import follow_up

PUBLIC, MENTOR, MODERATOR, SYSTEM = ActorKind.PUBLIC, ActorKind.MENTOR, ActorKind.MODERATOR, ActorKind.SYSTEM
NEW, IN_REVIEW, RESOLVED_ACTION, RESOLVED_NO_ACTION, DISMISSED = (
    ReportStatus.NEW, ReportStatus.IN_REVIEW, ReportStatus.RESOLVED_ACTION,
    ReportStatus.RESOLVED_NO_ACTION, ReportStatus.DISMISSED,
)  # fmt: skip
OPEN = (NEW, IN_REVIEW)
CLOSED = (RESOLVED_ACTION, RESOLVED_NO_ACTION, DISMISSED)


class ReportAction(LabelledEnum):
    """What can happen to a report. The value is the event's kind in `report_events`."""

    FILE = ("filed", "Received")
    START_REVIEW = ("review_started", "Review started")
    RESOLVE_WITH_ACTION = ("resolved_with_action", "Resolved: action taken")
    RESOLVE_WITHOUT_ACTION = ("resolved_without_action", "Resolved: no action")
    DISMISS = ("dismissed", "Dismissed")
    REOPEN = ("reopened", "Reopened")
    ASSIGN = ("assigned", "Assigned")
    ADD_NOTE = ("note_added", "Note added")
    ACKNOWLEDGE = ("acknowledged", "Acknowledged")  # "a moderator has it": the reporter is told
    LISTING_RESTORED = ("listing_restored", "Listing restored")  # the take-down it led to, undone
    FILE_APPEAL = ("appeal_filed", "Appeal received")  # from the mentor (services/reports/appeals.py)
    UPHOLD_APPEAL = ("appeal_upheld", "Appeal upheld: decision reversed")
    REJECT_APPEAL = ("appeal_rejected", "Appeal rejected: decision stands")


R = ReportAction
TRANSITIONS: dict[ReportAction, transitions.Transition[ReportStatus]] = {
    R.FILE: transition([None], NEW, PUBLIC),
    R.FILE_APPEAL: transition([None], NEW, MENTOR),
    R.ACKNOWLEDGE: transition([NEW], Target.STAY, MODERATOR),
    R.START_REVIEW: transition([NEW], IN_REVIEW, MODERATOR),
    R.RESOLVE_WITH_ACTION: transition(OPEN, RESOLVED_ACTION, MODERATOR),
    R.RESOLVE_WITHOUT_ACTION: transition(OPEN, RESOLVED_NO_ACTION, MODERATOR),
    R.DISMISS: transition(OPEN, DISMISSED, MODERATOR),
    R.UPHOLD_APPEAL: transition(OPEN, RESOLVED_ACTION, MODERATOR),
    R.REJECT_APPEAL: transition(OPEN, RESOLVED_NO_ACTION, MODERATOR),
    R.REOPEN: transition(CLOSED, IN_REVIEW, MODERATOR),
    R.ASSIGN: transition(OPEN, Target.STAY, MODERATOR),
    R.ADD_NOTE: transition([*OPEN, *CLOSED], Target.STAY, MODERATOR),
    R.LISTING_RESTORED: transition([*OPEN, *CLOSED], Target.STAY, MODERATOR),
}
# Buttons that move a report's status (assigning and notes have widgets of their own).
STATUS_STEPS = (R.ACKNOWLEDGE, R.START_REVIEW, R.RESOLVE_WITH_ACTION, R.RESOLVE_WITHOUT_ACTION,
                R.DISMISS, R.REOPEN, R.UPHOLD_APPEAL, R.REJECT_APPEAL)  # fmt: skip
APPEAL_DECISIONS = (R.UPHOLD_APPEAL, R.REJECT_APPEAL)
DECISIONS = (R.RESOLVE_WITH_ACTION, R.RESOLVE_WITHOUT_ACTION, R.DISMISS, *APPEAL_DECISIONS)
# An appeal is decided once, by Uphold or Reject: not resolved like a report, nor reopened.
NOT_FOR_APPEALS = (R.RESOLVE_WITH_ACTION, R.RESOLVE_WITHOUT_ACTION, R.DISMISS, R.REOPEN)


@dataclass(frozen=True)
class ReportMove:
    event_id: int
    report_id: int
    action: ReportAction
    from_status: ReportStatus | None
    to_status: ReportStatus


def moderator_actions(status: ReportStatus) -> list[ReportAction]:
    """Everything a moderator may do to a report in `status` now (steps, assigning, notes)."""
    return transitions.allowed(TRANSITIONS, state=status, actor=MODERATOR)


def status_steps(
    status: ReportStatus, *, acknowledged: bool = False, appeal: bool = False
) -> list[ReportAction]:
    """The status changes a moderator may make to a report in `status` now (acknowledging only
    until a moderator first acted on it); an appeal's decisions are its own."""
    allowed = transitions.allowed(TRANSITIONS, state=status, actor=MODERATOR)
    skip = NOT_FOR_APPEALS if appeal else APPEAL_DECISIONS
    return [a for a in allowed if a in STATUS_STEPS and a not in skip
            and not (a is R.ACKNOWLEDGE and acknowledged)]  # fmt: skip


def lock_report(session: Session, report_id: int) -> Report:
    """The report, locked for this transaction and read fresh (always after any listing)."""
    return transitions.lock(session, Report, report_id, missing="This report doesn't exist.")


def expect_version(report: Report, expected: int | None, *, attempt: dict[str, object]) -> None:
    """Refuse, naming the report and its state now, when it changed since `expected` was read."""
    if expected is None or report.version == expected:
        return
    status = ReportStatus.of(report.status)
    raise ChangedMeanwhile(
        f"Report {report.reference} was changed by another moderator just now: it is now "
        f"{status.label.lower()}. Nothing was done; please check it and decide again.",
        attempt={**attempt, "report_id": report.id, "mentor_id": report.mentor_id,
                 "detail": f"Report had changed (now {status.label.lower()})"},
    )  # fmt: skip


class ReportState(Protocol):
    """What a move reads and writes on a report: the row (the door), or the bulk path's copy."""

    id: int
    reference: str
    mentor_id: int | None
    status: str
    assigned_moderator_id: int | None
    version: int
    first_action_at: datetime | None
    resolved_at: datetime | None
    updated_at: datetime


def move_report(
    session: Session,
    report: Report,
    action: ReportAction,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
    clause: CodeClause | None = None,
    listing_event_id: int | None = None,
    assignee_id: int | None = None,
    assignee_name: str | None = None,
) -> ReportMove:
    """The one door: check the move, apply it, and record it (event + audit) in this transaction;
    the reporter hears of the first action on their case and of its decision (follow_up)."""
    before = ReportStatus.of(report.status) if report.id is not None else None
    first_action = actor.kind is MODERATOR and report.first_action_at is None
    after = _step(report, action, before, actor=actor, now=now, assignee_id=assignee_id)
    session.flush()
    row, audit = _records(report, action, before, after, actor, now, reason, clause,
                          listing_event_id, assignee_name)  # fmt: skip
    event = ReportEvent(**row)
    session.add(event)
    session.flush()
    audit_log.record_entry(session, audit)
    follow_up.tell_reporter(session, report, first_action=first_action,
                            decided=after in CLOSED and before in OPEN, now=now)  # fmt: skip
    return ReportMove(event.id, report.id, action, before, after)


def _step(
    report: ReportState, action: ReportAction, before: ReportStatus | None, *, actor: Actor,
    now: datetime, assignee_id: int | None,
) -> ReportStatus:  # fmt: skip
    """Check the move against the table and write the state it leads to on the row; that state."""
    move = transitions.check(TRANSITIONS, action, state=before, actor=actor.kind,
                           what=f"Report {report.reference}")  # fmt: skip
    after = move.target if isinstance(move.target, ReportStatus) else before
    if after is None:
        raise ValueError("a transition that keeps the state needs a state to keep")
    report.status = after.value
    report.updated_at = now
    if action is R.ASSIGN:
        report.assigned_moderator_id = assignee_id
    if after in CLOSED and before not in CLOSED:
        report.resolved_at = now
    elif after in OPEN:
        report.resolved_at = None  # the events keep when it was resolved before
    if actor.kind is MODERATOR and report.first_action_at is None:
        report.first_action_at = now
    if action is not R.ADD_NOTE:
        report.version = (report.version or 0) + 1
    return after


def _records(
    report: ReportState, action: ReportAction, before: ReportStatus | None, after: ReportStatus,
    actor: Actor, now: datetime, reason: str | None, clause: CodeClause | None,
    listing_event_id: int | None, assignee_name: str | None,
) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    """The columns of the move's event row and of its audit row."""
    event = {"report_id": report.id, "occurred_at": now, "kind": action.value,
             "from_status": before.value if before else None, "to_status": after.value,
             "actor_kind": actor.kind.value, "moderator_id": actor.moderator_id, "reason": reason,
             "code_clause": clause.value if clause else None, "listing_event_id": listing_event_id}  # fmt: skip
    detail = f"{before.label if before else 'New'} → {after.label}"
    if action is R.ASSIGN:
        detail = f"Assigned to {assignee_name or 'nobody'}"
    audit = audit_log.entry(action=f"report.{action.value}", actor=actor, now=now, report_id=report.id,
                            mentor_id=report.mentor_id, reason=reason, detail=detail)  # fmt: skip
    return event, audit


@dataclass(slots=True)
class _Copy:
    """The bulk path's copy of a report being filed (a plain object: a million are cheap)."""

    id: int
    reference: str
    mentor_id: int | None
    updated_at: datetime
    status: str = ""  # not filed yet
    assigned_moderator_id: int | None = None
    version: int = 0
    first_action_at: datetime | None = None
    resolved_at: datetime | None = None


class ReportBatch(bulk_rows.MoveBatch[_Copy]):
    """The bulk path beside `move_report`, for filling a database nobody else writes to (sample
    data, benchmarks): each move is the door's own (`_step`, `_records`), the rows wait for the
    write. Reports go in first (`write_reports`), then whatever names them (a listing event),
    then their events and audit rows (`write_events`); `write` does both."""

    def __init__(self, session: Session, *, audit: bool = True) -> None:
        super().__init__(session, Report, ReportEvent, STATE, audit=audit)

    def file(self, row: dict[str, Any], *, actor: Actor, now: datetime,
             clause: CodeClause | None = None, action: ReportAction = R.FILE) -> ReportMove:  # fmt: skip
        """A new report (or, with FILE_APPEAL, an appeal) with these columns, received: as intake
        stores it, with an id taken from `ids` (so its reference can be made from it)."""
        self.add(_Copy(row["id"], row["reference"], row["mentor_id"], now), row["id"], row)
        return self.move(row["id"], action, actor=actor, now=now, clause=clause)

    def move(self, report_id: int, action: ReportAction, *, actor: Actor, now: datetime,
             reason: str | None = None, clause: CodeClause | None = None,
             listing_event_id: int | None = None, assignee_id: int | None = None,
             assignee_name: str | None = None) -> ReportMove:  # fmt: skip
        """What move_report would do to this report (filed here)."""
        report = self.rows[report_id]
        before = ReportStatus.of(report.status) if report.status else None  # new
        after = _step(report, action, before, actor=actor, now=now, assignee_id=assignee_id)
        records = _records(report, action, before, after, actor, now, reason, clause,
                           listing_event_id, assignee_name)  # fmt: skip
        return ReportMove(self.keep(report_id, *records), report_id, action, before, after)

    def write_reports(self) -> None:
        """Insert the reports filed here, as their moves left them."""
        bulk_rows.insert_rows(self.session, Report, self.take_new_rows())
        bulk_rows.continue_sequence(self.session, Report)

    def write_events(self) -> int:
        """Insert the events and audit rows; how many moves. The batch is then empty."""
        count = self.write_history()
        self.forget()
        return count

    def write(self) -> int:
        """The reports, then their events and audit rows; how many moves."""
        self.write_reports()
        return self.write_events()


STATE = ("status", "assigned_moderator_id", "version", "first_action_at", "resolved_at", "updated_at")  # fmt: skip
