"""Anything at all through the enforcement ladder's and the appeal's fields: stored as typed (after
cleaning) or refused next to its field, with nothing written."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, ListingEvent, Mentor, Report
from services.accounts.auth import add_moderator
from services.core.refusals import InvalidSubmission
from services.core.text import clean_paragraphs
from services.core.vocabulary import CodeClause
from services.listings.listing_lifecycle import ListingAction
from services.reports import appeals
from services.reports.moderation import act_on_mentor
from tests.conftest import NOW
from tests.factories import sign_up
from tests.services.test_hostile_input import PROPERTY, TEXT, assert_message_for, rows, savepoint

A = ListingAction


@PROPERTY
@given(reason=TEXT, days=st.one_of(st.none(), st.integers(-(2**70), 2**70)),
       clause=st.sampled_from([None, *CodeClause]))  # fmt: skip
def test_a_removal_for_days_is_made_as_asked_or_refused_next_to_its_field(
    session: Session, reason: str, days: int | None, clause: CodeClause | None
) -> None:
    with savepoint(session):
        mentor_id = sign_up(session).mentor_id
        alice = add_moderator(session, username="alice", password="correct horse battery", now=NOW)
        written = rows(session, ListingEvent, AuditEvent)
        try:
            act_on_mentor(session, mentor_id=mentor_id, expected_version=None, action=A.REMOVE_FOR_DAYS,
                          moderator=alice, reason=reason, now=NOW, clause=clause, days=days)  # fmt: skip
        except InvalidSubmission as problem:
            assert_message_for(problem, {"reason", "clause", "days"})
            assert rows(session, ListingEvent, AuditEvent) == written
            return
        mentor = session.get_one(Mentor, mentor_id)
        assert days is not None and 1 <= days <= 365 and clause is not None and clause.section > 1
        assert (mentor.status, mentor.removed_until) == ("removed", NOW.date() + timedelta(days=days))


@PROPERTY
@given(text=TEXT, event_id=st.one_of(st.integers(-(2**70), 2**70), st.none()))
def test_an_appeal_is_stored_as_typed_or_refused_with_nothing_written(
    session: Session, text: str, event_id: int | None
) -> None:
    with savepoint(session):
        mentor = sign_up(session)
        alice = add_moderator(session, username="alice", password="correct horse battery", now=NOW)
        decision = act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None, now=NOW,
                                 action=A.WARN, moderator=alice, reason="x", clause=CodeClause.SUPPORTIVE)  # fmt: skip
        target = decision.event_id if event_id is None else event_id
        try:
            reference = appeals.file_appeal(session, credential=mentor.credential, event_id=target,
                                            text=text, now=NOW)  # fmt: skip
        except InvalidSubmission as problem:
            assert_message_for(problem, {"appeal"})
            assert rows(session, Report) == [0]
            return
        except appeals.NotAllowedNow:
            assert target != decision.event_id and rows(session, Report) == [0]
            return
        stored = session.scalars(select(Report).where(Report.reference == reference)).one()
        assert stored.description == clean_paragraphs(text) and 0 < len(stored.description) <= 2000
