"""The collective: sign-ups, pauses, resumes, removals and bans, listed mentors over time, who is listed.

Every count is of `listing_events` rows by kind. Listed mentors at a time T are not replayed
from the beginning: they are the listed mentors now (an index count) minus what the events
after T added and plus what they took away, so the cost follows the range and what came after it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor, MentorDiscipline, MentorLanguage
from services.directory import IS_LISTED
from services.history import label
from services.listing_lifecycle import ListingAction
from services.trends.measure import Better, Measure, Unit
from services.trends.periods import AFTER, PREVIOUS, Period, bucket_table, series_frame
from services.vocabulary import COUNTRIES, LANGUAGES, Discipline, ListingStatus, Seniority

A = ListingAction
# The flow leadership follows, and whether more of it is good news.
FLOW = {A.SIGN_UP: Better.HIGHER, A.PAUSE: Better.NEITHER, A.RESUME: Better.HIGHER,
        A.REMOVE: Better.LOWER, A.BAN: Better.LOWER}  # fmt: skip
FLOW_LABELS = {A.SIGN_UP: "Sign-ups", A.PAUSE: "Pauses", A.RESUME: "Resumes",
               A.REMOVE: "Removals", A.BAN: "Bans"}  # fmt: skip
FLOW_HELP = {
    A.SIGN_UP: "New listings: mentors who signed the Code of Conduct.",
    A.PAUSE: "Mentors who took their listing off the page for a while.",
    A.RESUME: "Paused mentors who came back to the page.",
    A.REMOVE: "Listings a moderator removed.",
    A.BAN: "Mentors a moderator banned.",
}
LISTED_HELP = "Mentors on the page at the end of the range (and at the end of the period before)."
DIMENSIONS = {"discipline": "Discipline", "seniority": "Seniority", "country": "Country",
              "language": "Language"}  # fmt: skip

events = ListingEvent.__table__
mentors = Mentor.__table__


@dataclass(frozen=True)
class ListingTallies:
    """Listing events per bucket (PREVIOUS and AFTER included), by kind, and the listed count now."""

    period: Period
    counts: dict[int, dict[str, int]]
    net_listed: dict[int, int]  # listings gained minus lost, per bucket
    listed_now: int

    def count(self, action: ListingAction, idx: int) -> int:
        return self.counts.get(idx, {}).get(action.value, 0)


def listing_tallies(session: Session, period: Period) -> ListingTallies:
    """One pass over the listing events of the range, the period before it, and after it."""
    b = bucket_table(period, previous=True, after=True)
    listed = ListingStatus.LISTED.value
    net = func.sum(case((events.c.to_status == listed, 1), else_=0)
                   - case((events.c.from_status == listed, 1), else_=0))  # fmt: skip
    per_kind = [func.sum(case((events.c.kind == a.value, 1), else_=0)) for a in A]
    listed_now = select(func.count()).select_from(mentors).where(IS_LISTED).scalar_subquery()
    query = (
        select(b.c.idx, func.coalesce(net, 0), listed_now, *per_kind)
        .select_from(b.outerjoin(events, and_(events.c.occurred_at >= b.c.lo,
                                              events.c.occurred_at < b.c.hi)))
        .group_by(b.c.idx)
    )  # fmt: skip
    rows = session.execute(query).all()
    counts = {idx: {a.value: int(n or 0) for a, n in zip(A, kinds, strict=True)}
              for idx, _gained, _now, *kinds in rows}  # fmt: skip
    net_listed = {idx: int(gained) for idx, gained, *_ in rows}
    return ListingTallies(period, counts, net_listed, int(rows[0][2]))


def flow_measures(tallies: ListingTallies) -> dict[ListingAction, Measure]:
    """Sign-ups, pauses, resumes, removals and bans over the range, from the tallies."""
    period = tallies.period
    indexes = [b.index for b in period.buckets()]
    result = {}
    for action, better in FLOW.items():
        per_bucket = {i: float(tallies.count(action, i)) for i in indexes}
        result[action] = Measure(
            key=action.value, label=FLOW_LABELS[action], total=sum(per_bucket.values()),
            previous=float(tallies.count(action, PREVIOUS)),
            frame=series_frame(period, per_bucket, series=FLOW_LABELS[action]), better=better,
            help=FLOW_HELP[action],
        )  # fmt: skip
    return result


def listed_measure(tallies: ListingTallies) -> Measure:
    """Listed mentors at the end of each bucket: now, walked back through the events after it."""
    period = tallies.period
    level = tallies.listed_now - tallies.net_listed.get(AFTER, 0)
    at_end = level
    per_bucket: dict[int, float | None] = {}
    for bucket in reversed(period.buckets()):
        per_bucket[bucket.index] = float(level)
        level -= tallies.net_listed.get(bucket.index, 0)
    return Measure(
        key="listed", label="Listed mentors", total=float(at_end), previous=float(level),
        frame=series_frame(period, per_bucket, series="Listed mentors"), unit=Unit.LEVEL,
        better=Better.HIGHER, help=LISTED_HELP,
    )  # fmt: skip


def collective_today(session: Session) -> pd.DataFrame:
    """Listed mentors now by discipline, seniority, country and language: dimension, code, label, mentors."""
    disciplines, languages = MentorDiscipline.__table__, MentorLanguage.__table__
    listed_ids = select(mentors.c.id).where(IS_LISTED)
    query = union_all(
        select(literal("seniority"), mentors.c.seniority, func.count())
        .where(IS_LISTED).group_by(mentors.c.seniority),
        select(literal("country"), mentors.c.country, func.count())
        .where(IS_LISTED).group_by(mentors.c.country),
        select(literal("discipline"), disciplines.c.discipline, func.count())
        .where(disciplines.c.mentor_id.in_(listed_ids)).group_by(disciplines.c.discipline),
        select(literal("language"), languages.c.language, func.count())
        .where(languages.c.mentor_id.in_(listed_ids)).group_by(languages.c.language),
    )  # fmt: skip
    frame = pd.DataFrame(session.execute(query).all(), columns=["dimension", "code", "mentors"])
    frame["label"] = [
        dimension_label(d, c) for d, c in zip(frame["dimension"], frame["code"], strict=True)
    ]
    frame["order"] = frame["dimension"].map(list(DIMENSIONS).index)
    frame = frame.sort_values(["order", "mentors", "label"], ascending=[True, False, True])
    return frame[["dimension", "code", "label", "mentors"]].reset_index(drop=True)


def dimension_label(dimension: str, code: str) -> str:
    """What a discipline, seniority, country or language code is called."""
    if dimension == "discipline":
        return label(Discipline, code)
    if dimension == "seniority":
        return label(Seniority, code)
    table = COUNTRIES if dimension == "country" else LANGUAGES
    return table.get(code, code)
