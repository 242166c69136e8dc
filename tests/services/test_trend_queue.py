"""The report queue's measures against hand-counted histories, on SQLite and PostgreSQL.

The week under test is Monday 2 to Sunday 8 November 2026 (UTC); the period before it is
26 October to 1 November. Reports are filed and moved through the same services as in the app.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from services.listings.listing_lifecycle import ListingAction
from services.reports.report_lifecycle import ReportAction
from services.trends import single_measures
from services.trends.periods import Period
from services.trends.queue import opens
from services.trends.report_export import reports_in_range
from services.trends.response import (
    WAITS,
    durations,
    joined_waits,
    time_to_first_action,
    time_to_resolution,
)
from tests.services.trend_data import UTC_ZONE, Listing, act, at, note, removal_request, report

R = ReportAction
WEEK = {"start": date(2026, 11, 2), "end": date(2026, 11, 8), "tz": UTC_ZONE}


def by_series(measure: single_measures.Measure) -> dict[str, list[float]]:
    return {
        name: [float(v) for v in rows["value"]]
        for name, rows in measure.frame.groupby("series", sort=False)
    }


def test_reports_are_counted_by_part_of_the_code_with_removal_requests_apart(
    session: Session,
) -> None:
    report(session, at("2026-11-02"), "harassment")
    report(session, at("2026-11-02"), "asking_for_payment")
    report(session, at("2026-11-03"), "not_responsive")
    report(session, at("2026-11-05"), "other")
    removal_request(session, at("2026-11-05"))
    report(session, at("2026-10-30"), "confidentiality_breach")  # the week before
    received = single_measures.reports_received(session, **WEEK)
    assert by_series(received) == {
        "Section 3: banned behaviour": [2, 0, 0, 0, 0, 0, 0],
        "Section 2: expectations": [0, 1, 0, 0, 0, 0, 0],
        "Something else": [0, 0, 0, 1, 0, 0, 0],
        "Removal requests": [0, 0, 0, 1, 0, 0, 0],
        "Appeals": [0, 0, 0, 0, 0, 0, 0],
    }
    assert (received.total, received.previous) == (4, 1)  # violations: requests are not reports
    assert received.values() == [2, 1, 0, 1, 0, 0, 0]


def test_reports_the_spam_trap_caught_are_left_out_of_every_measure(session: Session) -> None:
    spam = report(session, at("2026-11-02"), spam=True)
    act(session, spam, R.DISMISS, at("2026-11-03"))
    report(session, at("2026-11-04"), spam=True)  # still in the queue, hidden there
    assert single_measures.reports_received(session, **WEEK).total == 0
    assert single_measures.reports_open(session, **WEEK).values() == [0] * 7
    assert single_measures.report_outcomes(session, **WEEK).total == 0
    assert single_measures.team_workload(session, **WEEK).total == 0
    assert time_to_resolution(session, **WEEK).median.total is None


def test_the_open_backlog_follows_filings_decisions_and_reopenings(session: Session) -> None:
    old = report(session, at("2026-10-28"))  # open since the week before
    first = report(session, at("2026-11-02"))
    act(session, first, R.START_REVIEW, at("2026-11-03"))  # still open
    act(session, first, R.RESOLVE_WITHOUT_ACTION, at("2026-11-04"))
    act(session, first, R.REOPEN, at("2026-11-06"))
    removal_request(session, at("2026-11-05"))
    act(session, old, R.DISMISS, at("2026-11-07"))
    act(session, first, R.RESOLVE_WITH_ACTION, at("2026-11-10"))  # after the range
    report(session, at("2026-11-11"))
    backlog = single_measures.reports_open(session, **WEEK)
    assert backlog.values() == [2, 2, 1, 2, 3, 2, 2]
    assert (backlog.total, backlog.previous) == (2, 1)


def test_how_much_each_move_opens_or_closes_is_read_from_the_transition_table() -> None:
    assert {a: opens(a) for a in R} == {
        R.FILE: 1, R.START_REVIEW: 0, R.RESOLVE_WITH_ACTION: -1, R.RESOLVE_WITHOUT_ACTION: -1,
        R.DISMISS: -1, R.REOPEN: 1, R.ASSIGN: 0, R.ADD_NOTE: 0, R.LISTING_RESTORED: 0,
        R.ACKNOWLEDGE: 0, R.FILE_APPEAL: 1, R.UPHOLD_APPEAL: -1, R.REJECT_APPEAL: -1,
    }  # fmt: skip


def test_decisions_are_counted_by_outcome_on_the_day_they_were_made(session: Session) -> None:
    reports_ = [report(session, at("2026-10-30")) for _ in range(4)]
    act(session, reports_[0], R.RESOLVE_WITH_ACTION, at("2026-11-02"))
    act(session, reports_[1], R.RESOLVE_WITHOUT_ACTION, at("2026-11-02"))
    act(session, reports_[2], R.DISMISS, at("2026-11-08"))
    act(session, reports_[3], R.DISMISS, at("2026-10-31"))
    outcomes = single_measures.report_outcomes(session, **WEEK)
    assert by_series(outcomes) == {
        "Resolved: action taken": [1, 0, 0, 0, 0, 0, 0],
        "Resolved: no action": [1, 0, 0, 0, 0, 0, 0],
        "Dismissed": [0, 0, 0, 0, 0, 0, 1],
    }
    assert (outcomes.total, outcomes.previous) == (3, 1)


def test_reports_nobody_acted_on_within_7_days_count_once_7_days_have_passed(
    session: Session,
) -> None:
    quick = report(session, at("2026-11-02", 9))
    act(session, quick, R.START_REVIEW, at("2026-11-09", 8))  # 6 days 23 hours: kept the promise
    slow = report(session, at("2026-11-03", 9))
    note(session, slow, at("2026-11-10", 10))  # a note is an action, but 7 days and 1 hour late
    report(session, at("2026-11-04", 9))  # never acted on, 7 days ago by "now"
    report(session, at("2026-11-08", 9))  # never acted on, but it is only 3 days old
    late = single_measures.reports_past_promise(session, **WEEK, now=at("2026-11-11", 10))
    assert late.values() == [0, 1, 1, 0, 0, 0, 0]
    assert late.total == 2


def test_the_median_and_90th_percentile_waits_match_hand_computed_hours(session: Session) -> None:
    for hours in (1, 2, 3, 4, 10):  # received on the Monday, first acted on the same day
        received = report(session, at("2026-11-02", 8))
        act(session, received, R.START_REVIEW, at("2026-11-02", 8) + timedelta(hours=hours))
        act(session, received, R.DISMISS, at("2026-11-04", 8) + timedelta(hours=hours))
    earlier = report(session, at("2026-10-26", 8))
    act(session, earlier, R.START_REVIEW, at("2026-10-27", 8))  # 24 hours, the week before
    first = time_to_first_action(session, **WEEK)
    assert first.median.total == pytest.approx(3)
    assert first.p90.total == pytest.approx(7.6)  # rank 4.6: 4 + 0.6 * (10 - 4)
    assert (first.median.previous, first.p90.previous) == (pytest.approx(24), pytest.approx(24))
    assert first.median.values() == [pytest.approx(3), None, None, None, None, None, None]
    decided = time_to_resolution(session, **WEEK)
    assert decided.median.values()[2] == pytest.approx(51)  # two days and three hours
    assert list(decided.frame["reports"])[:7] == [0, 0, 5, 0, 0, 0, 0]


def test_a_day_with_no_report_to_time_has_no_value_rather_than_zero(session: Session) -> None:
    times = time_to_first_action(session, **WEEK)
    assert times.median.values() == [None] * 7
    assert (times.median.total, times.median.previous, times.median.change) == (None, None, None)


def test_the_team_workload_is_a_total_by_kind_of_work_that_names_nobody(session: Session) -> None:
    first = report(session, at("2026-11-02"))
    act(session, first, R.ACKNOWLEDGE, at("2026-11-02"))
    act(session, first, R.START_REVIEW, at("2026-11-02"))
    note(session, first, at("2026-11-03"))
    act(session, first, R.RESOLVE_WITH_ACTION, at("2026-11-03"))
    Listing(session, at("2026-10-01")).take_down(ListingAction.BAN, at("2026-11-04"))
    workload = single_measures.team_workload(session, **WEEK)
    assert list(workload.frame.columns) == ["bucket", "series", "value"]
    assert by_series(workload) == {
        "Acknowledged": [1, 0, 0, 0, 0, 0, 0],
        "Reviews started": [1, 0, 0, 0, 0, 0, 0], "Decisions": [0, 1, 0, 0, 0, 0, 0],
        "Reopened": [0] * 7, "Notes and assignments": [0, 1, 0, 0, 0, 0, 0],
        "Listing actions": [0, 0, 1, 0, 0, 0, 0],
    }  # fmt: skip
    assert workload.total == 5


def test_the_reports_export_holds_the_trend_and_nothing_the_reporter_wrote(
    session: Session,
) -> None:
    received = report(session, at("2026-11-02", 8), "asking_for_payment")
    act(session, received, R.START_REVIEW, at("2026-11-02", 20))
    report(session, at("2026-11-12"))  # after the range
    frame = reports_in_range(session, **WEEK)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["part of the Code"], row["status"], row["hours to first action"]) == (
        "Section 3: banned behaviour",
        "In review",
        12.0,
    )
    assert "What happened." not in frame.to_csv() and "Someone Else" not in frame.to_csv()


def test_on_sqlite_each_wait_is_read_from_the_index_that_holds_it(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL computes the waits itself; the index holds them on SQLite")
    period = Period(WEEK["start"], WEEK["end"], UTC_ZONE)
    for wait, index in (("first_action", "ix_reports_trends_first_action"),
                        ("resolution", "ix_reports_trends_resolved")):  # fmt: skip
        for query in (durations, joined_waits):  # a row per wait, or a text per bucket
            statement = query(period, WAITS[wait][1]).compile(session.get_bind())
            plan = (
                session.connection()
                .exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", tuple(statement.params.values()))
                .all()
            )
            assert any(f"USING INDEX {index}" in row[-1] for row in plan), (query, plan)
