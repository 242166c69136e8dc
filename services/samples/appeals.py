"""Sample appeals: in the sample year a few mentors appeal a warning or a ban, as
appeals.file_appeal files them, and a moderator who did not take the decision decides (an upheld
warning is withdrawn in the listing's history, as appeals.decide_appeal does)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from models import Mentor
from services.audit.audit_log import MENTOR
from services.listings.listing_batch import ListingBatch
from services.listings.listing_lifecycle import ListingAction
from services.reports.intake import ReportCategory, ReportKind
from services.reports.report_lifecycle import ReportAction, ReportBatch
from services.samples.report_stories import NO_ACCOUNT

A, R = ListingAction, ReportAction
TEXT = "Sample appeal, made up for trying the app out: nothing here happened."
# Which decisions are appealed, and whether the appeal is upheld.
PLAN = ((A.WARN, True), (A.WARN, False), (A.BAN, False))


@dataclass(frozen=True)
class SampleDecision:
    """A step of the ladder taken in the sample year."""

    mentor_id: int
    event_id: int
    action: ListingAction
    taken_at: datetime
    category: ReportCategory


def insert_appeals(
    session: Session, rng: random.Random, decisions: Sequence[SampleDecision], *, now: datetime
) -> tuple[int, int]:
    """File and decide the appeals of PLAN, after the decisions' events are written (an appeal
    names its decision); how many appeals and listing moves."""
    pool, chosen = list(decisions), []
    for action, upheld in PLAN:
        found = next((d for d in pool if d.action is action), None)
        if found is not None:
            pool.remove(found)
            chosen.append((found, upheld))
    reports, listings = ReportBatch(session), ListingBatch(session)
    listings.load(Mentor.id.in_([d.mentor_id for d, _ in chosen]))
    filed = 0
    for decision, upheld in chosen:
        sent = decision.taken_at + timedelta(days=rng.uniform(1, 10))
        decided = sent + timedelta(days=rng.uniform(1, 6))
        if decided >= now:
            continue
        report_id = reports.ids.take()
        reference = f"WAN-S{report_id:07d}"
        row = {"id": report_id, "reference": reference, "kind": ReportKind.APPEAL.value,
               "mentor_id": decision.mentor_id, "named_person": None, "named_linkedin_url": None,
               "category": ReportCategory.APPEAL.value, "occurred_on": None, "description": TEXT,
               "reporter_role": None, "reporter_email": None, "suspected_spam": False,
               "created_at": sent, "appeal_of_event_id": decision.event_id}  # fmt: skip
        clause = decision.category.clause
        reports.file(row, actor=MENTOR, now=sent, clause=clause, action=R.FILE_APPEAL)
        reports.move(report_id, R.UPHOLD_APPEAL if upheld else R.REJECT_APPEAL, actor=NO_ACCOUNT,
                     now=decided, clause=clause)  # fmt: skip
        if upheld:
            listings.move(decision.mentor_id, A.WITHDRAW, actor=NO_ACCOUNT, now=decided,
                          reason=f"Appeal {reference} upheld")  # fmt: skip
        filed += 1
    reports.write_reports()
    moves = listings.write()
    reports.write_events()
    return filed, moves
