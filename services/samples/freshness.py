"""The sample year's freshness: mentors saying they are still available, listings the clock paused
for no answer (some came back), and mentees' "No reply?" signals, so the trends page's
"Listings that stay true" tells a story on the first start. The moves go through the listing's
bulk path (listing_batch.ListingBatch); the signals carry made-up sender keys.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Mentor, NoReplySignal
from services.audit.audit_log import MENTOR, SYSTEM
from services.core.bulk_rows import insert_rows
from services.core.vocabulary import ListingStatus
from services.listings import freshness, no_reply
from services.listings.listing_batch import ListingBatch
from services.listings.listing_lifecycle import ListingAction

A = ListingAction
STILL_AVAILABLE_SHARE = 0.25  # of the mentors given: "Yes, I'm still available" lately
UNANSWERED = 10  # paused by the clock over the year
CAME_BACK = 6  # of them, back a few days later
SIGNALS = 24  # "No reply?" over the last 60 days


@dataclass(frozen=True)
class SampleFreshness:
    moves: int
    free: list[int]  # mentors given no freshness history, for the year's other stories
    paused: list[int]  # mentors paused for no answer who didn't come back


def insert_freshness(
    session: Session, rng: random.Random, mentor_ids: list[int], *, now: datetime
) -> SampleFreshness:
    """Freshness history for these listed mentors (signed up at least 60 days ago)."""
    listings = ListingBatch(session)
    mentors = {m.id: m for m in listings.load(Mentor.id.in_(mentor_ids))}
    shuffled = rng.sample(mentor_ids, len(mentor_ids))
    unanswered, rest = shuffled[:UNANSWERED], shuffled[UNANSWERED:]
    spans = freshness.Spans()
    paused_for_good: list[int] = []
    for n, mentor_id in enumerate(unanswered):
        earliest = max(mentors[mentor_id].created_at + spans.ask_after + spans.pause_after,
                       now - timedelta(days=330))  # fmt: skip
        if earliest >= now - timedelta(days=30):
            continue  # too new to have been asked and paused
        paused = earliest + (now - timedelta(days=30) - earliest) * rng.random()
        listings.move(mentor_id, A.PAUSE_UNANSWERED, actor=SYSTEM, now=paused,
                      reason=freshness.NOT_CONFIRMED)  # fmt: skip
        if n < CAME_BACK:
            listings.move(mentor_id, A.RESUME, actor=MENTOR, reason=freshness.CAME_BACK,
                          now=paused + timedelta(days=rng.uniform(1, 20)))  # fmt: skip
        else:
            paused_for_good.append(mentor_id)
    answered = [i for i in rest if rng.random() < STILL_AVAILABLE_SHARE]
    for mentor_id in answered:
        since = max(mentors[mentor_id].created_at, now - timedelta(days=89))
        listings.move(mentor_id, A.CONFIRM_AVAILABLE, actor=MENTOR,
                      now=since + (now - since) * rng.random())  # fmt: skip
    moves = listings.write()
    signalled = rng.sample(rest, min(len(rest), SIGNALS))
    insert_rows(session, NoReplySignal, [
        {"mentor_id": mentor_id, "sender_key": f"sample-{rng.getrandbits(64):016x}",
         "created_at": now - no_reply.WINDOW * rng.random()}
        for mentor_id in signalled
    ])  # fmt: skip
    taken = set(answered)
    return SampleFreshness(moves, [i for i in rest if i not in taken], paused_for_good)


def spread_confirmations(
    session: Session, *, now: datetime, within: timedelta, seed: int = 42, batch: int = 5_000
) -> int:
    """Every listed mentor said "Yes, I'm still available" within `within` before `now` (evenly
    spread, never before they joined), as the clock keeps a directory once it has run for a
    while; how many moves. For the benchmarks' databases, which hold nothing else."""
    rng = random.Random(seed)
    moves, after = 0, 0
    while True:
        listings = ListingBatch(session)
        ids = session.scalars(select(Mentor.id).where(Mentor.id > after,
                                                      Mentor.status == ListingStatus.LISTED.value)
                              .order_by(Mentor.id).limit(batch)).all()  # fmt: skip
        chosen = listings.load(Mentor.id.in_(ids)) if ids else []
        if not chosen:
            return moves
        for mentor in chosen:
            since = max(mentor.created_at, now - within)
            if (mentor.available_confirmed_at or since) < now - within:
                listings.move(mentor.id, A.CONFIRM_AVAILABLE, actor=MENTOR,
                              now=since + (now - since) * rng.random())  # fmt: skip
        moves += listings.write()
        after = chosen[-1].id
