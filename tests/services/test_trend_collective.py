"""The collective's measures against hand-counted histories, on SQLite and PostgreSQL.

The week under test is Monday 2 to Sunday 8 November 2026 (UTC unless said otherwise); the
period before it is 26 October to 1 November.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from services.listings.listing_lifecycle import ListingAction
from services.trends import single_measures
from services.trends.collective import collective_today
from tests.services.trend_data import LONDON, UTC_ZONE, Listing, at

WEEK = {"start": date(2026, 11, 2), "end": date(2026, 11, 8), "tz": UTC_ZONE}


def per_day(measure: single_measures.Measure) -> list[float]:
    return [float(v) for v in measure.frame["value"]]


def test_sign_ups_are_counted_per_local_day_with_empty_days_at_zero(session: Session) -> None:
    for day, hour in (("2026-11-02", 9), ("2026-11-02", 23), ("2026-11-05", 0), ("2026-11-08", 23)):
        Listing(session, at(day, hour))
    Listing(session, at("2026-11-09", 0))  # the day after the range
    sign_ups = single_measures.sign_ups(session, **WEEK)
    assert per_day(sign_ups) == [2, 0, 0, 1, 0, 0, 1]
    assert list(sign_ups.frame["bucket"]) == [date(2026, 11, d) for d in range(2, 9)]
    assert sign_ups.total == 4


def test_pauses_resumes_removals_and_bans_each_count_their_own_events(session: Session) -> None:
    first = Listing(session, at("2026-10-20")).pause(at("2026-11-03")).resume(at("2026-11-04"))
    Listing(session, at("2026-10-20")).take_down(ListingAction.REMOVE, at("2026-11-04"))
    Listing(session, at("2026-10-20")).take_down(ListingAction.BAN, at("2026-11-06"))
    first.pause(at("2026-11-06"))
    assert per_day(single_measures.pauses(session, **WEEK)) == [0, 1, 0, 0, 1, 0, 0]
    assert per_day(single_measures.resumes(session, **WEEK)) == [0, 0, 1, 0, 0, 0, 0]
    assert per_day(single_measures.removals(session, **WEEK)) == [0, 0, 1, 0, 0, 0, 0]
    assert per_day(single_measures.bans(session, **WEEK)) == [0, 0, 0, 0, 1, 0, 0]


def test_each_count_is_compared_with_the_period_of_equal_length_just_before(
    session: Session,
) -> None:
    for day in ("2026-10-25", "2026-10-26", "2026-10-30", "2026-11-01", "2026-11-02"):
        Listing(session, at(day))
    sign_ups = single_measures.sign_ups(session, **WEEK)
    assert (sign_ups.total, sign_ups.previous, sign_ups.change) == (1, 3, -2)


def test_listed_mentors_at_the_end_of_each_day_are_walked_back_from_the_count_now(
    session: Session,
) -> None:
    Listing(session, at("2026-10-01"))  # listed all along
    Listing(session, at("2026-10-01")).pause(at("2026-11-04")).resume(at("2026-11-10"))
    Listing(session, at("2026-11-03")).take_down(ListingAction.REMOVE, at("2026-11-07"))
    Listing(session, at("2026-11-06"))
    Listing(session, at("2026-11-12")).take_down(ListingAction.BAN, at("2026-11-13"))  # after
    listed = single_measures.listed_mentors(session, **WEEK)
    assert per_day(listed) == [2, 3, 2, 2, 3, 2, 2]
    assert (listed.total, listed.previous) == (2, 2)


def test_a_restored_listing_counts_again_from_the_day_it_is_restored(session: Session) -> None:
    mentor = Listing(session, at("2026-10-01")).take_down(ListingAction.REMOVE, at("2026-11-03"))
    mentor.take_down(ListingAction.RESTORE, at("2026-11-05"))
    assert per_day(single_measures.listed_mentors(session, **WEEK)) == [1, 0, 0, 1, 1, 1, 1]


def test_an_event_just_after_local_midnight_on_the_day_the_clocks_change_counts_on_the_next_day(
    session: Session,
) -> None:
    Listing(session, at("2026-03-29", 22, 59))  # 23:59 in London, the first day of summer time
    Listing(session, at("2026-03-29", 23, 1))  # 00:01 on 30 March in London
    london = single_measures.sign_ups(session, start=date(2026, 3, 28), end=date(2026, 3, 31), tz=LONDON)
    utc = single_measures.sign_ups(session, start=date(2026, 3, 28), end=date(2026, 3, 31), tz=UTC_ZONE)
    assert per_day(london) == [0, 1, 1, 0]
    assert per_day(utc) == [0, 2, 0, 0]


def test_an_empty_range_gives_a_zero_for_every_day_and_nothing_before(session: Session) -> None:
    for measure in (single_measures.sign_ups(session, **WEEK), single_measures.listed_mentors(session, **WEEK)):
        assert per_day(measure) == [0] * 7
        assert (measure.total, measure.previous) == (0, 0)


def test_the_collective_today_counts_listed_mentors_by_discipline_seniority_country_language(
    session: Session,
) -> None:
    Listing(session, at("2026-10-01"), disciplines=("strategy", "social"), seniority="director",
            country="BR", languages=("en", "pt"))  # fmt: skip
    Listing(session, at("2026-10-01"), disciplines=("strategy",), seniority="senior", country="BR",
            languages=("pt",))  # fmt: skip
    Listing(session, at("2026-10-01"), disciplines=("strategy",), country="FR").pause(
        at("2026-10-02")
    )
    frame = collective_today(session)
    counts = {
        (d, label): n
        for d, label, n in frame[["dimension", "label", "mentors"]].itertuples(index=False)
    }
    assert counts == {
        ("discipline", "Strategy"): 2, ("discipline", "Social media"): 1,
        ("seniority", "Director"): 1, ("seniority", "Senior"): 1, ("country", "Brazil"): 2,
        ("language", "Portuguese"): 2, ("language", "English"): 1,
    }  # fmt: skip
    assert list(frame["dimension"].drop_duplicates()) == [
        "discipline",
        "seniority",
        "country",
        "language",
    ]


def test_a_range_of_ten_years_is_counted_week_by_week(session: Session) -> None:
    Listing(session, at("2020-06-01"))
    Listing(session, at("2026-11-05"))
    decade = single_measures.sign_ups(session, start=date(2016, 11, 9), end=date(2026, 11, 8), tz=LONDON)
    assert len(decade.frame) == 522  # more buckets than one SQL compound may hold
    assert (decade.total, sum(per_day(decade))) == (2, 2)
