"""The local sample setup's year of history, so the trends page tells a story on the first start.

On top of the sample mentors (services/samples/mentors.py): some listed mentors paused for a while
and came back; a few were removed or banned from a report (one removal later restored); a few
asked to be taken off the page; about three reports a week were worked through the queue, by a
team that got quicker over the year; mentees searched the directory every day. Each listing
move is checked against the listing's transition table and leaves the row where its last event
says; everything is marked as sample data, like the mentors.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from models import AuditEvent, BlockedIdentity, ListingEvent, Mentor, Report, ReportEvent
from services.core import transitions
from services.core.vocabulary import ListingStatus
from services.listings.listing_lifecycle import TRANSITIONS, ListingAction
from services.reports.intake import ReportCategory
from services.reports.report_lifecycle import ReportAction
from services.samples.report_stories import (
    ReportStory,
    audit_row,
    fix_sequence,
    generate_reports,
    next_id,
)
from services.samples.searches import insert_sample_searches

A = ListingAction
YEAR = timedelta(days=365)
REPORTS_PER_WEEK = 3
TAKE_DOWNS = (  # (action, how many, what the report said)
    (A.REMOVE, 5, (ReportCategory.NOT_RESPONSIVE, ReportCategory.DISRESPECT)),
    (A.BAN, 2, (ReportCategory.HARASSMENT, ReportCategory.ASKING_FOR_PAYMENT)),
    (A.TAKE_OFF_ON_REQUEST, 4, (ReportCategory.REMOVAL_REQUEST,)),
)
REASONS = {A.REMOVE: "Sample: did not respond to the mentee for weeks.",
           A.BAN: "Sample: a serious breach of section 3.", A.RESTORE: "Sample: apologised.",
           A.TAKE_OFF_ON_REQUEST: "Sample: asked to be taken off the page."}  # fmt: skip


@dataclass(frozen=True)
class SampleYear:
    """How much history was made."""

    listing_events: int
    reports: int
    searches: int


@dataclass
class ListingStory:
    """A listed sample mentor's moves over the year, checked against the transition table."""

    row: Any  # id, email_key, linkedin_key, version of the mentor
    status: ListingStatus = ListingStatus.LISTED
    before_takedown: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)  # for the mentor's row

    def move(self, action: ListingAction, when: datetime, event_id: int, *, moderator: int | None = None,
             report: ReportStory | None = None) -> dict[str, Any]:  # fmt: skip
        actor = next(iter(TRANSITIONS[action].actors))
        step = transitions.check(
            TRANSITIONS, action, state=self.status, actor=actor, what="Sample listing"
        )
        if isinstance(step.target, ListingStatus):
            after = step.target
        elif step.target is transitions.Target.PREVIOUS:
            after = ListingStatus.of(self.before_takedown or ListingStatus.LISTED.value)
        else:
            after = self.status
        takedown = (ListingStatus.REMOVED, ListingStatus.BANNED)
        if after in takedown and self.status not in takedown:
            self.before_takedown = self.status.value
        elif after not in takedown:
            self.before_takedown = None
        clause = report.category.clause if report else None
        event = {"id": event_id, "mentor_id": self.row.id, "occurred_at": when, "kind": action.value,
                 "from_status": self.status.value, "to_status": after.value, "actor_kind": actor.value,
                 "moderator_id": moderator, "reason": REASONS.get(action),
                 "code_clause": clause.value if clause else None, "report_id": report.id if report else None}  # fmt: skip
        self.status = after
        version = self.changes.get("version", self.row.version) + 1
        self.changes.update(status=after.value, status_before_takedown=self.before_takedown,
                            status_changed_at=when, updated_at=when, version=version)  # fmt: skip
        if after is ListingStatus.LISTED:
            self.changes["listed_at"] = when
        return event


def insert_sample_year(
    session: Session, *, now: datetime, moderator_id: int | None, seed: int = 42
) -> SampleYear:
    """Add a year of sample history to the sample mentors already in the database."""
    rng = random.Random(seed)
    listed = session.execute(
        select(Mentor.id, Mentor.created_at, Mentor.email_key, Mentor.linkedin_key, Mentor.version)
        .where(Mentor.is_sample.is_(True), Mentor.status == ListingStatus.LISTED.value,
               Mentor.created_at < now - timedelta(days=60))
        .order_by(Mentor.id)
    ).all()  # fmt: skip
    if not listed:
        return SampleYear(0, 0, 0)
    stories = {row.id: ListingStory(row) for row in listed}
    event_id, report_id = next_id(session, ListingEvent), next_id(session, Report)
    moderators = [moderator_id]
    events: list[dict[str, Any]] = []
    reports: list[ReportStory] = []
    chosen = rng.sample(list(stories), min(len(stories), sum(n for _, n, _ in TAKE_DOWNS)))
    for action, how_many, categories in TAKE_DOWNS:
        for mentor_id in [chosen.pop() for _ in range(min(how_many, len(chosen)))]:
            story = stories[mentor_id]
            earliest = max(story.row.created_at + timedelta(days=5), now - timedelta(days=330))
            when = earliest + (now - timedelta(days=10) - earliest) * rng.random()
            report = ReportStory(report_id, when - timedelta(hours=rng.uniform(20, 120)),
                                 rng.choice(categories), mentor_id, now)  # fmt: skip
            report_id += 1
            report.move(ReportAction.FILE, report.created)
            report.move(ReportAction.START_REVIEW, report.created + (when - report.created) / 2,
                        moderator=moderator_id)  # fmt: skip
            events.append(story.move(action, when, event_id, moderator=moderator_id, report=report))
            report.move(ReportAction.RESOLVE_WITH_ACTION, when, moderator=moderator_id,
                        reason=REASONS[action], listing_event_id=event_id)  # fmt: skip
            event_id += 1
            reports.append(report)
            if action is A.REMOVE and not any(e["kind"] == A.RESTORE.value for e in events):
                events.append(story.move(A.RESTORE, min(when + timedelta(days=12), now - timedelta(hours=1)),
                                         event_id, moderator=moderator_id))  # fmt: skip
                event_id += 1
    for story in stories.values():
        if not story.changes and rng.random() < 0.3:  # listed all along: a break of a few weeks
            start = max(story.row.created_at + timedelta(days=1), now - YEAR)
            paused = start + (now - timedelta(days=40) - start) * rng.random()
            events.append(story.move(A.PAUSE, paused, event_id))
            events.append(
                story.move(A.RESUME, paused + timedelta(days=rng.uniform(3, 35)), event_id + 1)
            )
            event_id += 2
    weeks = 52 * REPORTS_PER_WEEK
    reports += generate_reports(rng, first_id=report_id, count=weeks, start=now - YEAR, now=now,
                                mentor_ids=list(stories), moderators=moderators)  # fmt: skip
    _write(session, rng, stories, events, reports)
    searches = insert_sample_searches(session, rng=rng, now=now)
    return SampleYear(len(events), len(reports), searches)


def _write(session: Session, rng: random.Random, stories: dict[int, ListingStory],
           events: list[dict[str, Any]], reports: list[ReportStory]) -> None:  # fmt: skip
    """Reports first, then the listing events that name them, then the report events that name those."""
    session.execute(
        insert(Report).execution_options(render_nulls=True), [r.row(rng) for r in reports]
    )
    if events:
        session.execute(insert(ListingEvent).execution_options(render_nulls=True), events)
    report_events = [e for r in reports for e in r.events]
    session.execute(insert(ReportEvent).execution_options(render_nulls=True), report_events)
    mentor_of = {r.id: r.mentor_id for r in reports}
    audit = [audit_row(e, action=f"listing.{e['kind']}", report_id=e["report_id"], mentor_id=e["mentor_id"])
             for e in events] + [audit_row(e, action=f"report.{e['kind']}", report_id=e["report_id"],
                                           mentor_id=mentor_of[e["report_id"]]) for e in report_events]  # fmt: skip
    session.execute(insert(AuditEvent).execution_options(render_nulls=True), audit)
    for story in stories.values():
        if story.changes:
            session.execute(update(Mentor).where(Mentor.id == story.row.id).values(**story.changes))
        if story.status is ListingStatus.BANNED:
            session.add_all(BlockedIdentity(kind=kind, value_key=value, mentor_id=story.row.id,
                                            created_at=story.changes["status_changed_at"])
                            for kind, value in (("email", story.row.email_key),
                                                ("linkedin", story.row.linkedin_key)) if value)  # fmt: skip
    for table in ("reports", "listing_events"):
        fix_sequence(session, table)
