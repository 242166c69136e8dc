"""Made-up directory searches: what sample mentees looked for, day by day, and how many mentors they found.

Demand is skewed on purpose (data and growth roles, Brazil, Nigeria and India are sought more
than the sample directory offers) so the trends page has gaps to show. Searches are written
through services/directory/search_log.py, exactly as the directory writes them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from services.core.vocabulary import Discipline, Offer, Seniority
from services.directory.mentor_search import MentorFilter, count_matches
from services.directory.search_log import SearchRecord, record_searches
from services.samples.mentors import PLACES

D = Discipline
DISCIPLINE_DEMAND = {
    D.DATA_ANALYTICS: 10, D.CREATIVE_COPYWRITING: 9, D.STRATEGY: 8, D.GROWTH_PERFORMANCE: 8,
    D.EXPERIENCE_DESIGN: 7, D.ART_DIRECTION_DESIGN: 7, D.SOCIAL: 6, D.CONTENT: 5, D.BRAND: 5,
    D.PRODUCT_MARKETING: 4, D.MEDIA_PLANNING_BUYING: 3, D.ACCOUNT_MANAGEMENT: 3, D.PR_COMMS: 3,
    D.PRODUCTION: 2, D.PROJECT_MANAGEMENT: 2,
}  # fmt: skip
COUNTRY_DEMAND = {"US": 8, "GB": 7, "BR": 6, "NG": 6, "IN": 5, "FR": 3, "DE": 3, "MX": 3,
                  "KE": 3, "ES": 2, "ZA": 2, "CA": 2, "AE": 1}  # fmt: skip
LANGUAGE_DEMAND = {"pt": 4, "es": 4, "fr": 3, "de": 2, "hi": 2, "yo": 1, "sw": 1}
KEYWORDS = ("portfolio", "brand strategy", "first job", "freelance", "sustainability", "gaming",
            "luxury", "b2b", "tiktok", "career switch")  # fmt: skip
BATCH = 5000


def _pick(rng: random.Random, weights: dict[str, int] | dict[Discipline, int]) -> str:
    return str(rng.choices(list(weights), list(weights.values()))[0])


def sample_filter(rng: random.Random) -> MentorFilter:
    """One made-up search; never empty (the landing view is not a search)."""
    country = _pick(rng, COUNTRY_DEMAND) if rng.random() < 0.45 else None
    cities = PLACES.get(country or "", ("", (), ()))[1]
    wanted = MentorFilter(
        keywords=rng.choice(KEYWORDS) if rng.random() < 0.08 else "",
        disciplines=(_pick(rng, DISCIPLINE_DEMAND),) if rng.random() < 0.55 else (),
        seniorities=(rng.choice(list(Seniority)).value,) if rng.random() < 0.1 else (),
        country=country,
        city=rng.choice(cities) if cities and rng.random() < 0.1 else None,
        languages=(_pick(rng, LANGUAGE_DEMAND),) if rng.random() < 0.2 else (),
        offers=(rng.choice(list(Offer)).value,) if rng.random() < 0.15 else (),
        open_only=rng.random() < 0.3,
    )
    if wanted.is_empty():
        return MentorFilter(disciplines=(_pick(rng, DISCIPLINE_DEMAND),))
    return wanted


def insert_sample_searches(
    session: Session,
    *,
    rng: random.Random,
    now: datetime,
    days: int = 365,
    count: int | None = None,
    results: Callable[[MentorFilter], int] | None = None,
) -> int:
    """Searches on each of the last `days` days (about 10 a day, growing to 25, unless `count`
    is given), with the number of mentors each finds in this directory (or `results`)."""
    found: dict[MentorFilter, int] = {}

    def matches(wanted: MentorFilter) -> int:
        if results is not None:
            return results(wanted)
        if wanted not in found:
            found[wanted] = count_matches(session, mentor_filter=wanted)
        return found[wanted]

    per_day = [count // days + (1 if d < count % days else 0) for d in range(days)] if count else [
        int(10 + 15 * d / days + rng.randint(-4, 4)) for d in range(days)
    ]  # fmt: skip
    batch: list[SearchRecord] = []
    total = 0
    for offset, searches in enumerate(per_day):
        day = (now - timedelta(days=days - 1 - offset)).date()
        for _ in range(searches):
            wanted = sample_filter(rng)
            batch.append(SearchRecord.of(wanted, results=matches(wanted), day=day))
        if len(batch) >= BATCH:
            total += record_searches(session, searches=batch)
            batch = []
    return total + record_searches(session, searches=batch)
