"""A made-up year of history for the local sample setup (and, larger, for the trends benchmark).

Listings pause and come back, a few are removed or banned from a report, reports arrive by part
of the Code and are worked through the queue (first actions, decisions, the odd reopening).
Every move is checked against the lifecycles' transition tables and written as the rows they
write: the event, the audit row (unless asked not to), and the final state on the listing or
report row, consistent with its last event. Rows are bulk-inserted with explicit ids. Sample
reports say so in their text and carry references starting "WAN-S".
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from models import AuditEvent, Report, ReportEvent
from services.core import transitions
from services.core.vocabulary import ActorKind, ReportStatus
from services.reports.intake import ReportCategory, ReporterRole, ReportKind
from services.reports.report_lifecycle import CLOSED, OPEN, TRANSITIONS, ReportAction

R = ReportAction
DESCRIPTION = "Sample report, made up for trying the app out: nothing here happened."
REMOVAL_MESSAGE = "Sample removal request, made up for trying the app out."
# How often each part of the Code is reported (removal requests are added by the listing moves).
CATEGORY_WEIGHTS = {
    ReportCategory.NOT_RESPONSIVE: 30, ReportCategory.NOT_SUPPORTIVE: 12,
    ReportCategory.DISRESPECT: 10, ReportCategory.CONFIDENTIALITY: 5,
    ReportCategory.HARASSMENT: 6, ReportCategory.ILLEGAL_ACTIVITY: 2,
    ReportCategory.ASKING_FOR_PAYMENT: 6, ReportCategory.OTHER: 8,
}  # fmt: skip
OUTCOME_WEIGHTS = {R.RESOLVE_WITH_ACTION: 35, R.RESOLVE_WITHOUT_ACTION: 40, R.DISMISS: 25}
SPAM_SHARE = 0.02
BATCH = 5000


@dataclass
class ReportStory:
    """One report's life, move by move, checked against the transition table as it is told."""

    id: int
    created: datetime
    category: ReportCategory
    mentor_id: int | None
    now: datetime
    spam: bool = False
    status: ReportStatus | None = None
    version: int = 0
    first_action: datetime | None = None
    resolved: datetime | None = None
    assignee: int | None = None
    updated: datetime | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def move(self, action: ReportAction, when: datetime, *, moderator: int | None = None,
             reason: str | None = None, listing_event_id: int | None = None) -> bool:  # fmt: skip
        """Make the move if it happens before now; False (and nothing) otherwise."""
        if when >= self.now:
            return False
        actor = ActorKind.PUBLIC if action is R.FILE else ActorKind.MODERATOR
        step = transitions.check(
            TRANSITIONS, action, state=self.status, actor=actor, what="Sample report"
        )
        after = step.target if isinstance(step.target, ReportStatus) else self.status
        assert after is not None  # noqa: S101 - the table never keeps a missing state
        clause = self.category.clause
        self.events.append({
            "report_id": self.id, "occurred_at": when, "kind": action.value,
            "from_status": self.status.value if self.status else None, "to_status": after.value,
            "actor_kind": actor.value, "moderator_id": moderator, "reason": reason,
            "code_clause": clause.value if clause else None, "listing_event_id": listing_event_id,
        })  # fmt: skip
        if after in CLOSED and self.status not in CLOSED:
            self.resolved = when
        elif after in OPEN:
            self.resolved = None  # as move_report does: the events keep the earlier decision
        if actor is ActorKind.MODERATOR and self.first_action is None:
            self.first_action = when
        if action is R.ASSIGN:
            self.assignee = moderator
        self.version += 0 if action is R.ADD_NOTE else 1
        self.status, self.updated = after, when
        return True

    def row(self, rng: random.Random) -> dict[str, Any]:
        removal = self.category is ReportCategory.REMOVAL_REQUEST
        return {
            "id": self.id, "reference": f"WAN-S{self.id:07d}",
            "kind": (ReportKind.REMOVAL_REQUEST if removal else ReportKind.VIOLATION).value,
            "mentor_id": self.mentor_id, "named_person": None, "named_linkedin_url": None,
            "category": self.category.value,
            "occurred_on": None if removal else (self.created - timedelta(days=rng.randint(0, 20))).date(),
            "description": REMOVAL_MESSAGE if removal else DESCRIPTION,
            "reporter_role": None if removal else rng.choice(list(ReporterRole)).value,
            "reporter_email": None, "suspected_spam": self.spam,
            "status": self.status.value if self.status else ReportStatus.NEW.value,
            "assigned_moderator_id": self.assignee, "version": self.version,
            "created_at": self.created, "first_action_at": self.first_action,
            "resolved_at": self.resolved, "updated_at": self.updated or self.created,
        }  # fmt: skip


def _hours(rng: random.Random, median: float, spread: float = 1.0) -> timedelta:
    return timedelta(hours=rng.lognormvariate(math.log(median), spread))


def worked_report(story: ReportStory, rng: random.Random, moderators: Sequence[int | None],
                  *, speed: float = 1.0) -> ReportStory:  # fmt: skip
    """File the report, then work it as a team would; `speed` below 1 means a quicker team."""
    story.move(R.FILE, story.created)
    who = rng.choice(list(moderators) or [None])
    if story.spam:  # half are cleared out of the queue, the rest stay hidden in it
        if rng.random() < 0.5:
            story.move(R.DISMISS, story.created + _hours(rng, 200), moderator=who)
        return story
    acted = story.created + _hours(rng, 30 * speed)
    if rng.random() < 0.2 and story.move(R.ASSIGN, acted, moderator=who):
        acted += timedelta(minutes=rng.randint(5, 600))
    if not story.move(R.START_REVIEW, acted, moderator=who):
        return story
    outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
    decided = acted + _hours(rng, 60 * speed, 0.9)
    if rng.random() < 0.25:  # a note while it is looked into
        story.move(R.ADD_NOTE, acted + (decided - acted) * rng.random(), moderator=who)
    if story.move(outcome, decided, moderator=who) and rng.random() < 0.03:
        reopened = decided + _hours(rng, 48)
        if story.move(R.REOPEN, reopened, moderator=who):
            story.move(R.RESOLVE_WITH_ACTION, reopened + _hours(rng, 48), moderator=who)
    return story


def generate_reports(
    rng: random.Random, *, first_id: int, count: int, start: datetime, now: datetime,
    mentor_ids: Sequence[int], moderators: Sequence[int | None], improving: bool = True,
) -> Iterator[ReportStory]:  # fmt: skip
    """`count` worked reports received between `start` and now, spread evenly; older ones were
    handled more slowly when `improving` (the team got quicker over time)."""
    categories, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    span = (now - start).total_seconds()
    for number in range(count):
        fraction = (number + rng.random()) / count
        created = start + timedelta(seconds=span * fraction)
        story = ReportStory(
            id=first_id + number, created=created, now=now,
            category=rng.choices(categories, weights)[0], mentor_id=rng.choice(mentor_ids),
            spam=rng.random() < SPAM_SHARE,
        )  # fmt: skip
        yield worked_report(story, rng, moderators, speed=2.0 - fraction if improving else 1.0)


def next_id(session: Session, model: type[Report] | type[Any]) -> int:
    """The id after the highest one in `model`'s table."""
    return int(session.scalar(select(func.max(model.id))) or 0) + 1


def insert_reports(session: Session, stories: Iterator[ReportStory], rng: random.Random,
                   *, audit: bool = True) -> int:  # fmt: skip
    """Bulk-insert the reports, their events and (if `audit`) their audit rows; how many."""
    reports: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    count = 0
    for story in stories:
        reports.append(story.row(rng))
        events += story.events
        count += 1
        if len(reports) >= BATCH:
            _flush_reports(session, reports, events, audit=audit)
            reports, events = [], []
    if reports:
        _flush_reports(session, reports, events, audit=audit)
    fix_sequence(session, "reports")
    return count


def _flush_reports(session: Session, reports: list[dict[str, Any]], events: list[dict[str, Any]],
                   *, audit: bool) -> None:  # fmt: skip
    session.execute(insert(Report).execution_options(render_nulls=True), reports)
    session.execute(insert(ReportEvent).execution_options(render_nulls=True), events)
    if audit:
        mentors = {r["id"]: r["mentor_id"] for r in reports}
        rows = [audit_row(e, action=f"report.{e['kind']}", report_id=e["report_id"],
                          mentor_id=mentors[e["report_id"]]) for e in events]  # fmt: skip
        session.execute(insert(AuditEvent).execution_options(render_nulls=True), rows)


def audit_row(event: dict[str, Any], *, action: str, report_id: int | None,
              mentor_id: int | None) -> dict[str, Any]:  # fmt: skip
    """The audit row a lifecycle writes beside an event (marked as sample data)."""
    return {"occurred_at": event["occurred_at"], "actor_kind": event["actor_kind"],
            "moderator_id": event["moderator_id"], "actor_label": None, "action": action,
            "mentor_id": mentor_id, "report_id": report_id, "reason": event["reason"],
            "detail": "sample data"}  # fmt: skip


def fix_sequence(session: Session, table: str) -> None:
    """After inserting explicit ids, PostgreSQL's sequence must continue after the highest."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                             f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))  # fmt: skip
