"""Appeals: a warned, removed or banned mentor may appeal the decision once, within 20 days, from
Manage my listing. The appeal is a report of kind "appeal" in the moderators' queue, naming the
listing event it appeals (unique: one appeal per decision). A moderator other than the one who
took the decision upholds or rejects it; upholding reverses the decision through the listing's
door in the same transaction (a restore while the take-down is still in place, otherwise a
withdrawal in the history). The mentor is mailed the outcome with the moderators' message.

Locks: the listing, then the appeal (as everywhere), so two moderators deciding one appeal queue
up and the second is told it changed (one decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor, Moderator, Report
from services.accounts.auth import ModeratorIdentity
from services.audit.audit_log import MENTOR, Action
from services.core import transitions
from services.core.refusals import InvalidSubmission, NotAllowedNow
from services.core.text import clean_paragraphs
from services.core.vocabulary import CodeClause, ListingStatus, ReportStatus
from services.listings import owner
from services.listings.listing_lifecycle import ListingAction, lock_listing
from services.mail import outbox
from services.mail.enforcement_texts import APPEAL_DAYS
from services.mail.templates import Kind
from services.reports import conflicts, follow_up, moderation, report_lifecycle
from services.reports.intake import LARGEST_ID, ReportCategory, ReportKind, new_reference
from services.reports.report_lifecycle import ReportAction, ReportMove

A, R = ListingAction, ReportAction
APPEALABLE = (A.WARN, A.REMOVE_FOR_DAYS, A.REMOVE, A.BAN)
TAKE_DOWNS = (A.REMOVE_FOR_DAYS, A.REMOVE, A.BAN)
WINDOW = timedelta(days=APPEAL_DAYS)
MAX_APPEAL = 2000
APPEAL = ReportKind.APPEAL.value


@dataclass(frozen=True)
class Decision:
    """A step of the ladder a mentor may appeal: what, under which part of the Code, when, by whom."""

    event_id: int
    action: ListingAction
    clause: CodeClause | None
    taken_at: datetime
    moderator_id: int | None
    moderator_name: str | None

    @property
    def appeal_until(self) -> datetime:
        return self.taken_at + WINDOW

    @property
    def label(self) -> str:
        part = f" ({self.clause.label})" if self.clause else ""
        return f"{self.action.label} on {self.taken_at:%Y-%m-%d}{part}"


@dataclass(frozen=True)
class AppealState:
    """A mentor's appeal as they see it on Manage my listing."""

    reference: str
    decision: Decision
    status: ReportStatus
    filed_at: datetime
    message: str | None  # the moderators' message with their decision

    @property
    def words(self) -> str:
        return {ReportStatus.RESOLVED_ACTION: "upheld: the decision is reversed",
                ReportStatus.RESOLVED_NO_ACTION: "rejected: the decision stands",
                ReportStatus.IN_REVIEW: "being looked at"}.get(self.status, "received")  # fmt: skip


def _decisions() -> Select[ListingEvent, str]:
    return (
        select(ListingEvent, Moderator.username)
        .outerjoin(Moderator, Moderator.id == ListingEvent.moderator_id)
        .where(ListingEvent.kind.in_([a.value for a in APPEALABLE]),
               ListingEvent.actor_kind == "moderator")
    )  # fmt: skip


def _decision(event: ListingEvent, name: str | None) -> Decision:
    return Decision(event.id, ListingAction.of(event.kind), CodeClause.parse(event.code_clause),
                    event.occurred_at, event.moderator_id, name)  # fmt: skip


def decision_of(session: Session, *, event_id: int | None) -> Decision | None:
    """The decision a listing event was, if it is one that can be appealed."""
    row = session.execute(_decisions().where(ListingEvent.id == event_id)).first() if event_id else None
    return _decision(*row) if row else None


def open_to_appeal(session: Session, *, mentor_id: int, now: datetime) -> list[Decision]:
    """The mentor's decisions still open to appeal: within 20 days, not appealed yet; newest first."""
    appealed = exists().where(Report.appeal_of_event_id == ListingEvent.id)
    rows = session.execute(
        _decisions().where(ListingEvent.mentor_id == mentor_id, ListingEvent.occurred_at > now - WINDOW, ~appealed)
        .order_by(ListingEvent.id.desc())
    ).all()  # fmt: skip
    return [_decision(*row) for row in rows]


def appeals_of(session: Session, *, mentor_id: int) -> list[AppealState]:
    """The mentor's appeals, newest first."""
    rows = session.execute(
        _decisions().add_columns(Report.reference, Report.status, Report.created_at, Report.reporter_message)
        .join(Report, Report.appeal_of_event_id == ListingEvent.id)
        .where(Report.mentor_id == mentor_id, Report.kind == APPEAL).order_by(Report.id.desc())
    ).all()  # fmt: skip
    return [AppealState(reference, _decision(event, name), ReportStatus.of(status), filed, message)
            for event, name, reference, status, filed, message in rows]  # fmt: skip


def file_appeal(session: Session, *, credential: str, event_id: int, text: str, now: datetime) -> str:
    """The mentor's appeal of one decision, into the queue; its reference."""
    mentor = owner.owned_listing(session, credential)  # locked: their appeals queue up
    why = clean_paragraphs(text)
    if not why:
        raise InvalidSubmission({"appeal": "Please say why you think the decision is wrong."})
    if len(why) > MAX_APPEAL:
        raise InvalidSubmission({"appeal": f"Please keep your appeal to {MAX_APPEAL:,} characters."})
    found = session.execute(_decisions().where(ListingEvent.id == event_id,
                                               ListingEvent.mentor_id == mentor.id)).first() if (
        0 < event_id <= LARGEST_ID) else None  # an id no page offered: "can't be appealed"  # fmt: skip
    if found is None:
        raise NotAllowedNow("This decision can't be appealed from here.")
    decision = _decision(*found)
    if now > decision.appeal_until:
        raise NotAllowedNow(f"The {APPEAL_DAYS} days to appeal this decision have passed.")
    if session.scalar(select(Report.id).where(Report.appeal_of_event_id == event_id)) is not None:
        raise NotAllowedNow("You have already appealed this decision; a decision has one appeal.")
    row = Report(reference=new_reference(), kind=APPEAL, mentor_id=mentor.id, description=why,
                 category=ReportCategory.APPEAL.value, appeal_of_event_id=event_id, created_at=now,
                 updated_at=now)  # fmt: skip
    try:
        with session.begin_nested():
            session.add(row)
            report_lifecycle.move_report(session, row, R.FILE_APPEAL, actor=MENTOR, now=now,
                                         clause=decision.clause)  # fmt: skip
    except IntegrityError:  # the same decision appealed at the same moment
        raise NotAllowedNow("You have already appealed this decision; a decision has one appeal.") from None
    return row.reference


def decide_appeal(
    session: Session,
    *,
    report_id: int,
    expected_version: int | None,
    action: ReportAction,
    moderator: ModeratorIdentity,
    now: datetime,
    reporter_message: str = "",
) -> ReportMove:
    """Uphold (reverse the decision) or reject an appeal, and mail the mentor; never by the
    moderator who took the decision."""
    if action not in report_lifecycle.APPEAL_DECISIONS:
        raise ValueError(f"{action.value} doesn't decide an appeal")
    message = follow_up.clean_message(reporter_message)
    conflicts.check_may_act(session, moderator.id, report_id=report_id)
    peek = session.execute(select(Report.mentor_id, Report.kind).where(Report.id == report_id)).first()
    if peek is None or peek.kind != APPEAL or peek.mentor_id is None:
        raise NotAllowedNow("Only an appeal is upheld or rejected.")
    mentor = lock_listing(session, peek.mentor_id)
    report = report_lifecycle.lock_report(session, report_id)
    attempt = {"action": Action.ATTEMPT_REFUSED, "actor": moderator.actor, "reason": action.label}
    report_lifecycle.expect_version(report, expected_version, attempt=attempt)
    decision = decision_of(session, event_id=report.appeal_of_event_id)
    if decision is None:
        raise NotAllowedNow("The decision this appeal is about can't be found.")
    if decision.moderator_id == moderator.id:
        raise NotAllowedNow(
            "You took this decision, so another moderator must decide its appeal. Nothing was done.",
            attempt={**attempt, "report_id": report.id, "mentor_id": mentor.id,
                     "detail": "Appeal of their own decision"},
        )  # fmt: skip
    transitions.check(report_lifecycle.TRANSITIONS, action, actor=moderator.actor.kind,
                                       state=ReportStatus.of(report.status), what=f"Appeal {report.reference}")  # fmt: skip
    if action is R.UPHOLD_APPEAL:
        undo = A.RESTORE if _still_in_place(session, mentor, decision) else A.WITHDRAW
        moderation.act_on_mentor(session, mentor_id=mentor.id, expected_version=None, action=undo,
                                 moderator=moderator, now=now, reason=f"Appeal {report.reference} upheld")  # fmt: skip
    report.reporter_message = message or None
    move = report_lifecycle.move_report(session, report, action, actor=moderator.actor, now=now,
                                        clause=decision.clause)  # fmt: skip
    _tell_mentor(session, mentor, decision, action, message, now=now)
    return move


def _still_in_place(session: Session, mentor: Mentor, decision: Decision) -> bool:
    """True while the take-down appealed is what keeps the listing down (no later one)."""
    if decision.action not in TAKE_DOWNS or mentor.status not in (ListingStatus.REMOVED.value,
                                                                   ListingStatus.BANNED.value):  # fmt: skip
        return False
    latest = session.scalar(select(func.max(ListingEvent.id)).where(
        ListingEvent.mentor_id == mentor.id,
        ListingEvent.kind.in_([a.value for a in (*TAKE_DOWNS, A.RESTORE, A.RETURN_ON_DATE)])))  # fmt: skip
    return latest == decision.event_id


def _tell_mentor(session: Session, mentor: Mentor, decision: Decision, action: ReportAction,
                 message: str, *, now: datetime) -> None:  # fmt: skip
    if not mentor.email or mentor.is_sample:
        return
    outcome = ("upheld: the decision is reversed" if action is R.UPHOLD_APPEAL
               else "rejected: the decision stands")  # fmt: skip
    outbox.queue(session, kind=Kind.APPEAL_DECIDED, recipient=mentor.email, now=now, mentor_id=mentor.id,
                 values={"name": mentor.full_name, "decision": decision.label, "outcome": outcome,
                         "message": message})  # fmt: skip
