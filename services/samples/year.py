"""The local sample setup's year of history, so the trends page tells a story on the first start.

On top of the sample mentors (services/samples/mentors.py): a few were removed or banned by a
moderator from a report, which that resolved (one removal later restored); a few asked to be
taken off the page; some listed mentors paused for a while and came back (signing the Code
again); about three reports a week were worked through the queue, by a team that got quicker
over the year; a few people signed up and never confirmed their address, and the system deleted
their sign-up a week later; mentees searched the directory every day; some mentors said they
were still available, the clock paused a few who didn't answer (services/samples/freshness.py). Every move goes through the
lifecycles' bulk paths (listing_batch.ListingBatch, report_lifecycle.ReportBatch): the
doors' own checks, effects and rows. Everything is marked as sample data, like the mentors.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Mentor, Moderator, Signature
from services.accounts.auth import ModeratorIdentity
from services.audit.audit_log import MENTOR, SYSTEM, Actor
from services.core.bulk_rows import insert_rows
from services.core.vocabulary import ListingStatus
from services.evidence.receipts import new_receipt_code
from services.listings.code_of_conduct import current_code, record_code_version
from services.listings.confirmation import UNCONFIRMED_KEPT
from services.listings.listing_batch import ListingBatch
from services.listings.listing_lifecycle import (
    RESOLVES_REPORT,
    ListingAction,
    lock_listing,
    move_listing,
)
from services.reports.intake import ReportCategory
from services.reports.report_lifecycle import ReportAction, ReportBatch
from services.samples.appeals import SampleDecision, insert_appeals
from services.samples.freshness import insert_freshness
from services.samples.mentors import generate_mentors, sign_up_samples
from services.samples.report_stories import NO_ACCOUNT, file_sample_report, insert_reports
from services.samples.searches import insert_sample_searches

A, C = ListingAction, ReportCategory
YEAR = timedelta(days=365)
REPORTS_PER_WEEK = 3
UNCONFIRMED = 12
# action -> (how many in the sample year, what the report said)
TAKE_DOWNS: dict[ListingAction, tuple[int, tuple[ReportCategory, ...]]] = {
    A.WARN: (6, (C.NOT_RESPONSIVE, C.NOT_SUPPORTIVE)),
    A.REMOVE_FOR_DAYS: (3, (C.DISRESPECT, C.CONFIDENTIALITY)),
    A.REMOVE: (5, (C.NOT_RESPONSIVE, C.DISRESPECT)),
    A.BAN: (2, (C.HARASSMENT, C.ASKING_FOR_PAYMENT)),
    A.TAKE_OFF_ON_REQUEST: (4, (C.REMOVAL_REQUEST,)),
}
REMOVED_FOR = timedelta(days=14)  # a sample removal for days
REASONS = {A.WARN: "Sample: slow to reply, and did not say so.",
           A.REMOVE_FOR_DAYS: "Sample: a dismissive message to a mentee.",
           A.REMOVE: "Sample: did not respond to the mentee for weeks.",
           A.BAN: "Sample: a serious breach of section 3.", A.RESTORE: "Sample: apologised.",
           A.TAKE_OFF_ON_REQUEST: "Sample: asked to be taken off the page."}  # fmt: skip


@dataclass(frozen=True)
class SampleYear:
    """How much history was made."""

    listing_events: int
    reports: int
    searches: int


def insert_sample_year(
    session: Session, *, now: datetime, moderator_id: int | None, seed: int = 42
) -> SampleYear:
    """Add a year of sample history to the sample mentors already in the database; the
    moderator's moves are this account's (or, without one, a moderator's without an account)."""
    rng = random.Random(seed)
    moderator = sample_moderator(session, moderator_id)
    listed = listed_sample_mentors(session, before=now - timedelta(days=60))
    if not listed:
        return SampleYear(0, 0, 0)
    chosen = rng.sample(listed, min(len(listed), sum(n for n, _ in TAKE_DOWNS.values())))
    taken, take_down_reports, decisions = insert_take_downs(
        session, rng, mentor_ids=chosen, counts={a: n for a, (n, _) in TAKE_DOWNS.items()},
        restores=1, moderators=[moderator], since=now - timedelta(days=330), now=now,
    )  # fmt: skip
    appeals, appeal_moves = insert_appeals(session, rng, decisions, now=now)
    untouched = [i for i in listed if i not in chosen]
    fresh = insert_freshness(session, rng, untouched, now=now)
    breaks = _insert_breaks(session, rng, fresh.free, now=now)
    still_listed = [i for i in untouched if i not in set(fresh.paused)]  # reports name listed mentors only
    reports = insert_reports(session, rng, count=52 * REPORTS_PER_WEEK, start=now - YEAR, now=now,
                             mentor_ids=still_listed, moderators=[moderator])  # fmt: skip
    dropped = _insert_unconfirmed(session, now=now)
    searches = insert_sample_searches(session, rng=rng, now=now)
    return SampleYear(taken + appeal_moves + fresh.moves + breaks + dropped,
                      take_down_reports + appeals + reports, searches)  # fmt: skip


def _insert_unconfirmed(session: Session, *, now: datetime) -> int:
    """Sample sign-ups, one every few weeks, never confirmed: deleted by the system after a week,
    through the door (deleting erases the profile); how many listing moves."""
    samples = [replace(sample, signed_up_at=now - timedelta(days=9 + 29 * n), paused_at=None,
                       profile=replace(sample.profile, email=f"sample.unconfirmed.{n}@example.com",
                                       linkedin_url=f"https://www.linkedin.com/in/sample-unconfirmed-{n}"))
               for n, sample in enumerate(generate_mentors(UNCONFIRMED, now=now, seed=1_000_003))]  # fmt: skip
    code = current_code()
    ids = sign_up_samples(session, samples, record_code_version(session, code=code), code,
                          confirmed=False)  # fmt: skip
    for mentor_id, sample in zip(ids, samples, strict=True):
        move_listing(session, lock_listing(session, mentor_id), A.DROP_UNCONFIRMED, actor=SYSTEM,
                     now=sample.signed_up_at + UNCONFIRMED_KEPT)  # fmt: skip
    return 2 * len(ids)


def sample_moderator(session: Session, moderator_id: int | None) -> Actor:
    """The moderator making the sample moves, as the console names them."""
    name = session.scalar(select(Moderator.username).where(Moderator.id == moderator_id))
    return ModeratorIdentity(moderator_id, name).actor if moderator_id and name else NO_ACCOUNT


def listed_sample_mentors(session: Session, *, before: datetime) -> list[int]:
    """Sample mentors listed now who signed up before `before`, by id."""
    return list(session.scalars(
        select(Mentor.id).where(Mentor.is_sample.is_(True), Mentor.created_at < before,
                                Mentor.status == ListingStatus.LISTED.value).order_by(Mentor.id)
    ))  # fmt: skip


def insert_take_downs(
    session: Session, rng: random.Random, *, mentor_ids: Sequence[int],
    counts: dict[ListingAction, int], restores: int, moderators: Sequence[Actor],
    since: datetime, now: datetime,
) -> tuple[int, int, list[SampleDecision]]:  # fmt: skip
    """Take steps of the ladder from reports, as moderation.act_on_mentor does: a report about the
    listing, a moderator starts reviewing it, warns or takes the listing down, which resolves the
    report (the mentor has no other report open); a removal for days ends on its day. The first
    `restores` removals are restored later, which is noted on the report it resolved. How many
    listing moves and reports, and the decisions taken (for appeals)."""
    listings, reports = ListingBatch(session), ReportBatch(session)
    listings.load(Mentor.id.in_(mentor_ids))
    waiting = list(mentor_ids)
    restored = filed = 0
    decisions: list[SampleDecision] = []
    for action, how_many in counts.items():
        for mentor_id in [waiting.pop() for _ in range(min(how_many, len(waiting)))]:
            earliest = max(listings.rows[mentor_id].created_at + timedelta(days=5), since)
            when = earliest + (now - timedelta(days=10) - earliest) * rng.random()
            by = rng.choice(moderators)
            category = rng.choice(TAKE_DOWNS[action][1])
            report = file_sample_report(reports, rng, created=when - timedelta(hours=rng.uniform(20, 120)),
                                        category=category, mentor_id=mentor_id, now=now)  # fmt: skip
            filed += 1
            report.move(
                ReportAction.START_REVIEW, report.created + (when - report.created) / 2, by=by
            )
            until = (when + REMOVED_FOR).date() if action is A.REMOVE_FOR_DAYS else None
            move = listings.move(mentor_id, action, actor=by, now=when, reason=REASONS.get(action),
                                 clause=category.clause, report_id=report.id, removed_until=until)  # fmt: skip
            decisions.append(SampleDecision(mentor_id, move.event_id, action, when, category))
            back = datetime.combine(until, time(0, 5), UTC) if until else None
            if back is not None and back < now:  # the clock's removals_ending job
                listings.move(mentor_id, A.RETURN_ON_DATE, actor=SYSTEM, now=back,
                              reason="The end of the removal the moderators set")  # fmt: skip
            if action in RESOLVES_REPORT:
                report.move(ReportAction.RESOLVE_WITH_ACTION, when, by=by, reason=REASONS.get(action),
                             clause=category.clause, listing_event_id=move.event_id)  # fmt: skip
            if action is A.REMOVE and restored < restores:
                back = min(when + timedelta(days=12), now - timedelta(hours=1))
                restore = listings.move(mentor_id, A.RESTORE, actor=by, now=back, reason=REASONS[A.RESTORE])
                report.move(ReportAction.LISTING_RESTORED, back, by=by, reason=REASONS[A.RESTORE],
                            listing_event_id=restore.event_id)  # fmt: skip
                restored += 1
    reports.write_reports()  # first: the listing events name them
    moves = listings.write()
    reports.write_events()  # last: they name the listing events
    return moves, filed, decisions


def _insert_breaks(
    session: Session, rng: random.Random, mentor_ids: list[int], *, now: datetime
) -> int:
    """About a third of these listed mentors paused for a few weeks and came back, signing the
    Code again (as signing.resume_listing does); how many listing moves."""
    listings = ListingBatch(session)
    mentors = {m.id: m for m in listings.load(Mentor.id.in_(mentor_ids))}
    names = {row.id: row.full_name for row in session.execute(
        select(Mentor.id, Mentor.full_name).where(Mentor.id.in_(mentor_ids)))}  # fmt: skip
    code = current_code()
    version_id = record_code_version(session, code=code)
    signatures: list[dict[str, Any]] = []
    for mentor_id in mentor_ids:
        if rng.random() >= 0.3:
            continue
        start = max(mentors[mentor_id].created_at + timedelta(days=1), now - YEAR)
        paused = start + (now - timedelta(days=40) - start) * rng.random()
        resumed = paused + timedelta(days=rng.uniform(3, 35))
        listings.move(mentor_id, A.PAUSE, actor=MENTOR, now=paused)
        listings.move(mentor_id, A.RESUME, actor=MENTOR, now=resumed)
        signatures.append({"mentor_id": mentor_id, "code_version_id": version_id,
                           "typed_name": names[mentor_id], "agreement_text": code.agreement_label,
                           "occasion": "resume", "signed_at": resumed, "user_agent": "sample data",
                           "ip_address": None, "receipt_code": new_receipt_code(),
                           "audit_event_id": None})  # fmt: skip
    moves = listings.write()
    insert_rows(session, Signature, signatures)
    return moves
