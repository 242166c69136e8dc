"""A broad search (more than COUNT_CAP matches) walks the order's index for its first pages and
stops after one page; it must show exactly the mentors the ordinary plan shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from services.directory.mentor_search import COUNT_CAP, MentorFilter, find_page
from tests.conftest import NOW
from tests.factories import make_mentor

MENTORS = (  # name, headline, country, city, seniority, open to new mentees
    ("Ana Writer", "Senior UX copywriter", "PT", "Lisboa", "senior", True),
    ("Bo Planner", "Media planner", "PT", "Porto", "mid_level", True),
    ("Cy Writer", "Copywriter", "DE", "Berlin", "senior", False),
    ("Di Strategist", "Brand strategist", "PT", "Lisboa", "director", False),
)


@pytest.mark.parametrize(
    ("mentor_filter", "expected"),
    [
        (MentorFilter(keywords="copywriter"), ["Ana Writer", "Cy Writer"]),
        (MentorFilter(keywords="ux copywriter"), ["Ana Writer"]),
        (MentorFilter(country="PT"), ["Ana Writer", "Bo Planner", "Di Strategist"]),
        (MentorFilter(country="PT", city="Lisboa"), ["Ana Writer", "Di Strategist"]),
        (MentorFilter(seniorities=("senior",)), ["Ana Writer", "Cy Writer"]),
        (MentorFilter(open_only=True), ["Ana Writer", "Bo Planner"]),
        (MentorFilter(keywords="writer", country="DE"), ["Cy Writer"]),
    ],
)
def test_a_broad_search_shows_the_same_mentors_as_a_narrow_one(
    session: Session, mentor_filter: MentorFilter, expected: list[str]
) -> None:
    for days, (name, headline, country, city, seniority, open_) in enumerate(MENTORS):
        make_mentor(session, full_name=name, headline=headline, country=country, city=city,
                    seniority=seniority, open_to_new_mentees=open_,
                    listed_at=NOW - timedelta(days=days + 1))  # fmt: skip

    def names(total: int | None) -> list[str]:
        cards = find_page(session, mentor_filter=mentor_filter, total=total, now=NOW)
        return [card.full_name for card in cards]

    assert names(None) == expected  # the ordinary plan
    assert names(COUNT_CAP + 1) == expected  # the walk along the order's index
