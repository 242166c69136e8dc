"""Signing the Code of Conduct: who gets listed, what is recorded, who is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from models import AuditEvent, BlockedIdentity, CodeVersion, Mentor, Signature
from services.core.refusals import InvalidSubmission
from services.core.vocabulary import ListingStatus
from services.directory.mentor_search import MentorFilter, search_mentors
from services.listings.code_of_conduct import current_code, parse_code
from services.listings.confirmation import confirm_sign_up
from services.listings.owner import delete_listing, open_listing, pause_listing
from services.listings.signing import (
    SignatureInput,
    SignUpReceived,
    resume_listing,
    sign_code_of_conduct,
    signatures_of,
)
from services.mail.templates import Kind
from tests.conftest import NOW
from tests.factories import mailed, make_mentor, make_profile, sign_up, submit_sign_up


def mentor_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Mentor)) or 0


def listed_names(session: Session) -> list[str]:
    return [c.full_name for c in search_mentors(session, mentor_filter=MentorFilter()).mentors]


def test_signing_records_the_signature_and_the_confirmed_mentor_is_listed(session: Session) -> None:
    profile = make_profile(full_name="Jane Doe")
    sign_code_of_conduct(
        session, profile=profile, code=current_code(), now=NOW,
        signature=SignatureInput(agreed=True, typed_name="  jane DOE ", user_agent="Firefox/140", ip_address="203.0.113.9"),
    )  # fmt: skip
    assert listed_names(session) == []  # not before the address is confirmed
    mail = mailed(session, profile.email)
    assert mail is not None
    result = confirm_sign_up(session, token=mail.values["token"], now=NOW)
    assert listed_names(session) == ["Jane Doe"]
    [record] = signatures_of(session, mentor_id=result.mentor_id)
    assert record.typed_name == "  jane DOE "  # exactly as typed
    assert record.agreement_text == "I have read the Code of Conduct and agree to follow it."
    assert record.code_sha256 == current_code().sha256
    assert record.signed_at == NOW
    assert (record.user_agent, record.ip_address, record.occasion) == (
        "Firefox/140",
        "203.0.113.9",
        "sign_up",
    )
    stored = session.scalar(
        select(CodeVersion.text).where(CodeVersion.sha256 == current_code().sha256)
    )
    assert stored == current_code().text
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.mentor_id == result.mentor_id)
    )
    assert list(actions) == ["listing.signed_up", "listing.confirmed"]
    assert result.credential.startswith("wan-") and len(result.credential) > 30


@pytest.mark.parametrize(
    ("signature", "field"),
    [
        (SignatureInput(agreed=False, typed_name="Jane Doe"), "agreed"),
        (SignatureInput(agreed=True, typed_name=""), "typed_name"),
        (SignatureInput(agreed=True, typed_name="Jane Smith"), "typed_name"),
    ],
)
def test_no_listing_without_the_box_ticked_and_the_name_matching(
    session: Session, signature: SignatureInput, field: str
) -> None:
    with pytest.raises(InvalidSubmission) as problem:
        sign_code_of_conduct(
            session,
            profile=make_profile(full_name="Jane Doe"),
            signature=signature,
            code=current_code(),
            now=NOW,
        )
    assert list(problem.value.errors) == [field]
    assert mentor_count(session) == 0


def test_profile_and_signature_problems_are_reported_together(session: Session) -> None:
    with pytest.raises(InvalidSubmission) as problem:
        sign_code_of_conduct(
            session, profile=make_profile(full_name="Jane Doe", email="bad"), code=current_code(), now=NOW,
            signature=SignatureInput(agreed=False, typed_name="Someone Else"),
        )  # fmt: skip
    assert set(problem.value.errors) == {"email", "agreed", "typed_name"}


@pytest.mark.parametrize(
    "same_person",
    [{"email": "JANE@example.org"}, {"linkedin_url": "uk.linkedin.com/in/JANE-DOE/"}],
    ids=["same email", "same LinkedIn profile"],
)
@pytest.mark.parametrize("status", ["listed", "paused", "removed", "banned"])
def test_a_sign_up_never_touches_an_existing_listing_and_its_answer_says_nothing_about_it(
    session: Session, same_person: dict[str, str], status: str
) -> None:
    owner = make_mentor(session, status=ListingStatus.of(status), email="jane@example.org",
                        linkedin_url="https://www.linkedin.com/in/jane-doe", headline="Owner's words")  # fmt: skip
    before = session.get(Mentor, owner)
    assert before is not None
    version = before.version
    stranger = make_profile(**same_person, headline="A stranger's words")
    answer = submit_sign_up(session, stranger)
    assert answer == SignUpReceived(email=stranger.email.strip())  # what any sign-up is told
    assert mentor_count(session) == 1
    session.expire_all()
    after = session.get(Mentor, owner)
    assert after is not None and (after.version, after.headline, after.status) == (version, "Owner's words", status)
    assert mailed(session, stranger.email.strip(), Kind.CONFIRM_SIGN_UP) is None
    told = mailed(session, stranger.email.strip(), Kind.ALREADY_LISTED)
    assert (told is not None) is (status != "banned")  # a banned identity is never mailed


def test_a_paused_listing_cannot_be_taken_over_and_its_owner_resubmits_with_the_code(
    session: Session,
) -> None:
    owner = sign_up(session, full_name="Jane Doe", email="jane@example.org",
                    linkedin_url="https://www.linkedin.com/in/jane-doe")  # fmt: skip
    pause_listing(session, credential=owner.credential, now=NOW)
    # a stranger knows the public LinkedIn address
    submit_sign_up(session, make_profile(full_name="Jane Doe", email="someone.else@example.org",
                   linkedin_url="https://www.linkedin.com/in/jane-doe", headline="Taken over"))  # fmt: skip
    assert mailed(session, "someone.else@example.org") is None  # no link: nothing to confirm
    mine = open_listing(session, credential=owner.credential, client_key="t", now=NOW)
    assert mine is not None and mine.status is ListingStatus.PAUSED
    assert mine.profile.email == "jane@example.org" and mine.profile.headline != "Taken over"
    resume_listing(session, credential=owner.credential, code=current_code(), now=NOW + timedelta(days=30),
                   signature=SignatureInput(agreed=True, typed_name="Jane Doe"))  # fmt: skip
    assert listed_names(session) == ["Jane Doe"]
    assert [s.occasion for s in signatures_of(session, mentor_id=owner.mentor_id)] == ["resume", "sign_up"]


def test_a_deleted_mentor_can_sign_up_again_as_a_new_listing(session: Session) -> None:
    first = sign_up(session, email="jane@example.org")
    delete_listing(session, credential=first.credential, now=NOW)
    again = sign_up(session, email="jane@example.org")
    assert again.mentor_id != first.mentor_id
    assert len(listed_names(session)) == 1
    assert open_listing(session, credential=first.credential, client_key="t", now=NOW) is None


@pytest.mark.parametrize("kind,value,attempt", [
    ("email", "jane@example.org", {"email": " Jane@Example.org"}),
    ("linkedin", "jane-doe", {"linkedin_url": "https://de.linkedin.com/in/Jane-Doe/"}),
])  # fmt: skip
def test_a_banned_identity_makes_nothing_and_is_never_mailed(
    session: Session, kind: str, value: str, attempt: dict[str, str]
) -> None:
    banned = sign_up(session)
    session.add(
        BlockedIdentity(kind=kind, value_key=value, mentor_id=banned.mentor_id, created_at=NOW)
    )
    session.flush()
    before = mentor_count(session)
    profile = make_profile(**attempt)
    submit_sign_up(session, profile)
    assert mentor_count(session) == before
    assert mailed(session, profile.email.strip(), Kind.CONFIRM_SIGN_UP) is None
    assert mailed(session, profile.email.strip(), Kind.ALREADY_LISTED) is None


def test_signature_rows_are_write_once(session: Session) -> None:
    result = sign_up(session)
    signature_id = session.scalar(
        select(Signature.id).where(Signature.mentor_id == result.mentor_id)
    )
    for statement in (
        "UPDATE signatures SET typed_name = 'forged' WHERE id = :id",
        "DELETE FROM signatures WHERE id = :id",
    ):
        with pytest.raises(DBAPIError), session.begin_nested():
            session.execute(text(statement), {"id": signature_id})
    assert (
        session.scalar(select(Signature.typed_name).where(Signature.id == signature_id)) != "forged"
    )


def test_a_new_code_text_is_a_new_version_and_listings_stay(session: Session) -> None:
    old = current_code()
    listed = sign_up(session, full_name="Listed Before")
    paused = sign_up(session, full_name="Paused Before")
    pause_listing(session, credential=paused.credential, now=NOW)
    new = parse_code(old.text.replace("No ghosting allowed.", "No ghosting allowed, ever."))
    assert new.sha256 != old.sha256
    resume_listing(session, credential=paused.credential, code=new, now=NOW + timedelta(days=1),
                   signature=SignatureInput(agreed=True, typed_name="Paused Before"))  # fmt: skip
    profile = make_profile(full_name="New Comer")
    sign_code_of_conduct(session, profile=profile, code=new, now=NOW,
                         signature=SignatureInput(agreed=True, typed_name="New Comer"))  # fmt: skip
    newcomer = confirm_sign_up(session, token=mailed(session, profile.email).values["token"], now=NOW)  # type: ignore[union-attr]
    assert sorted(listed_names(session)) == ["Listed Before", "New Comer", "Paused Before"]
    assert signatures_of(session, mentor_id=listed.mentor_id)[0].code_sha256 == old.sha256
    assert signatures_of(session, mentor_id=paused.mentor_id)[0].code_sha256 == new.sha256
    assert signatures_of(session, mentor_id=newcomer.mentor_id)[0].code_sha256 == new.sha256
    assert session.scalar(select(func.count()).select_from(CodeVersion)) == 2


def test_typed_name_is_compared_with_the_profile_name_not_the_record(session: Session) -> None:
    profile = replace(make_profile(), full_name="Ｊａｎｅ Doe")
    sign_code_of_conduct(session, profile=profile, code=current_code(), now=NOW,
                         signature=SignatureInput(agreed=True, typed_name="jane doe"))  # fmt: skip
    assert session.scalars(select(Mentor.status)).one() == ListingStatus.UNCONFIRMED.value
