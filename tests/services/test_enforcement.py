"""The enforcement ladder: each step is a row of the listing's table, names its part of the Code,
tells the mentor in the Code's own words; a removal for days ends by itself on its day (and not
after a ban); section 3 offers removal and ban first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor, OutboxMail, Report
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.core.refusals import InvalidSubmission
from services.core.vocabulary import CodeClause, ListingStatus, ReportStatus
from services.listings import enforcement
from services.listings.code_of_conduct import CODE_PATH, clause_text, current_code
from services.listings.listing_lifecycle import LADDER, TRANSITIONS, ListingAction
from services.listings.owner import pause_listing
from services.mail.templates import Frame, Kind, render
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_mentor
from tests.conftest import NOW
from tests.factories import sign_up

A = ListingAction
DAY = timedelta(days=1)
FRAME = Frame(site_url="https://mentors.example.org", sender="noreply@example.org")


@pytest.fixture
def alice(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="alice", password="correct horse battery", now=NOW)


def act(session: Session, mentor_id: int, action: ListingAction, who: ModeratorIdentity, *,
        now: datetime = NOW, **extra: object):  # noqa: ANN202  # fmt: skip
    return act_on_mentor(session, mentor_id=mentor_id, expected_version=None, action=action,
                         moderator=who, reason="Seen in the chat log", now=now, **extra)  # type: ignore[arg-type]  # fmt: skip


def mail_kinds(session: Session, mentor_id: int) -> list[str]:
    mentor = session.get_one(Mentor, mentor_id)
    return list(session.scalars(select(OutboxMail.kind).where(OutboxMail.recipient == mentor.email)
                                .order_by(OutboxMail.id)))  # fmt: skip


def status(session: Session, mentor_id: int) -> str:
    session.expire_all()
    return session.get_one(Mentor, mentor_id).status


def last_event(session: Session, mentor_id: int) -> ListingEvent:
    return session.scalars(select(ListingEvent).where(ListingEvent.mentor_id == mentor_id)
                           .order_by(ListingEvent.id.desc()).limit(1)).one()  # fmt: skip


def test_the_ladder_is_five_moderator_rows_of_the_table_mildest_first() -> None:
    assert LADDER == (A.NOTE_BREACH, A.WARN, A.REMOVE_FOR_DAYS, A.REMOVE, A.BAN)
    targets = [TRANSITIONS[a].target for a in LADDER]
    assert [t.value for t in targets] == ["stay", "stay", "removed", "removed", "banned"]
    assert TRANSITIONS[A.RETURN_ON_DATE].sources == frozenset({ListingStatus.REMOVED})


@pytest.mark.parametrize(
    ("action", "after", "mail"),
    [(A.NOTE_BREACH, "listed", None), (A.WARN, "listed", Kind.WARNED),
     (A.REMOVE_FOR_DAYS, "removed", Kind.REMOVED_FOR_DAYS), (A.REMOVE, "removed", Kind.REMOVED),
     (A.BAN, "banned", Kind.BANNED)],
    ids=lambda v: getattr(v, "value", str(v)),
)  # fmt: skip
def test_each_step_from_a_report_names_its_clause_resolves_the_report_and_tells_the_mentor(
    session: Session, alice: ModeratorIdentity, action: ListingAction, after: str, mail: Kind | None
) -> None:
    mentor_id = sign_up(session).mentor_id
    receipt = file_report(session, client_key="me", now=NOW, report=ReportInput(
        mentor_id=mentor_id, category="not_responsive", description="No answer for six weeks.",
        reporter_role="mentee"))  # fmt: skip
    report = session.scalars(select(Report).where(Report.reference == receipt.reference)).one()
    act(session, mentor_id, action, alice, report_id=report.id, days=10)
    assert status(session, mentor_id) == after
    event = last_event(session, mentor_id)
    assert (event.kind, event.code_clause, event.report_id) == (action.value, "2.1", report.id)
    assert session.get_one(Report, report.id).status == ReportStatus.RESOLVED_ACTION.value
    sent = [k for k in mail_kinds(session, mentor_id) if k != Kind.CONFIRM_SIGN_UP.value]
    assert sent == ([mail.value] if mail else [])
    if mail is not None:
        sent = session.scalars(select(OutboxMail).where(OutboxMail.kind == mail.value)).one()
        assert (sent.created_at, sent.mentor_id) == (NOW, mentor_id)
        assert sent.values["words"] == clause_text(current_code(), CodeClause.RESPONSIVE)
        assert "No ghosting allowed." in sent.values["words"]
        if action is A.REMOVE_FOR_DAYS:  # the day it comes back, in words
            back = NOW.date() + 10 * DAY
            assert sent.values["until"] == f"{back:%A} {back.day} {back:%B %Y}"
    if action is A.REMOVE_FOR_DAYS:
        assert session.get_one(Mentor, mentor_id).removed_until == (NOW + 10 * DAY).date()


@pytest.mark.parametrize("action", LADDER, ids=lambda a: a.value)
@pytest.mark.parametrize("clause", [None, CodeClause.REMOVAL_ON_REQUEST], ids=["none", "section 1"])
def test_a_step_from_the_roster_without_a_part_of_sections_2_or_3_is_refused_and_changes_nothing(
    session: Session, alice: ModeratorIdentity, action: ListingAction, clause: CodeClause | None
) -> None:
    mentor_id = sign_up(session).mentor_id
    events = session.scalar(select(func.count()).select_from(ListingEvent))
    with pytest.raises(InvalidSubmission) as refused:
        act(session, mentor_id, action, alice, clause=clause, days=7)
    assert refused.value.errors == {"clause": "Please choose the part of the Code of Conduct this enforces."}
    assert status(session, mentor_id) == "listed"
    assert session.scalar(select(func.count()).select_from(ListingEvent)) == events


@pytest.mark.parametrize("days", [1, 365])
def test_a_removal_for_days_takes_from_1_to_365_days(session: Session, alice: ModeratorIdentity, days: int) -> None:
    mentor_id = sign_up(session).mentor_id
    act(session, mentor_id, A.REMOVE_FOR_DAYS, alice, clause=CodeClause.SUPPORTIVE, days=days)
    assert session.get_one(Mentor, mentor_id).removed_until == NOW.date() + days * DAY


@pytest.mark.parametrize("days", [None, 0, -3, 366])
def test_a_removal_for_days_needs_from_1_to_365_days(
    session: Session, alice: ModeratorIdentity, days: int | None
) -> None:
    mentor_id = sign_up(session).mentor_id
    with pytest.raises(InvalidSubmission) as refused:
        act(session, mentor_id, A.REMOVE_FOR_DAYS, alice, clause=CodeClause.SUPPORTIVE, days=days)
    assert set(refused.value.errors) == {"days"} and "1 to 365" in refused.value.errors["days"]
    assert status(session, mentor_id) == "listed"


def test_a_removal_for_days_ends_by_itself_on_its_day_as_it_was_and_the_mentor_hears(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = sign_up(session)
    pause_listing(session, credential=mentor.credential, now=NOW)
    act(session, mentor.mentor_id, A.REMOVE_FOR_DAYS, alice, clause=CodeClause.SUPPORTIVE, days=3)
    ends = NOW.date() + 3 * DAY
    last_moment_before = datetime.combine(ends, datetime.min.time(), UTC) - timedelta(seconds=1)
    assert enforcement.end_due(session, now=last_moment_before) == 0
    assert status(session, mentor.mentor_id) == "removed"
    first_run = datetime.combine(ends, datetime.min.time(), UTC) + timedelta(minutes=5)
    assert enforcement.end_due(session, now=first_run) == 1
    assert status(session, mentor.mentor_id) == "paused"  # as it was before the removal
    event = last_event(session, mentor.mentor_id)
    assert (event.kind, event.actor_kind, event.from_status) == ("returned_on_date", "system", "removed")
    assert event.reason == "The end of the removal the moderators set"  # the history's "why"
    assert session.get_one(Mentor, mentor.mentor_id).removed_until is None
    back = session.scalars(select(OutboxMail).where(OutboxMail.kind == Kind.BACK_AFTER_REMOVAL.value)).one()
    assert (back.created_at, back.mentor_id, back.values) == (first_run, mentor.mentor_id, {"name": back.values["name"]})
    assert enforcement.end_due(session, now=first_run + DAY) == 0  # once


def test_a_removal_for_days_ends_on_its_utc_day_across_a_daylight_saving_change(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor_id = sign_up(session).mentor_id
    before_change = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)  # Europe moves its clocks on the 28th
    act(session, mentor_id, A.REMOVE_FOR_DAYS, alice, clause=CodeClause.SUPPORTIVE, days=2,
        now=before_change)  # fmt: skip
    assert enforcement.end_due(session, now=datetime(2027, 3, 28, 23, 59, tzinfo=UTC)) == 0
    assert enforcement.end_due(session, now=datetime(2027, 3, 29, 0, 1, tzinfo=UTC)) == 1
    assert status(session, mentor_id) == "listed"


@pytest.mark.parametrize("then", [A.BAN, A.RESTORE], ids=["banned", "restored"])
def test_a_removal_for_days_overtaken_by_a_ban_or_a_restore_is_left_alone_by_the_clock(
    session: Session, alice: ModeratorIdentity, then: ListingAction
) -> None:
    mentor_id = sign_up(session).mentor_id
    act(session, mentor_id, A.REMOVE_FOR_DAYS, alice, clause=CodeClause.RESPECTFUL, days=5)
    act(session, mentor_id, then, alice, now=NOW + DAY, clause=CodeClause.HARASSMENT)
    expected = status(session, mentor_id)
    assert session.get_one(Mentor, mentor_id).removed_until is None
    assert enforcement.end_due(session, now=NOW + 30 * DAY) == 0
    assert status(session, mentor_id) == expected == ("banned" if then is A.BAN else "listed")


def test_section_3_offers_removal_and_ban_first_and_section_2_the_mildest_step() -> None:
    assert enforcement.offered(CodeClause.PAYMENT)[:2] == (A.REMOVE, A.BAN)
    assert enforcement.offered(CodeClause.RESPONSIVE)[0] is A.NOTE_BREACH
    assert enforcement.offered(None) == LADDER
    assert sorted(enforcement.offered(CodeClause.HARASSMENT)) == sorted(LADDER)


def test_a_section_3_violation_can_be_removed_at_once_with_no_earlier_step(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor_id = sign_up(session).mentor_id
    act(session, mentor_id, A.BAN, alice, clause=CodeClause.PAYMENT)
    assert status(session, mentor_id) == "banned"
    assert last_event(session, mentor_id).code_clause == "3.3"


def test_every_clause_of_sections_2_and_3_has_the_codes_own_words() -> None:
    text = CODE_PATH.read_text(encoding="utf-8")
    words = {c: clause_text(current_code(), c) for c in CodeClause if c.section > 1}
    assert all(w in text for w in words.values())
    assert len(set(words.values())) == len(words)
    assert words[CodeClause.PAYMENT].startswith("Asking mentees for payment")
    with pytest.raises(ValueError):
        clause_text(current_code(), CodeClause.REMOVAL_ON_REQUEST)


def test_the_warning_mail_quotes_the_code_and_says_how_to_appeal() -> None:
    values = {"name": "Jane Doe", "clause": CodeClause.RESPONSIVE.label,
              "words": clause_text(current_code(), CodeClause.RESPONSIVE)}  # fmt: skip
    subject, body = render(Kind.WARNED, values, FRAME)
    assert "warning" in subject.lower()
    assert "Hello Jane Doe" in body and "No ghosting allowed." in body
    assert "appeal it once, within 20 days" in body
    assert f"{FRAME.site_url}/manage-my-listing" in body


def test_a_sample_listing_is_never_mailed(session: Session, alice: ModeratorIdentity) -> None:
    mentor_id = sign_up(session).mentor_id
    session.execute(Mentor.__table__.update().where(Mentor.id == mentor_id).values(is_sample=True))
    session.expire_all()
    act(session, mentor_id, A.WARN, alice, clause=CodeClause.SUPPORTIVE)
    act(session, mentor_id, A.REMOVE_FOR_DAYS, alice, clause=CodeClause.SUPPORTIVE, days=1)
    assert enforcement.end_due(session, now=NOW + 2 * DAY) == 1
    assert mail_kinds(session, mentor_id) == [Kind.CONFIRM_SIGN_UP.value]


def test_the_clock_ends_removals_a_batch_at_a_time_oldest_listing_first(
    session: Session, alice: ModeratorIdentity, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = sign_up(session).mentor_id, sign_up(session).mentor_id
    for mentor_id, days in ((second, 1), (first, 2)):  # the index's order would be second first
        act(session, mentor_id, A.REMOVE_FOR_DAYS, alice, clause=CodeClause.SUPPORTIVE, days=days)
    monkeypatch.setattr(enforcement, "BATCH", 1)
    assert enforcement.end_due(session, now=NOW + 2 * DAY) == 1
    assert (status(session, first), status(session, second)) == ("listed", "removed")
    assert enforcement.end_due(session, now=NOW + 2 * DAY) == 1  # the next run does the rest
    assert status(session, second) == "listed"
