"""Made-up reports worked through the queue, for the local sample setup and (many more) the trends
benchmark.

Each report is filed by the public and worked by moderators move by move through the report's
bulk path (report_lifecycle.ReportBatch): the same check against the transition table, state,
events and audit rows as move_report, written many at a time. A move that would fall after `now`
doesn't happen. Sample reports say so in their text and carry references starting "WAN-S".
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from models import ReportNote
from services.audit.audit_log import PUBLIC, Actor
from services.core.bulk_rows import insert_rows
from services.core.vocabulary import ActorKind, CodeClause
from services.reports.intake import ReportCategory, ReporterRole, ReportKind
from services.reports.report_lifecycle import ReportAction, ReportBatch

R = ReportAction
DESCRIPTION = "Sample report, made up for trying the app out: nothing here happened."
REMOVAL_MESSAGE = "Sample removal request, made up for trying the app out."
NOTE = "Sample note: asked the mentee for more detail."
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
NO_ACCOUNT = Actor(ActorKind.MODERATOR)  # a moderator's move when no account was given


@dataclass(frozen=True)
class ReportStory:
    """One sample report in a batch, told move by move."""

    batch: ReportBatch
    id: int
    created: datetime
    category: ReportCategory
    spam: bool
    now: datetime
    notes: list[dict[str, Any]]  # the batch's sample notes (ReportNote rows), written after it

    def move(self, action: ReportAction, when: datetime, *, by: Actor, reason: str | None = None,
             clause: CodeClause | None = None, listing_event_id: int | None = None) -> bool:  # fmt: skip
        """Make the move if it happens before now; False (and nothing) otherwise."""
        if when >= self.now:
            return False
        assignee = by if action is R.ASSIGN else None  # the sample team takes its own reports
        self.batch.move(self.id, action, actor=by, now=when, reason=reason, clause=clause,
                        listing_event_id=listing_event_id,
                        assignee_id=assignee.moderator_id if assignee else None,
                        assignee_name=assignee.label if assignee else None)  # fmt: skip
        return True

    def note(self, when: datetime, *, by: Actor) -> None:
        """A note, as moderation.add_note adds it: the note and the move (only by an account)."""
        if by.moderator_id is not None and self.move(R.ADD_NOTE, when, by=by):
            self.notes.append({"report_id": self.id, "moderator_id": by.moderator_id, "body": NOTE,
                               "created_at": when})  # fmt: skip


def file_sample_report(
    batch: ReportBatch, rng: random.Random, *, created: datetime, category: ReportCategory,
    mentor_id: int | None, now: datetime, spam: bool = False,
    notes: list[dict[str, Any]] | None = None,
) -> ReportStory:  # fmt: skip
    """A sample report as intake stores it, received from the public at `created`."""
    report_id = batch.ids.take()
    removal = category is ReportCategory.REMOVAL_REQUEST
    row = {
        "id": report_id, "reference": f"WAN-S{report_id:07d}",
        "kind": (ReportKind.REMOVAL_REQUEST if removal else ReportKind.VIOLATION).value,
        "mentor_id": mentor_id, "named_person": None, "named_linkedin_url": None,
        "category": category.value,
        "occurred_on": None if removal else (created - timedelta(days=rng.randint(0, 20))).date(),
        "description": REMOVAL_MESSAGE if removal else DESCRIPTION,
        "reporter_role": None if removal else rng.choice(list(ReporterRole)).value,
        "reporter_email": None, "suspected_spam": spam, "created_at": created,
    }  # fmt: skip
    batch.file(row, actor=PUBLIC, now=created, clause=category.clause)
    return ReportStory(batch, report_id, created, category, spam, now, [] if notes is None else notes)


def _hours(rng: random.Random, median: float, spread: float = 1.0) -> timedelta:
    return timedelta(hours=rng.lognormvariate(math.log(median), spread))


def worked_report(story: ReportStory, rng: random.Random, moderators: Sequence[Actor],
                  *, speed: float = 1.0) -> ReportStory:  # fmt: skip
    """Work a filed report as a team would; `speed` below 1 means a quicker team."""
    who = rng.choice(list(moderators) or [NO_ACCOUNT])
    if story.spam:  # half are cleared out of the queue, the rest stay hidden in it
        if rng.random() < 0.5:
            story.move(R.DISMISS, story.created + _hours(rng, 200), by=who)
        return story
    acted = story.created + _hours(rng, 30 * speed)
    if rng.random() < 0.2 and story.move(R.ASSIGN, acted, by=who):
        acted += timedelta(minutes=rng.randint(5, 600))
    if not story.move(R.START_REVIEW, acted, by=who):
        return story
    outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
    decided = acted + _hours(rng, 60 * speed, 0.9)
    if rng.random() < 0.25:  # a note while it is looked into
        story.note(acted + (decided - acted) * rng.random(), by=who)
    if story.move(outcome, decided, by=who) and rng.random() < 0.03:
        reopened = decided + _hours(rng, 48)
        if story.move(R.REOPEN, reopened, by=who):
            story.move(R.RESOLVE_WITH_ACTION, reopened + _hours(rng, 48), by=who)
    return story


def generate_reports(
    batch: ReportBatch, rng: random.Random, *, count: int, start: datetime, now: datetime,
    mentor_ids: Sequence[int], moderators: Sequence[Actor], improving: bool = True,
    notes: list[dict[str, Any]] | None = None,
) -> Iterator[ReportStory]:  # fmt: skip
    """`count` worked reports received between `start` and now, spread evenly; older ones were
    handled more slowly when `improving` (the team got quicker over time)."""
    categories, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    span = (now - start).total_seconds()
    for number in range(count):
        fraction = (number + rng.random()) / count
        story = file_sample_report(
            batch, rng, created=start + timedelta(seconds=span * fraction), now=now,
            category=rng.choices(categories, weights)[0], mentor_id=rng.choice(mentor_ids),
            spam=rng.random() < SPAM_SHARE, notes=notes,
        )  # fmt: skip
        yield worked_report(story, rng, moderators, speed=2.0 - fraction if improving else 1.0)


def insert_reports(
    session: Session, rng: random.Random, *, count: int, start: datetime, now: datetime,
    mentor_ids: Sequence[int], moderators: Sequence[Actor], improving: bool = True,
    audit: bool = True,
) -> int:  # fmt: skip
    """Add `count` worked reports (see generate_reports), written every BATCH; how many.
    `audit=False` leaves their audit rows out (a benchmark that never reads them)."""
    batch = ReportBatch(session, audit=audit)
    notes: list[dict[str, Any]] = []
    stories = generate_reports(batch, rng, count=count, start=start, now=now, mentor_ids=mentor_ids,
                               moderators=moderators, improving=improving, notes=notes)  # fmt: skip
    for number, _ in enumerate(stories, start=1):
        if number % BATCH == 0:
            _write(session, batch, notes)
    _write(session, batch, notes)
    return count


def _write(session: Session, batch: ReportBatch, notes: list[dict[str, Any]]) -> None:
    batch.write()
    insert_rows(session, ReportNote, notes)
    notes.clear()
