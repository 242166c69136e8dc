"""What an owner or a moderator is told when a listing can't make the move they asked for, and
what the audit log keeps of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor, Report
from services.accounts.auth import add_moderator
from services.audit.audit_log import record_attempt
from services.audit.history import audit_log
from services.core.refusals import ChangedMeanwhile, NotAllowedNow
from services.core.vocabulary import CodeClause, ListingStatus
from services.directory.mentor_search import MentorFilter, search_mentors
from services.listings.code_of_conduct import current_code
from services.listings.listing_lifecycle import ListingAction
from services.listings.owner import edit_listing, pause_listing
from services.listings.signing import SignatureInput, resume_listing
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_mentor
from tests.conftest import NOW
from tests.factories import factory_moderator, make_profile, sign_up


def test_an_owner_editing_a_removed_listing_is_told_why_before_any_field_is_checked(
    session: Session,
) -> None:
    mine = sign_up(session)
    act_on_mentor(session, mentor_id=mine.mentor_id, expected_version=None,
                  action=ListingAction.REMOVE, moderator=factory_moderator(session),
                  reason="Asked for payment", now=NOW, clause=CodeClause.HARASSMENT)  # fmt: skip
    with pytest.raises(NotAllowedNow) as refused:
        edit_listing(
            session, credential=mine.credential, profile=make_profile(full_name=""), now=NOW
        )
    assert refused.value.message == "This listing can't be edited: it is removed by a moderator."


def test_an_owner_resuming_a_listed_listing_is_told_it_is_listed_whatever_the_form_says(
    session: Session,
) -> None:
    mine = sign_up(session)
    with pytest.raises(NotAllowedNow) as refused:
        resume_listing(session, credential=mine.credential, code=current_code(), now=NOW,
                       signature=SignatureInput(agreed=False, typed_name=""))  # fmt: skip
    assert refused.value.message == "This listing can't be resumed: it is listed."


def test_a_moderator_acting_on_a_listing_that_changed_meanwhile_is_told_and_it_is_audited(
    session: Session,
) -> None:
    alice = add_moderator(session, username="alice", password="correct horse battery", now=NOW)
    bob = add_moderator(session, username="bob", password="another long password", now=NOW)
    mentor_id = sign_up(session, full_name="Jane Doe").mentor_id
    offered = session.get(Mentor, mentor_id).version  # type: ignore[union-attr]
    act_on_mentor(session, mentor_id=mentor_id, expected_version=offered, action=ListingAction.BAN,
                  moderator=alice, reason="Harassment", now=NOW, clause=CodeClause.HARASSMENT)  # fmt: skip
    with pytest.raises(ChangedMeanwhile) as told:
        act_on_mentor(session, mentor_id=mentor_id, expected_version=offered,
                      action=ListingAction.REMOVE, moderator=bob, reason="Asked for payment",
                      now=NOW, clause=CodeClause.HARASSMENT)  # fmt: skip
    assert told.value.message == (
        "Jane Doe's listing was changed by someone else just now: it is now banned. "
        "Nothing was done; please check it and decide again."
    )
    assert told.value.attempt is not None
    record_attempt(session, attempt=told.value.attempt, now=NOW)  # as the edge does
    latest = audit_log(session, mentor_id=mentor_id).iloc[0]
    assert list(latest[["who", "what", "mentor", "why", "detail"]]) == [
        "bob", "Attempt refused (changed meanwhile)", "Jane Doe", "Removed: Asked for payment",
        "Listing had changed (now banned)"]  # fmt: skip


def test_an_owner_pausing_a_paused_listing_is_told_it_is_paused(session: Session) -> None:
    mine = sign_up(session)
    pause_listing(session, credential=mine.credential, now=NOW)
    with pytest.raises(NotAllowedNow) as refused:
        pause_listing(session, credential=mine.credential, now=NOW)
    assert refused.value.message == "This listing can't be paused: it is paused."


def test_a_moderator_acting_on_a_listing_that_is_gone_is_told_so(session: Session) -> None:
    with pytest.raises(NotAllowedNow) as refused:
        act_on_mentor(session, mentor_id=10_000_000, expected_version=None,
                      action=ListingAction.REMOVE, moderator=factory_moderator(session),
                      reason="Asked for payment", now=NOW, clause=CodeClause.HARASSMENT)  # fmt: skip
    assert refused.value.message == "This listing doesn't exist any more."


def test_the_audit_log_tells_each_step_of_a_listing(session: Session) -> None:
    hour = timedelta(hours=1)
    alice = add_moderator(session, username="alice", password="correct horse battery", now=NOW)
    mine = sign_up(session, full_name="Jane Doe")
    receipt = file_report(session, client_key="c", now=NOW, report=ReportInput(
        mentor_id=mine.mentor_id, category="asking_for_payment", description="Asked for money.",
        reporter_role="mentee"))  # fmt: skip
    report_id = session.scalar(select(Report.id).where(Report.reference == receipt.reference))
    pause_listing(session, credential=mine.credential, now=NOW + hour)
    act_on_mentor(session, mentor_id=mine.mentor_id, expected_version=None, action=ListingAction.REMOVE,
                  moderator=alice, reason="Asked for payment", report_id=report_id, now=NOW + 2 * hour)  # fmt: skip
    act_on_mentor(session, mentor_id=mine.mentor_id, expected_version=None, action=ListingAction.RESTORE,
                  moderator=alice, reason="Appeal upheld", now=NOW + 3 * hour)  # fmt: skip
    log = audit_log(session, mentor_id=mine.mentor_id, actions=tuple(
        f"listing.{a.value}" for a in ListingAction))  # fmt: skip
    assert list(log[["when", "who", "what", "report", "why", "detail"]].itertuples(index=False, name=None)) == [
        (NOW + 3 * hour, "alice", "Listing: restored", "", "Appeal upheld", "Removed by a moderator → Paused"),
        (NOW + 2 * hour, "alice", "Listing: removed", receipt.reference, "Asked for payment",
         "Paused → Removed by a moderator · Section 3: asking mentees for payment or compensation"),
        (NOW + hour, "The mentor", "Listing: paused", "", "", "Listed → Paused"),
        (NOW, "The mentor", "Listing: confirmed the address", "", "", "Awaiting confirmation → Listed"),
        (NOW, "The mentor", "Listing: signed up", "", "", "New → Awaiting confirmation"),
    ]  # fmt: skip


def test_a_move_answers_with_the_event_it_wrote_and_the_states_on_either_side(
    session: Session,
) -> None:
    mentor_id = sign_up(session).mentor_id
    move = act_on_mentor(session, mentor_id=mentor_id, expected_version=None, action=ListingAction.BAN,
                         moderator=factory_moderator(session), reason="Harassment", now=NOW, clause=CodeClause.HARASSMENT)  # fmt: skip
    event = session.get(ListingEvent, move.event_id)
    assert event is not None and (event.mentor_id, event.kind) == (mentor_id, "banned")
    assert (move.mentor_id, move.action, move.from_status, move.to_status) == (
        mentor_id, ListingAction.BAN, ListingStatus.LISTED, ListingStatus.BANNED)  # fmt: skip


def test_a_paused_listing_removed_then_banned_is_restored_to_paused(session: Session) -> None:
    mine = sign_up(session)
    pause_listing(session, credential=mine.credential, now=NOW)
    for action in (ListingAction.REMOVE, ListingAction.BAN, ListingAction.RESTORE):
        act_on_mentor(session, mentor_id=mine.mentor_id, expected_version=None, action=action,
                      moderator=factory_moderator(session), reason="A reason", now=NOW, clause=CodeClause.HARASSMENT)  # fmt: skip
    session.expire_all()
    mentor = session.get(Mentor, mine.mentor_id)
    assert mentor is not None and mentor.status == ListingStatus.PAUSED.value


def test_a_mentor_who_resumes_comes_back_first_in_newest_first(session: Session) -> None:
    hour = timedelta(hours=1)
    back = sign_up(session, full_name="Back Again", now=NOW)
    pause_listing(session, credential=back.credential, now=NOW + hour)
    sign_up(session, full_name="Newer Mentor", now=NOW + 2 * hour)
    resume_listing(session, credential=back.credential, code=current_code(), now=NOW + 3 * hour,
                   signature=SignatureInput(agreed=True, typed_name="Back Again"))  # fmt: skip
    newest_first = search_mentors(session, mentor_filter=MentorFilter()).mentors
    assert [card.full_name for card in newest_first] == ["Back Again", "Newer Mentor"]
