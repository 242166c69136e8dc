"""The page's whole overview: a new database, and the sample setup's year of history."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from models import ListingEvent, Mentor, Report, ReportEvent
from services.core.snapshot import read_all
from services.core.vocabulary import ActorKind
from services.listings.code_of_conduct import current_code
from services.samples.mentors import insert_sample_mentors
from services.samples.year import insert_sample_year
from services.trends.overview import PAGE_WORKERS, overview
from tests.conftest import NOW
from tests.factories import factory_moderator
from tests.services.trend_data import LONDON, UTC_ZONE

TODAY = NOW.date()


def sample_year(session: Session) -> None:
    insert_sample_mentors(session, count=120, code=current_code(), now=NOW)
    insert_sample_year(session, now=NOW, moderator_id=factory_moderator(session).id)


def test_a_new_database_says_so_and_still_has_a_zero_for_every_week(session: Session) -> None:
    data = overview(session, start=TODAY - timedelta(days=83), end=TODAY, tz=LONDON, now=NOW)
    assert data.is_new
    assert [len(m.frame) for m in data.collective_kpis] == [12] * 7
    assert all(m.total in (0, None) for m in data.collective_kpis + data.queue_kpis)
    assert data.unmet.empty and data.collective.empty and data.demand_by_country.empty


def test_the_sample_year_leaves_every_row_where_its_last_event_says(session: Session) -> None:
    sample_year(session)
    last_listing = {e.mentor_id: e for e in session.scalars(
        select(ListingEvent).order_by(ListingEvent.occurred_at, ListingEvent.id))}  # fmt: skip
    for mentor in session.scalars(select(Mentor)):
        assert last_listing[mentor.id].to_status == mentor.status
    events: dict[int, list[ReportEvent]] = {}
    for e in session.scalars(select(ReportEvent).order_by(ReportEvent.occurred_at, ReportEvent.id)):
        events.setdefault(e.report_id, []).append(e)
    reports = list(session.scalars(select(Report)))
    assert len(reports) > 150
    for r in reports:
        story = events[r.id]
        assert (story[0].kind, story[-1].to_status) == ("appeal_filed" if r.kind == "appeal" else "filed", r.status)
        acted = [e.occurred_at for e in story if e.actor_kind == ActorKind.MODERATOR.value]
        assert r.first_action_at == (acted[0] if acted else None)
        assert all(e.occurred_at < NOW for e in story)


def test_the_sample_year_gives_leadership_something_to_read_in_every_kpi(session: Session) -> None:
    sample_year(session)
    data = overview(session, start=TODAY - timedelta(days=363), end=TODAY, tz=UTC_ZONE, now=NOW)
    assert not data.is_new
    for measure in data.collective_kpis + data.queue_kpis:
        assert measure.total, measure.label
    assert not data.unmet.empty
    assert data.demand_by_discipline["searches"].sum() > 1000
    assert data.period.start == date(2025, 11, 22)


def test_reads_shared_out_to_several_workers_give_the_page_the_same_figures(
    writer: sessionmaker[Session],
) -> None:
    with writer.begin() as session:
        sample_year(session)
    asked = {"start": TODAY - timedelta(days=83), "end": TODAY, "tz": LONDON, "now": NOW}
    with writer() as session:
        alone = overview(session, **asked)
    with writer() as session:  # a new session: the shared reads don't fall back to this one
        shared = overview(session, **asked, workers=PAGE_WORKERS)
    for one, other in zip(alone.collective_kpis + alone.queue_kpis,
                          shared.collective_kpis + shared.queue_kpis, strict=True):  # fmt: skip
        assert (one.label, one.total, one.previous) == (other.label, other.total, other.previous)
        pd.testing.assert_frame_equal(one.frame, other.frame)
    for frame in ("collective", "unmet", "demand_by_discipline", "demand_by_country"):
        pd.testing.assert_frame_equal(getattr(alone, frame), getattr(shared, frame))
    assert alone.received.total and alone.first_action.median.total  # there was something to read


def test_a_read_that_fails_in_another_worker_fails_the_whole_overview(
    writer: sessionmaker[Session],
) -> None:
    def one(session: Session) -> int:
        return int(session.scalar(text("SELECT 1")) or 0)

    def slow(session: Session) -> int:
        time.sleep(0.05)  # holds the caller's worker, so the next read goes to another one
        return one(session) + 2

    def broken(session: Session) -> None:
        session.execute(text("SELECT * FROM no_such_table"))

    with writer() as session, pytest.raises(DBAPIError):
        read_all(session, {"slow": slow, "broken": broken, "one": one}, workers=2)
    with writer() as session:  # and when nothing fails, every read's result, by name
        assert read_all(session, {"slow": slow, "one": one}, workers=3) == {"slow": 3, "one": 1}
