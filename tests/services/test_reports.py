"""Reporting a violation: what is checked, what the reporter gets, how floods are slowed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Report
from services.core.refusals import InvalidSubmission, Throttled
from services.core.vocabulary import ListingStatus
from services.directory.mentor_search import MentorFilter, search_mentors
from services.reports.intake import REPORTS_PER_CLIENT, ReportInput, file_report, reportable_mentors
from tests.conftest import NOW
from tests.factories import make_mentor, sign_up


def valid(mentor_id: int | None = None, **overrides: object) -> ReportInput:
    values: dict[str, object] = {"mentor_id": mentor_id, "category": "not_responsive", "reporter_role": "witness",
                                 "description": "Never replied after agreeing to a call."}  # fmt: skip
    values.update(overrides)
    return ReportInput(**values)  # type: ignore[arg-type]


def reports(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Report)) or 0


def test_a_report_gets_a_reference_and_changes_nothing_public(session: Session) -> None:
    mentor = sign_up(session, full_name="Jane Doe")
    before = search_mentors(session, mentor_filter=MentorFilter())
    receipt = file_report(
        session,
        report=valid(mentor.mentor_id, reporter_email="me@example.org"),
        client_key="c",
        now=NOW,
    )
    assert receipt.reference.startswith("WAN-") and len(receipt.reference) == 13
    stored = session.scalars(select(Report)).one()
    assert (stored.reference, stored.mentor_id, stored.status, stored.reporter_email) == (
        receipt.reference, mentor.mentor_id, "new", "me@example.org")  # fmt: skip
    assert search_mentors(session, mentor_filter=MentorFilter()) == before


def test_someone_not_in_the_list_can_be_reported_by_name_or_profile(session: Session) -> None:
    file_report(session, report=valid(named_person="A Stranger"), client_key="c", now=NOW)
    file_report(
        session,
        report=valid(named_linkedin_url="linkedin.com/in/stranger"),
        client_key="c",
        now=NOW,
    )
    urls = list(session.scalars(select(Report.named_linkedin_url).order_by(Report.id)))
    assert urls == [None, "https://www.linkedin.com/in/stranger"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({}, "mentor"),
        ({"named_linkedin_url": "https://example.com/x"}, "named_linkedin_url"),
        ({"named_person": "X", "category": ""}, "category"),
        ({"named_person": "X", "category": "removal_request"}, "category"),
        ({"named_person": "X", "description": "   "}, "description"),
        ({"named_person": "X", "description": "x" * 5001}, "description"),
        ({"named_person": "X", "reporter_role": "judge"}, "reporter_role"),
        ({"named_person": "X", "reporter_email": "not an email"}, "reporter_email"),
        ({"named_person": "X", "occurred_on": NOW.date() + timedelta(days=2)}, "occurred_on"),
    ],
)
def test_each_problem_is_named_and_nothing_is_stored(
    session: Session, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidSubmission) as problem:
        file_report(session, report=valid(**overrides), client_key="c", now=NOW)
    assert field in problem.value.errors
    assert reports(session) == 0


def test_a_mentor_who_is_not_listed_cannot_be_chosen_from_the_list(session: Session) -> None:
    paused = make_mentor(session, status=ListingStatus.PAUSED)
    with pytest.raises(InvalidSubmission):
        file_report(session, report=valid(paused), client_key="c", now=NOW)


def test_floods_are_slowed_down_and_the_wait_is_said(session: Session) -> None:
    for _ in range(REPORTS_PER_CLIENT.allowed):
        file_report(session, report=valid(named_person="X"), client_key="flood", now=NOW)
    with pytest.raises(Throttled) as slowed:
        file_report(
            session,
            report=valid(named_person="X"),
            client_key="flood",
            now=NOW + timedelta(minutes=1),
        )
    assert slowed.value.wait_text == "9 minutes"
    file_report(session, report=valid(named_person="X"), client_key="someone-else", now=NOW)
    assert reports(session) == REPORTS_PER_CLIENT.allowed + 1


def test_a_filled_honeypot_is_kept_and_flagged_not_dropped(session: Session) -> None:
    receipt = file_report(
        session,
        report=valid(named_person="X", honeypot="https://buy.example"),
        client_key="c",
        now=NOW,
    )
    stored = session.scalars(select(Report)).one()
    assert stored.reference == receipt.reference and stored.suspected_spam


def test_the_mentor_picker_finds_listed_mentors_by_name(session: Session) -> None:
    jane = sign_up(session, full_name="Jane Doe", headline="Copywriter").mentor_id
    make_mentor(session, full_name="Jane Hidden", status=ListingStatus.PAUSED)
    assert list(reportable_mentors(session, text="jane").choices) == [jane]
    assert reportable_mentors(session, text="").choices == {}
    assert reportable_mentors(session, text="nobody").choices == {}


def test_a_newer_namesake_can_be_found_by_job_title_or_company(session: Session) -> None:
    for number in range(55):
        sign_up(session, full_name="Sam Lee", headline="Copywriter", company=f"Agency {number}")
    namesake = sign_up(session, full_name="Sam Lee", headline="Data Analyst", company="Kite Mobility").mentor_id
    by_name = reportable_mentors(session, text="sam lee")
    assert len(by_name.choices) == 50 and by_name.more
    found = reportable_mentors(session, text="sam lee kite")
    assert list(found.choices) == [namesake] and not found.more
    assert found.choices[namesake] == "Sam Lee (Data Analyst, Kite Mobility, London)"
    assert list(reportable_mentors(session, text="analyst").choices) == [namesake]
