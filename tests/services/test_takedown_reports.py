"""A take-down answers every open report about the mentor: removing or banning one resolves them all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from models import ListingEvent, Report, ReportEvent
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.core.vocabulary import CodeClause, ReportStatus
from services.listings.enforcement import ENFORCES_CODE
from services.listings.listing_lifecycle import ListingAction
from services.reports.case_files import QueueFilter, report_queue, report_view
from services.reports.intake import ReportInput, file_report, request_removal
from services.reports.moderation import act_on_mentor, act_on_report, other_open_reports
from services.reports.report_lifecycle import ReportAction
from tests.conftest import NOW
from tests.factories import sign_up

L, R = ListingAction, ReportAction
_clients = count()


@pytest.fixture
def alice(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="alice", password="correct horse battery", now=NOW)


def report_on(session: Session, mentor_id: int, category: str = "harassment", **extra: Any) -> int:
    receipt = file_report(session, client_key=f"c{next(_clients)}", now=NOW, report=ReportInput(
        mentor_id=mentor_id, category=category, description="What happened.",
        reporter_role="mentee", **extra))  # fmt: skip
    return int(session.scalar(select(Report.id).where(Report.reference == receipt.reference)) or 0)


def status_of(session: Session, *report_ids: int) -> list[str]:
    session.expire_all()
    return [session.get_one(Report, i).status for i in report_ids]


def resolutions(session: Session) -> dict[int, int | None]:
    """report id -> the listing event its "action taken" is linked to."""
    rows = session.execute(select(ReportEvent.report_id, ReportEvent.listing_event_id)
                           .where(ReportEvent.kind == R.RESOLVE_WITH_ACTION.value))  # fmt: skip
    return {row[0]: row[1] for row in rows}


def take_down(session: Session, mentor_id: int, action: ListingAction, alice: ModeratorIdentity,
              **extra: Any) -> int:  # fmt: skip
    """The action's listing event id."""
    if action in ENFORCES_CODE and "report_id" not in extra:  # from the roster: the clause chosen
        extra.setdefault("clause", CodeClause.HARASSMENT)
    return act_on_mentor(session, mentor_id=mentor_id, expected_version=None, action=action,
                         moderator=alice, reason="Harassed two mentees", now=NOW, **extra).event_id  # fmt: skip


@pytest.mark.parametrize("action", [L.REMOVE, L.BAN])
def test_a_take_down_from_one_report_resolves_every_open_report_about_the_mentor(
    session: Session, alice: ModeratorIdentity, action: ListingAction
) -> None:
    jane, other = sign_up(session).mentor_id, sign_up(session).mentor_id
    acted_from, new, reviewed = (report_on(session, jane) for _ in range(3))
    dismissed, spam = report_on(session, jane), report_on(session, jane, honeypot="bot")
    elsewhere = report_on(session, other)
    act_on_report(session, report_id=reviewed, expected_version=None, action=R.START_REVIEW,
                  moderator=alice, now=NOW)  # fmt: skip
    act_on_report(session, report_id=dismissed, expected_version=None, action=R.DISMISS,
                  moderator=alice, now=NOW)  # fmt: skip
    assert other_open_reports(session, mentor_id=jane, action=action, report_id=acted_from) == 2
    assert other_open_reports(session, mentor_id=jane, action=action) == 3

    event_id = take_down(session, jane, action, alice, report_id=acted_from)

    assert status_of(session, acted_from, new, reviewed) == ["resolved_action"] * 3
    assert status_of(session, dismissed, spam, elsewhere) == ["dismissed", "new", "new"]
    assert resolutions(session) == {acted_from: event_id, new: event_id, reviewed: event_id}
    clauses = set(session.scalars(select(ReportEvent.code_clause).where(
        ReportEvent.listing_event_id == event_id)))  # fmt: skip
    assert clauses == {CodeClause.HARASSMENT.value}
    assert other_open_reports(session, mentor_id=jane, action=action) == 0


@pytest.mark.parametrize("action", [L.REMOVE, L.BAN])
def test_a_take_down_from_the_roster_resolves_the_mentors_open_reports_too(
    session: Session, alice: ModeratorIdentity, action: ListingAction
) -> None:
    jane = sign_up(session).mentor_id
    first, second = report_on(session, jane), report_on(session, jane, category="asking_for_payment")
    assert other_open_reports(session, mentor_id=jane, action=action) == 2
    event_id = take_down(session, jane, action, alice, clause=CodeClause.PAYMENT)
    assert status_of(session, first, second) == ["resolved_action", "resolved_action"]
    assert resolutions(session) == {first: event_id, second: event_id}
    listing_event = session.get_one(ListingEvent, event_id)
    assert (listing_event.report_id, listing_event.code_clause) == (None, CodeClause.PAYMENT.value)


def test_a_removal_request_is_left_to_itself_and_worked_alone(
    session: Session, alice: ModeratorIdentity
) -> None:
    jane = sign_up(session, email="jane@example.org").mentor_id
    violation = report_on(session, jane)
    request_removal(session, contact="jane@example.org", message="", client_key="r", now=NOW)
    request = int(session.scalar(select(Report.id).where(Report.kind == "removal_request")) or 0)
    assert other_open_reports(session, mentor_id=jane, action=L.BAN, report_id=violation) == 0
    assert other_open_reports(session, mentor_id=jane, action=L.TAKE_OFF_ON_REQUEST,
                              report_id=request) == 0  # fmt: skip
    take_down(session, jane, L.TAKE_OFF_ON_REQUEST, alice, report_id=request)
    assert status_of(session, request, violation) == ["resolved_action", "new"]
    assert other_open_reports(session, mentor_id=jane, action=L.REMOVE) == 1
    assert other_open_reports(session, mentor_id=jane, action=L.RESTORE) == 0


@contextmanager
def row_locks(session: Session) -> Iterator[list[tuple[str, int]]]:
    """(table, id) of each listing or report read by its id (the locks), in the order taken."""
    taken: list[tuple[str, int]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        for table in ("mentors", "reports"):
            if statement.startswith(f"SELECT {table}.id") and f"WHERE {table}.id =" in statement:
                values = parameters.values() if isinstance(parameters, dict) else parameters
                taken.append((table, int(next(iter(values)))))

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield taken
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_the_reports_are_locked_after_the_listing_in_id_order(
    session: Session, alice: ModeratorIdentity
) -> None:
    jane = sign_up(session).mentor_id
    low, middle, high = (report_on(session, jane) for _ in range(3))
    with row_locks(session) as taken:
        take_down(session, jane, L.BAN, alice, report_id=middle)
    assert taken == [("mentors", jane), ("reports", low), ("reports", middle), ("reports", high)]


def restored_on(session: Session) -> dict[int, int | None]:
    """report id -> the restore's listing event, for each report noted as restored."""
    rows = session.execute(select(ReportEvent.report_id, ReportEvent.listing_event_id)
                           .where(ReportEvent.kind == R.LISTING_RESTORED.value))  # fmt: skip
    return {row[0]: row[1] for row in rows}


def test_a_restore_shows_in_the_history_of_the_reports_its_take_down_resolved(
    session: Session, alice: ModeratorIdentity
) -> None:
    jane = sign_up(session).mentor_id
    acted_from, other, dismissed = (report_on(session, jane) for _ in range(3))
    act_on_report(session, report_id=dismissed, expected_version=None, action=R.DISMISS,
                  moderator=alice, now=NOW)  # fmt: skip
    take_down(session, jane, L.BAN, alice, report_id=acted_from)
    restore = act_on_mentor(session, mentor_id=jane, expected_version=None, action=L.RESTORE,
                            moderator=alice, reason="Appeal upheld", now=NOW + timedelta(days=2), clause=CodeClause.HARASSMENT).event_id  # fmt: skip
    assert restored_on(session) == {acted_from: restore, other: restore}
    for report_id in (acted_from, other):
        view = report_view(session, report_id=report_id)
        assert view is not None and view.status is ReportStatus.RESOLVED_ACTION  # not reopened
        latest = view.history.iloc[0]
        assert (latest["what"], latest["who"], latest["why"]) == ("Listing restored", "alice", "Appeal upheld")
        assert (latest["when"], latest["from"], latest["to"]) == (
            NOW + timedelta(days=2), "Resolved: action taken", "Resolved: action taken")
    view = report_view(session, report_id=dismissed)
    assert view is not None and "Listing restored" not in list(view.history["what"])


def test_a_second_restore_is_noted_only_on_the_reports_of_the_second_take_down(
    session: Session, alice: ModeratorIdentity
) -> None:
    jane = sign_up(session).mentor_id
    first = report_on(session, jane)
    take_down(session, jane, L.REMOVE, alice, report_id=first)
    take_down(session, jane, L.BAN, alice)  # from removed to banned: nothing open to resolve
    one = take_down(session, jane, L.RESTORE, alice)
    second = report_on(session, jane)
    take_down(session, jane, L.REMOVE, alice, report_id=second)
    two = take_down(session, jane, L.RESTORE, alice)
    rows = session.execute(select(ReportEvent.report_id, ReportEvent.listing_event_id)
                           .where(ReportEvent.kind == R.LISTING_RESTORED.value)).all()  # fmt: skip
    assert sorted(map(tuple, rows)) == sorted([(first, one), (second, two)])


def test_a_restored_take_down_says_so_in_the_reports_outcome(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = sign_up(session).mentor_id
    first, second = report_on(session, mentor), report_on(session, mentor)
    take_down(session, mentor, L.BAN, alice, report_id=first)
    view = report_view(session, report_id=first)
    assert view is not None and view.outcome == "Resolved: action taken"
    take_down(session, mentor, L.RESTORE, alice)
    every = QueueFilter(statuses=tuple(s.value for s in ReportStatus))
    shown = dict(zip(*(report_queue(session, queue_filter=every)[c] for c in ("id", "status")),
                     strict=True))  # fmt: skip
    assert shown == {first: "Resolved: action taken, later reversed",
                     second: "Resolved: action taken, later reversed"}  # fmt: skip
    view = report_view(session, report_id=first)
    assert view is not None and view.outcome == "Resolved: action taken, later reversed"
    take_down(session, mentor, L.REMOVE, alice, report_id=report_on(session, mentor))
    view = report_view(session, report_id=first)  # an old reversal stays said; a new one is its own
    assert view is not None and view.outcome == "Resolved: action taken, later reversed"
