"""The trends of enforcement: the ladder's steps per bucket and per part of the Code, and appeals
received, upheld and rejected; appeals are not counted as reports of a violation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Report
from services.accounts.auth import add_moderator
from services.core.vocabulary import CodeClause
from services.listings.listing_lifecycle import ListingAction
from services.reports import appeals, conflicts
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_mentor, act_on_report
from services.reports.report_lifecycle import ReportAction
from services.trends import single_measures
from services.trends.collective import listing_tallies
from services.trends.enforcement import (
    NOT_NAMED,
    appeal_measures,
    step_measures,
    steps_by_part,
    waiting_on_unconflicted,
)
from services.trends.periods import Period
from services.trends.queue import report_tallies
from tests.conftest import NOW
from tests.services.trend_data import UTC_ZONE, Listing, at

A, R = ListingAction, ReportAction
WEEK = Period(date(2026, 11, 2), date(2026, 11, 8), UTC_ZONE)


def step(session: Session, listing: Listing, action: ListingAction, when: str, clause: CodeClause | None,
         who: str = "alice") -> int:  # fmt: skip
    moderator = add_moderator(session, username=f"{who}-{listing.id}-{action.value}", password="correct horse battery", now=NOW)
    return act_on_mentor(session, mentor_id=listing.id, expected_version=None, action=action, moderator=moderator,
                         reason="In a test", now=at(when), clause=clause, days=5).event_id  # fmt: skip


def by_series(frame) -> dict[str, list[float]]:  # noqa: ANN001
    return {name: list(group["value"]) for name, group in frame.groupby("series", sort=False)}


def test_steps_are_counted_per_day_and_per_part_of_the_code(session: Session) -> None:
    mentors = [Listing(session, at("2026-10-01")) for _ in range(5)]
    step(session, mentors[0], A.WARN, "2026-11-02", CodeClause.RESPONSIVE)
    step(session, mentors[1], A.WARN, "2026-11-03", CodeClause.RESPONSIVE)
    step(session, mentors[2], A.REMOVE_FOR_DAYS, "2026-11-03", CodeClause.RESPECTFUL)
    step(session, mentors[3], A.BAN, "2026-11-05", CodeClause.PAYMENT)
    step(session, mentors[4], A.WARN, "2026-10-30", CodeClause.SUPPORTIVE)  # the week before
    step(session, mentors[4], A.NOTE_BREACH, "2026-11-04", CodeClause.SUPPORTIVE)  # a note is no step counted
    (warnings, days), frame = step_measures(listing_tallies(session, WEEK))
    assert (warnings.total, warnings.previous, days.total) == (2, 1, 1)
    assert by_series(frame)["Warnings"] == [1, 1, 0, 0, 0, 0, 0]
    assert by_series(frame)["Bans"] == [0, 0, 0, 1, 0, 0, 0]
    table = steps_by_part(session, WEEK)
    assert table.to_dict("records") == [
        {"Part of the Code": CodeClause.RESPONSIVE.label, "Warnings": 2, "Removals for days": 0, "Removals": 0, "Bans": 0},
        {"Part of the Code": CodeClause.RESPECTFUL.label, "Warnings": 0, "Removals for days": 1, "Removals": 0, "Bans": 0},
        {"Part of the Code": CodeClause.PAYMENT.label, "Warnings": 0, "Removals for days": 0, "Removals": 0, "Bans": 1},
    ]  # fmt: skip
    assert NOT_NAMED not in set(table["Part of the Code"])


def test_appeals_received_upheld_and_rejected_are_counted_and_are_not_reports(session: Session) -> None:
    mentors = [Listing(session, at("2026-10-01")) for _ in range(3)]
    decided = [step(session, m, A.REMOVE, "2026-11-02", CodeClause.RESPONSIVE) for m in mentors]
    filed = [appeals.file_appeal(session, credential=m.credential, event_id=e, text="Please look again.",
                                 now=at("2026-11-03")) for m, e in zip(mentors, decided, strict=True)]  # fmt: skip
    bob = add_moderator(session, username="bob", password="correct horse battery", now=NOW)
    for reference, action in zip(filed[:2], (R.UPHOLD_APPEAL, R.REJECT_APPEAL), strict=True):
        report_id = session.scalars(select(Report.id).where(Report.reference == reference)).one()
        appeals.decide_appeal(session, report_id=report_id, expected_version=None, action=action,
                              moderator=bob, now=at("2026-11-06"))  # fmt: skip
    (received, upheld, rejected), frame = appeal_measures(report_tallies(session, WEEK))
    assert (received.total, upheld.total, rejected.total) == (3, 1, 1)
    assert by_series(frame)["Appeals received"] == [0, 3, 0, 0, 0, 0, 0]
    reports = single_measures.reports_received(session, start=WEEK.start, end=WEEK.end, tz=UTC_ZONE)
    assert reports.total == 0  # an appeal is not a report of a violation
    assert by_series(reports.frame)["Appeals"] == [0, 3, 0, 0, 0, 0, 0]


def test_open_cases_some_moderators_may_not_handle_are_a_level_at_the_end_of_each_day(
    session: Session,
) -> None:
    alice, bob = (add_moderator(session, username=n, password="correct horse battery", now=NOW) for n in ("alice", "bob"))
    for name in ("alice", "bob"):
        conflicts.set_display_name(session, username=name, display_name=name.title())
    mentors = [Listing(session, at("2026-10-01")) for _ in range(3)]
    kept_off = file_report(session, client_key="a", now=at("2026-11-02", 9), report=ReportInput(
        mentor_id=mentors[0].id, category="not_responsive", description="x", reporter_role="mentee",
        excluded_moderators=(bob.id,)))  # fmt: skip
    file_report(session, client_key="b", now=at("2026-10-20"), report=ReportInput(
        mentor_id=mentors[1].id, category="not_responsive", description="x", reporter_role="mentee"))  # fmt: skip
    file_report(session, client_key="c", now=at("2026-11-03"), report=ReportInput(
        mentor_id=mentors[2].id, category="not_responsive", description="x", reporter_role="mentee"))  # untouched  # fmt: skip
    conflicts.declare_conflict(session, mentor_id=mentors[1].id, moderator=alice, now=at("2026-11-04"))
    first = session.scalars(select(Report.id).where(Report.reference == kept_off.reference)).one()
    act_on_report(session, report_id=first, expected_version=None, action=R.DISMISS, moderator=alice,
                  now=at("2026-11-06"))  # fmt: skip
    level = waiting_on_unconflicted(session, WEEK)
    assert level.values() == [1, 1, 2, 2, 1, 1, 1]
    assert (level.total, level.previous) == (1, 0)
