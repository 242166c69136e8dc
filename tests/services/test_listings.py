"""A mentor managing their own listing with the private credential."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Mentor, MentorDiscipline, Signature
from services.core.refusals import CredentialRejected, InvalidSubmission, NotAllowedNow, Throttled
from services.core.vocabulary import ListingStatus
from services.directory.mentor_search import MentorFilter, search_mentors
from services.listings.code_of_conduct import current_code
from services.listings.owner import (
    CREDENTIAL_LIMIT_PER_CLIENT,
    delete_listing,
    edit_listing,
    open_listing,
    pause_listing,
    set_availability,
)
from services.listings.signing import SignatureInput, resume_listing
from tests.conftest import NOW
from tests.factories import make_profile, sign_up


def listed_names(session: Session) -> list[str]:
    return [c.full_name for c in search_mentors(session, mentor_filter=MentorFilter()).mentors]


def test_the_credential_opens_the_listing_it_was_given_for(session: Session) -> None:
    mine = sign_up(session, full_name="Jane Doe")
    sign_up(session, full_name="Someone Else")
    listing = open_listing(session, credential=f"  {mine.credential} ", client_key="tab-1", now=NOW)
    assert listing is not None
    assert listing.mentor_id == mine.mentor_id
    assert listing.profile.full_name == "Jane Doe"
    assert listing.status is ListingStatus.LISTED


def test_only_a_hash_of_the_credential_is_stored(session: Session) -> None:
    mine = sign_up(session)
    stored = session.scalar(select(Mentor.manage_token_hash).where(Mentor.id == mine.mentor_id))
    assert stored and mine.credential not in stored and len(stored) == 64


def test_a_wrong_credential_reveals_nothing_and_is_slowed_down(session: Session) -> None:
    for attempt in range(CREDENTIAL_LIMIT_PER_CLIENT.allowed):
        assert (
            open_listing(session, credential=f"wan-guess-{attempt}", client_key="ip:1", now=NOW)
            is None
        )
    with pytest.raises(Throttled) as slowed:
        open_listing(
            session, credential="wan-guess-again", client_key="ip:1", now=NOW + timedelta(seconds=5)
        )
    assert timedelta(minutes=14) < slowed.value.retry_after <= timedelta(minutes=15)
    # another client is not held up, and the wait ends
    assert open_listing(session, credential="wan-guess-x", client_key="ip:2", now=NOW) is None
    later = NOW + CREDENTIAL_LIMIT_PER_CLIENT.window + timedelta(seconds=1)
    assert open_listing(session, credential="wan-guess-y", client_key="ip:1", now=later) is None


def test_a_valid_credential_opens_its_listing_whoever_failed_before(session: Session) -> None:
    mine = sign_up(session)
    for attempt in range(CREDENTIAL_LIMIT_PER_CLIENT.allowed):
        open_listing(session, credential=f"wan-guess-{attempt}", client_key="ip:1", now=NOW)
    for client in ("ip:1", "ip:2"):  # from the guesser's own address too: a code can't be guessed
        listing = open_listing(session, credential=mine.credential, client_key=client, now=NOW)
        assert listing is not None and listing.mentor_id == mine.mentor_id


def test_pause_takes_the_listing_off_the_directory_and_resume_brings_it_back(
    session: Session,
) -> None:
    mine = sign_up(session, full_name="Jane Doe")
    pause_listing(session, credential=mine.credential, now=NOW)
    assert listed_names(session) == []
    with pytest.raises(InvalidSubmission) as problem:
        resume_listing(session, credential=mine.credential, code=current_code(), now=NOW,
                       signature=SignatureInput(agreed=True, typed_name="John Doe"))  # fmt: skip
    assert list(problem.value.errors) == ["typed_name"]
    resume_listing(session, credential=mine.credential, code=current_code(), now=NOW + timedelta(hours=1),
                   signature=SignatureInput(agreed=True, typed_name="jane doe"))  # fmt: skip
    assert listed_names(session) == ["Jane Doe"]
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.mentor_id == mine.mentor_id)
        .order_by(AuditEvent.id)
    )
    assert list(actions) == [
        "listing.signed_up", "listing.confirmed", "listing.paused", "listing.resumed"
    ]


def test_pausing_twice_or_resuming_a_listed_profile_is_refused(session: Session) -> None:
    mine = sign_up(session)
    with pytest.raises(NotAllowedNow):
        resume_listing(session, credential=mine.credential, code=current_code(), now=NOW,
                       signature=SignatureInput(agreed=True, typed_name="x"))  # fmt: skip
    pause_listing(session, credential=mine.credential, now=NOW)
    with pytest.raises(NotAllowedNow):
        pause_listing(session, credential=mine.credential, now=NOW)


def test_editing_replaces_the_profile_and_its_tags(session: Session) -> None:
    mine = sign_up(session, full_name="Jane Doe", disciplines=("brand",))
    edit_listing(session, credential=mine.credential, now=NOW,
                 profile=make_profile(full_name="Jane Doe-Smith", disciplines=("social", "content"), bio="New bio"))  # fmt: skip
    [card] = search_mentors(session, mentor_filter=MentorFilter(keywords="doe-smith")).mentors
    assert card.disciplines == ("content", "social") and card.bio == "New bio"
    tags = session.scalars(
        select(MentorDiscipline.discipline).where(MentorDiscipline.mentor_id == mine.mentor_id)
    )
    assert sorted(tags) == ["content", "social"]


def test_an_edit_keeps_the_availability_which_has_a_form_of_its_own(session: Session) -> None:
    mine = sign_up(session)
    set_availability(session, credential=mine.credential, open_to_new_mentees=False,
                     availability_note="Back in March", now=NOW)  # fmt: skip
    edit_listing(session, credential=mine.credential, now=NOW + timedelta(minutes=1),
                 profile=make_profile(headline="Creative Director", availability_note="stale"))  # fmt: skip
    [card] = search_mentors(session, mentor_filter=MentorFilter()).mentors
    assert (card.headline, card.availability_note, card.open_to_new_mentees) == (
        "Creative Director", "Back in March", False)


def test_an_invalid_edit_changes_nothing(session: Session) -> None:
    mine = sign_up(session, full_name="Jane Doe")
    other = make_profile()
    sign_up(session, other)
    for bad, field in (
        (make_profile(email="nope"), "email"),
        (make_profile(email=other.email), "email"),
        (make_profile(linkedin_url=other.linkedin_url), "linkedin_url"),
    ):
        with pytest.raises(InvalidSubmission) as problem:
            edit_listing(session, credential=mine.credential, profile=bad, now=NOW)
        assert field in problem.value.errors
    assert session.get(Mentor, mine.mentor_id).full_name == "Jane Doe"  # type: ignore[union-attr]


def test_availability_note_and_openness_show_in_the_directory(session: Session) -> None:
    mine = sign_up(session)
    set_availability(session, credential=mine.credential, open_to_new_mentees=False,
                     availability_note="  Slower replies   until January ", now=NOW)  # fmt: skip
    [card] = search_mentors(session, mentor_filter=MentorFilter()).mentors
    assert card.availability_note == "Slower replies until January"
    assert search_mentors(session, mentor_filter=MentorFilter(open_only=True)).mentors == []
    with pytest.raises(InvalidSubmission):
        set_availability(
            session,
            credential=mine.credential,
            open_to_new_mentees=True,
            availability_note="x" * 201,
            now=NOW,
        )


def test_deleting_erases_profile_and_contact_data_but_keeps_the_signature(session: Session) -> None:
    mine = sign_up(session, full_name="Jane Doe", email="jane@example.org", bio="Secret bio")
    delete_listing(session, credential=mine.credential, now=NOW)
    mentor = session.get(Mentor, mine.mentor_id)
    assert mentor is not None and mentor.status == ListingStatus.DELETED.value
    assert (
        mentor.email,
        mentor.linkedin_url,
        mentor.bio,
        mentor.email_key,
        mentor.manage_token_hash,
    ) == (None,) * 5
    assert mentor.full_name == "Deleted mentor" and mentor.search_text == ""
    assert (
        session.scalar(
            select(func.count())
            .select_from(MentorDiscipline)
            .where(MentorDiscipline.mentor_id == mentor.id)
        )
        == 0
    )
    assert (
        session.scalar(select(Signature.typed_name).where(Signature.mentor_id == mentor.id))
        == "Jane Doe"
    )
    assert open_listing(session, credential=mine.credential, client_key="t", now=NOW) is None
    with pytest.raises(CredentialRejected):
        pause_listing(session, credential=mine.credential, now=NOW)
