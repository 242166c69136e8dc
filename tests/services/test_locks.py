"""The lock a use case takes before it moves a listing or a report, on PostgreSQL: rows that only
refer to the locked row don't wait for it, and what the lock returns is the row as it is now.

SQLite has no row locks: its writers take the whole database at BEGIN IMMEDIATE, one at a time,
so nothing here can happen there (tests/services/test_concurrency.py races both databases).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from models import Mentor
from models.db import make_session_factories
from services.accounts.auth import add_moderator
from services.core.refusals import ChangedMeanwhile
from services.core.vocabulary import CodeClause
from services.listings.listing_lifecycle import ListingAction, lock_listing
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_mentor
from tests.conftest import NOW, TEST_DATABASE_URL, migrated_database
from tests.factories import sign_up

pytestmark = pytest.mark.postgres


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A committing session factory on a PostgreSQL schema of its own."""
    if not TEST_DATABASE_URL:
        pytest.skip("row locks: needs TEST_DATABASE_URL (PostgreSQL)")
    with migrated_database("postgresql", tmp_path) as engine:
        yield make_session_factories(engine)[1]


def test_a_report_about_a_listing_a_moderator_is_acting_on_is_filed_without_waiting(
    writer: sessionmaker[Session],
) -> None:
    with writer.begin() as session:
        mentor_id = sign_up(session).mentor_id
    with writer.begin() as moderators:
        lock_listing(moderators, mentor_id)
        with writer.begin() as public:  # would wait for the lock_timeout under FOR UPDATE
            receipt = file_report(public, client_key="k", now=NOW, report=ReportInput(
                mentor_id=mentor_id, category="asking_for_payment",
                description="Asked me for money.", reporter_role="mentee"))  # fmt: skip
    assert receipt.reference


def test_a_moderator_who_read_the_listing_earlier_in_the_transaction_still_sees_a_change_made_meanwhile(
    writer: sessionmaker[Session],
) -> None:
    with writer.begin() as session:
        alice = add_moderator(session, username="alice", password="correct horse battery", now=NOW)
        bob = add_moderator(session, username="bob", password="another long password", now=NOW)
        mentor_id = sign_up(session, full_name="Jane Doe").mentor_id
    with writer.begin() as bobs:
        seen = bobs.get(Mentor, mentor_id)
        assert seen is not None
        offered = seen.version
        with writer.begin() as alices:
            act_on_mentor(alices, mentor_id=mentor_id, expected_version=offered,
                          action=ListingAction.REMOVE, moderator=alice, reason="Payment", now=NOW, clause=CodeClause.HARASSMENT)  # fmt: skip
        with pytest.raises(ChangedMeanwhile) as told:
            act_on_mentor(bobs, mentor_id=mentor_id, expected_version=offered,
                          action=ListingAction.BAN, moderator=bob, reason="Harassment", now=NOW, clause=CodeClause.HARASSMENT)  # fmt: skip
    assert "it is now removed by a moderator" in told.value.message
    with writer() as session:
        mentor = session.get(Mentor, mentor_id)
        assert mentor is not None and mentor.status == "removed"
