"""The collective: sign-ups, pauses, resumes, removals and bans, listed mentors over time, who is listed.

Every count is of `listing_events` rows by kind. Listed mentors at a time T are not replayed
from the beginning: they are the listed mentors now (an index count) minus what the events
after T added and plus what they took away, so the cost follows the range and what came after it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, ScalarSelect, and_, func, literal, select, true, union_all
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor, MentorDiscipline, MentorLanguage
from services.audit.history import label
from services.core.vocabulary import COUNTRIES, LANGUAGES, Discipline, ListingStatus, Seniority
from services.directory.query import IS_LISTED
from services.listings.listing_lifecycle import ListingAction
from services.trends.measure import Better, Measure, Unit
from services.trends.periods import AFTER, PREVIOUS, Period, bucket_table, series_frame
from services.trends.sql import code_table

A = ListingAction
# The flow leadership follows, and whether more of it is good news.
FLOW = {A.SIGN_UP: Better.HIGHER, A.DROP_UNCONFIRMED: Better.LOWER, A.PAUSE: Better.NEITHER,
        A.RESUME: Better.HIGHER, A.REMOVE: Better.LOWER, A.BAN: Better.LOWER,
        A.PAUSE_UNANSWERED: Better.LOWER}  # fmt: skip
FLOW_LABELS = {A.SIGN_UP: "Sign-ups", A.DROP_UNCONFIRMED: "Sign-ups never confirmed",
               A.PAUSE: "Pauses", A.RESUME: "Resumes", A.REMOVE: "Removals", A.BAN: "Bans",
               A.PAUSE_UNANSWERED: "Paused for no answer"}  # fmt: skip
FLOW_HELP = {
    A.SIGN_UP: "New sign-ups: mentors who signed the Code of Conduct (listed once they confirm "
    "their address).",
    A.DROP_UNCONFIRMED: "Sign-ups deleted because their address was not confirmed within 7 days.",
    A.PAUSE: "Mentors who took their listing off the page for a while.",
    A.RESUME: "Paused mentors who came back to the page.",
    A.REMOVE: "Listings a moderator removed.",
    A.BAN: "Mentors a moderator banned.",
    A.PAUSE_UNANSWERED: "Listings the clock paused because their mentor didn't answer the "
    "still-available mail within 14 days.",
}
LISTED_HELP = "Mentors on the page at the end of the range (and at the end of the period before)."
DIMENSIONS = {"discipline": "Discipline", "seniority": "Seniority", "country": "Country",
              "language": "Language"}  # fmt: skip

events = ListingEvent.__table__
mentors = Mentor.__table__
# Rows of the tallies' statement beside the kinds of event: listings gained and lost per bucket,
# and the listed mentors now (under an index no bucket has).
GAINED, LOST, LISTED_NOW, NOW = "+listed", "-listed", "listed now", -9


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
    """Listing events per bucket of the range, the period before and after it, in one statement.

    Each (bucket, kind) is a COUNT over one stretch of the (kind, occurred_at) index, so no row
    is read twice and none outside the range; the listed mentors now come in the same snapshot.
    """
    b = bucket_table(period, previous=True, after=True)
    kinds = code_table("kinds", [a.value for a in A])
    listed = ListingStatus.LISTED.value
    in_bucket = and_(events.c.occurred_at >= b.c.lo, events.c.occurred_at < b.c.hi)

    def counted(*conditions: ColumnElement[bool]) -> ScalarSelect[int]:
        return (
            select(func.count()).select_from(events).where(in_bucket, *conditions).scalar_subquery()
        )

    query = union_all(
        select(b.c.idx, kinds.c.code, counted(events.c.kind == kinds.c.code))
        .select_from(b.join(kinds, true())),
        select(b.c.idx, literal(GAINED), counted(events.c.to_status == listed)),
        select(b.c.idx, literal(LOST), counted(events.c.from_status == listed)),
        select(literal(NOW), literal(LISTED_NOW),
               select(func.count()).select_from(mentors).where(IS_LISTED).scalar_subquery()),
    )  # fmt: skip
    counts: dict[int, dict[str, int]] = {}
    for idx, code, n in session.execute(query):
        counts.setdefault(idx, {})[code] = int(n)
    net_listed = {idx: tally.get(GAINED, 0) - tally.get(LOST, 0) for idx, tally in counts.items()}
    return ListingTallies(period, counts, net_listed, counts[NOW][LISTED_NOW])


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
    """Listed mentors now by discipline, seniority, country and language: dimension, code, label, mentors.

    A discipline's or language's listed mentors are all its tags minus those of mentors not
    listed (few, and erased listings keep no tags): two index-only counts, no join of every tag.
    """
    not_listed = select(mentors.c.id).where(
        mentors.c.status.in_([s.value for s in ListingStatus if s is not ListingStatus.LISTED])
    )
    disciplines, languages = MentorDiscipline.__table__, MentorLanguage.__table__
    tags = []
    for dimension, table, column in (("discipline", disciplines, disciplines.c.discipline),
                                     ("language", languages, languages.c.language)):  # fmt: skip
        tags += [
            select(literal(dimension), column, func.count()).group_by(column),
            select(literal(dimension), column, -func.count())
            .where(table.c.mentor_id.in_(not_listed)).group_by(column),
        ]  # fmt: skip
    query = union_all(
        select(literal("seniority"), mentors.c.seniority, func.count())
        .where(IS_LISTED).group_by(mentors.c.seniority),
        select(literal("country"), mentors.c.country, func.count())
        .where(IS_LISTED).group_by(mentors.c.country),
        *tags,
    )  # fmt: skip
    counted: dict[tuple[str, str], int] = {}
    for dimension, code, n in session.execute(query):
        counted[dimension, code] = counted.get((dimension, code), 0) + int(n)
    frame = pd.DataFrame(
        [(d, c, n) for (d, c), n in counted.items() if n > 0],
        columns=["dimension", "code", "mentors"],
    )
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
