"""Whatever anyone types into any form: a message for the right field, or the value stored as typed.

"As typed" means after the documented cleaning (services/core/text.py): one-line fields through
clean_line, multi-line fields through clean_paragraphs, the signature through clean_text, the
LinkedIn address in its canonical form. Never another exception, never a row on refusal. Every
example runs in a savepoint that is rolled back, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Mentor, Moderator, Report, ReportNote, Signature
from services.accounts import auth
from services.accounts.auth import ModeratorIdentity
from services.accounts.throttle import Throttled
from services.core.text import clean_line, clean_paragraphs, clean_text
from services.core.vocabulary import CodeClause
from services.directory import mentor_search, query
from services.directory.mentor_search import MentorFilter, Sort
from services.listings import owner
from services.listings.code_of_conduct import current_code
from services.listings.listing_lifecycle import ListingAction
from services.listings.owner import InvalidSubmission
from services.listings.profile import ProfileInput, canonical_linkedin_url, email_key
from services.listings.signing import SignatureInput, sign_code_of_conduct
from services.reports import intake, moderation
from services.reports.intake import ReportInput
from tests.conftest import NOW
from tests.factories import make_profile, sign_up

NASTY = st.sampled_from(
    ["\x00", "\x1b", "\x7f", "\u202e", "\u202d", "\u2066", "\u200f", "\u200b", "\u200d", "\ufeff",
     "\u00ad", "\U000e0041", "\r\n", "\t", "\u2028", " ", "%00", "%E5%BC%A0", "https://",
     "http://", "www.linkedin.com/in/", "/in/", "@", ".", ":", "[", "]", "?", "#", "%", "_", "\\",
     "'", "javascript:", "<script>", "ß", "ﷺ", "ﬃ", "İ", "é", "\u0301", "Ø", "张", "й", "ع",
     "👩\u200d💻", "Jane Doe", "jane@example.org"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(NASTY, st.text(max_size=6)), max_size=12).map("".join),
    st.builds(lambda part, times: part * times, NASTY, st.integers(0, 3000)),  # huge pastes
)
ONE_LINE = ("full_name", "pronouns", "headline", "company", "city", "email", "availability_note")
PROFILE_FIELDS = {f.name for f in fields(ProfileInput)}
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """One example's work, rolled back whatever happens (the test's own transaction goes on)."""
    nested = session.begin_nested()
    try:
        yield
    finally:
        nested.rollback()


def rows(session: Session, *models: type) -> list[int]:
    return [session.scalar(select(func.count()).select_from(m)) or 0 for m in models]


def assert_message_for(problem: InvalidSubmission, allowed: set[str]) -> None:
    assert problem.errors and set(problem.errors) <= allowed
    assert all(isinstance(m, str) and m.strip() for m in problem.errors.values())


def assert_profile_stored(mentor: Mentor, profile: ProfileInput) -> None:
    for name in ONE_LINE:
        assert getattr(mentor, name) == (clean_line(getattr(profile, name)) or None)
    assert mentor.bio == (clean_paragraphs(profile.bio) or None)
    assert mentor.linkedin_url == canonical_linkedin_url(profile.linkedin_url)


def hostile_profile(draw: st.DrawFn) -> tuple[ProfileInput, set[str]]:
    """A valid profile with one field, or all of them, replaced by anything at all."""
    profile = make_profile()
    hostile = draw(st.sampled_from([*sorted(set(ONE_LINE) | {"bio", "linkedin_url"}), "all"]))
    names = set(ONE_LINE) | {"bio", "linkedin_url"} if hostile == "all" else {hostile}
    profile = replace(profile, **{name: draw(TEXT) for name in names})
    return profile, names


@st.composite
def sign_ups(draw: st.DrawFn) -> tuple[ProfileInput, str, set[str]]:
    profile, hostile = hostile_profile(draw)
    as_in_profile = st.just(profile.full_name)
    typed_name = draw(st.one_of(as_in_profile, as_in_profile, as_in_profile, TEXT))
    return profile, typed_name, hostile


@PROPERTY
@given(sign_ups())
def test_signing_up_stores_what_was_typed_or_names_the_field(
    session: Session, case: tuple[ProfileInput, str, set[str]]
) -> None:
    profile, typed_name, hostile = case
    with savepoint(session):
        signature = SignatureInput(agreed=True, typed_name=typed_name, user_agent=typed_name)
        try:
            sign_code_of_conduct(session, profile=profile, signature=signature,
                                 code=current_code(), now=NOW)  # fmt: skip
        except InvalidSubmission as problem:
            assert_message_for(problem, hostile | {"typed_name"})
            assert rows(session, Mentor, Signature, AuditEvent) == [0, 0, 0]
            return
        mentor = session.scalars(select(Mentor)).one()  # awaiting confirmation, as typed
        assert_profile_stored(mentor, profile)
        stored = session.scalars(select(Signature)).one()
        assert stored.typed_name == clean_text(typed_name)
        assert stored.user_agent == (clean_text(typed_name)[:500] or None)


@st.composite
def edits(draw: st.DrawFn) -> tuple[ProfileInput, set[str]]:
    return hostile_profile(draw)


@PROPERTY
@given(edits())
def test_editing_stores_what_was_typed_or_changes_nothing(
    session: Session, case: tuple[ProfileInput, set[str]]
) -> None:
    profile, hostile = case
    with savepoint(session):
        mine = sign_up(session, email="owner@example.org", linkedin_url="linkedin.com/in/owner")
        before = owner.profile_of(session.get(Mentor, mine.mentor_id))  # type: ignore[arg-type]
        try:
            owner.edit_listing(session, credential=mine.credential, profile=profile, now=NOW)
        except InvalidSubmission as problem:
            assert_message_for(problem, hostile)
            mentor = session.get(Mentor, mine.mentor_id, populate_existing=True)
            assert owner.profile_of(mentor) == before  # type: ignore[arg-type]
            assert rows(session, AuditEvent) == [2]  # signed up, confirmed: nothing more
            return
        # Availability has a form of its own: an edit of the profile keeps it as it was; a new
        # email address waits for its confirmation.
        same_address = email_key(profile.email) == email_key(before.email)
        kept = replace(profile, open_to_new_mentees=before.open_to_new_mentees,
                       availability_note=before.availability_note,
                       email=profile.email if same_address else before.email)  # fmt: skip
        assert_profile_stored(session.get(Mentor, mine.mentor_id), kept)  # type: ignore[arg-type]


@PROPERTY
@given(note=TEXT)
def test_an_availability_note_is_stored_as_typed_or_refused(session: Session, note: str) -> None:
    with savepoint(session):
        mine = sign_up(session)
        try:
            owner.set_availability(session, credential=mine.credential, open_to_new_mentees=False,
                                      availability_note=note, now=NOW)  # fmt: skip
        except InvalidSubmission as problem:
            assert_message_for(problem, {"availability_note"})
            return
        mentor = session.get(Mentor, mine.mentor_id)
        assert mentor is not None and mentor.availability_note == (clean_line(note) or None)


@st.composite
def report_forms(draw: st.DrawFn) -> tuple[ReportInput, set[str]]:
    """A valid report with one field, or all of them, replaced by anything at all."""
    anything = {
        "mentor_id": st.one_of(st.none(), st.integers(min_value=-(2**70), max_value=2**70)),
        "named_person": TEXT, "named_linkedin_url": TEXT, "category": TEXT, "description": TEXT,
        "occurred_on": st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 1, 1))),
        "reporter_role": TEXT, "reporter_email": TEXT, "honeypot": TEXT,
        "excluded_moderators": st.lists(st.integers(-(2**70), 2**70), max_size=12).map(tuple),
    }  # fmt: skip
    hostile = draw(st.sampled_from([*sorted(anything), "all"]))
    names = set(anything) if hostile == "all" else {hostile}
    valid = ReportInput(named_person="A Mentor", category="other", description="It happened.",
                        reporter_role="witness")  # fmt: skip
    report = replace(valid, **{name: draw(anything[name]) for name in names})
    return report, names | {"mentor"} if names & {"mentor_id", "named_person"} else names


@PROPERTY
@given(case=report_forms())
def test_a_report_is_stored_as_typed_or_refused_with_nothing_written(
    session: Session, case: tuple[ReportInput, set[str]]
) -> None:
    report, hostile = case
    with savepoint(session):
        try:
            receipt = intake.file_report(session, report=report, client_key="ip:1", now=NOW)
        except InvalidSubmission as problem:
            assert_message_for(problem, hostile)
            assert rows(session, Report, AuditEvent) == [0, 0]
            return
        stored = session.scalars(select(Report).where(Report.reference == receipt.reference)).one()
        assert stored.description == clean_paragraphs(report.description)
        assert stored.named_person == (clean_line(report.named_person) or None)
        assert stored.reporter_email == (clean_line(report.reporter_email) or None)
        assert stored.suspected_spam is bool(clean_line(report.honeypot))


@PROPERTY
@given(
    contact=st.one_of(TEXT, st.just("me@example.org"), st.just("linkedin.com/in/me")), message=TEXT
)
def test_a_removal_request_is_stored_as_typed_or_refused_with_nothing_written(
    session: Session, contact: str, message: str
) -> None:
    with savepoint(session):
        try:
            receipt = intake.request_removal(session, contact=contact, message=message,
                                              client_key="ip:1", now=NOW)  # fmt: skip
        except InvalidSubmission as problem:
            assert_message_for(problem, {"contact", "message"})
            assert rows(session, Report, AuditEvent) == [0, 0]
            return
        stored = session.scalars(select(Report).where(Report.reference == receipt.reference)).one()
        assert stored.description == (clean_paragraphs(message) or "(no message)")


@PROPERTY
@given(reason=TEXT, note=TEXT)
def test_a_moderator_reason_or_note_is_stored_as_typed_or_refused(
    session: Session, reason: str, note: str
) -> None:
    with savepoint(session):
        mentor_id = sign_up(session).mentor_id
        receipt = intake.file_report(session, client_key="ip:1", now=NOW, report=ReportInput(
            mentor_id=mentor_id, category="other", description="x", reporter_role="mentee"))  # fmt: skip
        report_id = session.scalars(select(Report.id)).one()
        moderator = Moderator(username="mod", created_at=NOW)
        session.add(moderator)
        session.flush()
        me = ModeratorIdentity(moderator.id, moderator.username)
        written = rows(session, AuditEvent, ReportNote)
        try:
            moderation.add_note(session, report_id=report_id, body=note, moderator=me, now=NOW)
        except InvalidSubmission as problem:
            assert_message_for(problem, {"note"})
            assert rows(session, AuditEvent, ReportNote) == written
        else:
            assert session.scalars(select(ReportNote.body)).one() == clean_paragraphs(note)
        try:
            moderation.act_on_mentor(session, mentor_id=mentor_id, expected_version=None,
                                     action=ListingAction.REMOVE, reason=reason, moderator=me,
                                     now=NOW, report_id=report_id, clause=CodeClause.SUPPORTIVE)  # fmt: skip
        except InvalidSubmission as problem:
            assert_message_for(problem, {"reason"})
        else:
            why = select(AuditEvent.reason).where(AuditEvent.action == "listing.removed")
            assert session.scalars(why).one() == clean_paragraphs(reason)
        assert receipt.reference


@PROPERTY
@given(username=TEXT, credential=TEXT)
def test_any_sign_in_name_or_listing_code_is_simply_refused(
    session: Session, username: str, credential: str
) -> None:
    with savepoint(session):
        pending = auth.start_sign_in(session, username=username, client_key="ip:1",
                                     secret_hashes={}, now=NOW)  # fmt: skip
        assert auth.finish_sign_in(session, pending=pending, password_matched=False,
                                   secret_hashes={}, now=NOW) is None  # fmt: skip
        try:
            opened = owner.open_listing(
                session, credential=credential, client_key="ip:2", now=NOW
            )
        except Throttled:
            opened = None
        assert opened is None


@PROPERTY
@given(
    keywords=TEXT, country=TEXT, city=TEXT, codes=st.lists(TEXT, max_size=3).map(tuple),
    open_only=st.booleans(), sort=st.sampled_from(Sort), page=st.integers(-5, 10**6),
)  # fmt: skip
def test_the_directory_answers_any_filter_from_the_url(
    session: Session, keywords: str, country: str, city: str, codes: tuple[str, ...],
    open_only: bool, sort: Sort, page: int,
) -> None:  # fmt: skip
    mentor_filter = MentorFilter(keywords=keywords, country=country, city=city, disciplines=codes,
                                 seniorities=codes, languages=codes, offers=codes,
                                 open_only=open_only, sort=sort)  # fmt: skip
    with savepoint(session):
        result = mentor_search.search_mentors(session, mentor_filter=mentor_filter, page=page)
        assert 1 <= result.page <= result.pages and result.total >= 0
        assert mentor_search.search_mentors(session, mentor_filter=replace(mentor_filter, keywords=""))
        assert query.keyword_terms(keywords) == query.keyword_terms(clean_text(keywords))
