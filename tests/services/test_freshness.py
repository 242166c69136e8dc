"""Listings that stay true by themselves: asked after 90 quiet days, paused 14 days after an
unanswered question, back in one click; every edge, a run twice, a run late, an answer after
the pause."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor, OutboxMail
from services.core.vocabulary import CodeClause, ListingStatus
from services.listings import owner
from services.listings.freshness import NOT_CONFIRMED, Spans, answer, ask_due, pause_unanswered
from services.listings.links import LinkRefused
from services.listings.listing_lifecycle import ListingAction as A
from services.mail.templates import Kind
from tests.conftest import NOW
from tests.factories import mailed, sign_up

SPANS = Spans()
DAY = timedelta(days=1)


def quiet_since(session: Session, days: int, email: str = "quiet@example.org"):  # noqa: ANN201
    return sign_up(session, email=email, now=NOW - days * DAY)


def status(session: Session, mentor_id: int) -> str:
    session.expire_all()
    return session.get_one(Mentor, mentor_id).status


def asks(session: Session, email: str = "quiet@example.org") -> int:
    return session.scalar(select(func.count()).select_from(OutboxMail).where(
        OutboxMail.recipient == email, OutboxMail.kind == Kind.STILL_AVAILABLE.value)) or 0  # fmt: skip


@pytest.mark.parametrize(("days", "asked"), [(89, 0), (90, 0), (91, 1)])
def test_a_listing_is_asked_once_it_has_been_quiet_for_more_than_90_days(
    session: Session, days: int, asked: int
) -> None:
    quiet_since(session, days)
    assert ask_due(session, now=NOW, spans=SPANS) == asked
    assert ask_due(session, now=NOW, spans=SPANS) == 0  # a run twice asks once
    assert asks(session) == asked


@pytest.mark.parametrize(("days_after", "paused"), [(13, False), (14, True), (30, True)])
def test_an_unanswered_listing_is_paused_14_days_after_it_was_asked(
    session: Session, days_after: int, paused: bool
) -> None:
    mine = quiet_since(session, 100)
    ask_due(session, now=NOW, spans=SPANS)
    later = NOW + days_after * DAY  # 30: the clock was away for two weeks, and runs once
    assert pause_unanswered(session, now=later, spans=SPANS) == int(paused)
    assert pause_unanswered(session, now=later, spans=SPANS) == 0
    assert status(session, mine.mentor_id) == ("paused" if paused else "listed")
    if paused:
        event = session.scalars(select(ListingEvent).where(ListingEvent.mentor_id == mine.mentor_id)
                                .order_by(ListingEvent.id.desc())).first()  # fmt: skip
        assert event is not None
        assert (event.kind, event.actor_kind, event.reason) == ("paused_unanswered", "system", NOT_CONFIRMED)
        assert mailed(session, "quiet@example.org", Kind.PAUSED_UNANSWERED) is not None


def test_yes_keeps_the_listing_and_starts_a_new_90_days(session: Session) -> None:
    mine = quiet_since(session, 100)
    ask_due(session, now=NOW, spans=SPANS)
    mail = mailed(session, "quiet@example.org", Kind.STILL_AVAILABLE)
    assert mail is not None
    assert answer(session, token=mail.values["token"], keep=True, now=NOW + 2 * DAY) is ListingStatus.LISTED
    assert pause_unanswered(session, now=NOW + 20 * DAY, spans=SPANS) == 0
    assert ask_due(session, now=NOW + 2 * DAY + 90 * DAY, spans=SPANS) == 0
    assert ask_due(session, now=NOW + 2 * DAY + 91 * DAY, spans=SPANS) == 1
    with pytest.raises(LinkRefused):  # the link works once
        answer(session, token=mail.values["token"], keep=True, now=NOW + 3 * DAY)
    assert status(session, mine.mentor_id) == "listed"


def test_pause_from_the_mail_pauses_at_once(session: Session) -> None:
    mine = quiet_since(session, 100)
    ask_due(session, now=NOW, spans=SPANS)
    mail = mailed(session, "quiet@example.org", Kind.STILL_AVAILABLE)
    assert mail is not None
    assert answer(session, token=mail.values["token"], keep=False, now=NOW) is ListingStatus.PAUSED
    assert status(session, mine.mentor_id) == "paused"


def test_one_click_from_the_pause_mail_brings_the_listing_back(session: Session) -> None:
    mine = quiet_since(session, 100)
    ask_due(session, now=NOW, spans=SPANS)
    pause_unanswered(session, now=NOW + 15 * DAY, spans=SPANS)
    mail = mailed(session, "quiet@example.org", Kind.PAUSED_UNANSWERED)
    assert mail is not None
    assert answer(session, token=mail.values["token"], keep=True, now=NOW + 40 * DAY) is ListingStatus.LISTED
    assert status(session, mine.mentor_id) == "listed"
    assert ask_due(session, now=NOW + 41 * DAY, spans=SPANS) == 0  # confirmed anew


def test_an_answer_to_the_first_mail_after_the_pause_still_brings_it_back(session: Session) -> None:
    mine = quiet_since(session, 100)
    ask_due(session, now=NOW, spans=SPANS)
    first = mailed(session, "quiet@example.org", Kind.STILL_AVAILABLE)
    pause_unanswered(session, now=NOW + 15 * DAY, spans=SPANS)
    assert first is not None
    answer(session, token=first.values["token"], keep=True, now=NOW + 16 * DAY)
    assert status(session, mine.mentor_id) == "listed"


def test_a_mentor_who_paused_themselves_is_not_listed_again_by_yes(session: Session) -> None:
    mine = quiet_since(session, 100)
    ask_due(session, now=NOW, spans=SPANS)
    mail = mailed(session, "quiet@example.org", Kind.STILL_AVAILABLE)
    owner.pause_listing(session, credential=mine.credential, now=NOW + DAY)
    assert mail is not None
    assert answer(session, token=mail.values["token"], keep=True, now=NOW + 2 * DAY) is ListingStatus.PAUSED


@pytest.mark.parametrize("move", ["resume", "edit"])
def test_resuming_or_editing_counts_as_saying_available(session: Session, move: str) -> None:
    mine = quiet_since(session, 100)
    if move == "edit":
        profile = owner.own_listing(session, credential=mine.credential).profile
        owner.edit_listing(session, credential=mine.credential, profile=profile, now=NOW - DAY)
    else:
        from services.listings.code_of_conduct import current_code
        from services.listings.signing import SignatureInput, resume_listing

        owner.pause_listing(session, credential=mine.credential, now=NOW - 2 * DAY)
        resume_listing(session, credential=mine.credential, code=current_code(), now=NOW - DAY,
                       signature=SignatureInput(agreed=True, typed_name=profile_name(session, mine.mentor_id)))  # fmt: skip
    assert ask_due(session, now=NOW, spans=SPANS) == 0


def profile_name(session: Session, mentor_id: int) -> str:
    return session.get_one(Mentor, mentor_id).full_name


def test_made_up_sample_listings_are_never_asked(session: Session) -> None:
    from services.listings.code_of_conduct import current_code
    from services.samples.mentors import insert_sample_mentors

    insert_sample_mentors(session, count=20, code=current_code(), now=NOW - 400 * DAY)
    assert ask_due(session, now=NOW, spans=SPANS) == 0


def test_a_pause_until_a_date_ends_on_that_date_and_the_mentor_is_told(session: Session) -> None:
    from services.core.refusals import InvalidSubmission
    from services.listings.away import end_due

    mine = sign_up(session, email="away@example.org")
    back_on = (NOW + 10 * DAY).date()
    with pytest.raises(InvalidSubmission) as past:
        owner.pause_listing(session, credential=mine.credential, now=NOW, until=NOW.date())
    assert set(past.value.errors) == {"pause_until"}
    owner.pause_listing(session, credential=mine.credential, now=NOW, until=back_on)
    assert end_due(session, now=NOW + 9 * DAY) == (0, 0)
    assert end_due(session, now=NOW + 10 * DAY) == (1, 0)
    assert end_due(session, now=NOW + 10 * DAY) == (0, 0)  # a run twice does it once
    assert status(session, mine.mentor_id) == "listed"
    assert mailed(session, "away@example.org", Kind.BACK_ON_DATE) is not None
    assert session.get_one(Mentor, mine.mentor_id).paused_until is None


def test_resuming_before_the_date_forgets_it(session: Session) -> None:
    from services.listings.away import end_due
    from services.listings.code_of_conduct import current_code
    from services.listings.signing import SignatureInput, resume_listing

    mine = sign_up(session, full_name="Ana Away", email="away@example.org")
    owner.pause_listing(session, credential=mine.credential, now=NOW, until=(NOW + 10 * DAY).date())
    resume_listing(session, credential=mine.credential, code=current_code(), now=NOW + DAY,
                   signature=SignatureInput(agreed=True, typed_name="Ana Away"))  # fmt: skip
    owner.pause_listing(session, credential=mine.credential, now=NOW + 2 * DAY)  # no date this time
    assert end_due(session, now=NOW + 11 * DAY) == (0, 0)
    assert status(session, mine.mentor_id) == "paused"


def test_slower_replies_until_a_date_ends_on_that_date(session: Session) -> None:
    from services.core.refusals import InvalidSubmission
    from services.listings.away import end_due

    mine = sign_up(session, email="busy@example.org")
    with pytest.raises(InvalidSubmission) as no_note:
        owner.set_availability(session, credential=mine.credential, open_to_new_mentees=True,
                               availability_note="", note_until=(NOW + 5 * DAY).date(), now=NOW)  # fmt: skip
    assert set(no_note.value.errors) == {"availability_until"}
    owner.set_availability(session, credential=mine.credential, open_to_new_mentees=False,
                           availability_note="Slower replies until the launch",
                           note_until=(NOW + 5 * DAY).date(), now=NOW)  # fmt: skip
    assert end_due(session, now=NOW + 5 * DAY) == (0, 1)
    session.expire_all()
    mentor = session.get_one(Mentor, mine.mentor_id)
    assert (mentor.availability_note, mentor.note_until, mentor.open_to_new_mentees) == (None, None, False)
    told = mailed(session, "busy@example.org", Kind.NOTE_ENDED)
    assert told is not None and told.values["note"] == "Slower replies until the launch"


def test_a_daylight_saving_change_moves_no_deadline(session: Session) -> None:
    """A daily clock at 01:30 London time runs across the change to summer time (29 March 2026):
    the spans are elapsed time, so the ask comes on the first run after 90 whole days and the
    pause on the first run 14 days after the ask, one local hour earlier in UTC or not."""
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    sign_up(session, email="quiet@example.org",
            now=datetime(2026, 1, 15, 1, 30, tzinfo=london).astimezone(UTC))  # GMT  # fmt: skip
    asked_on = paused_on = None
    day = date(2026, 1, 16)
    while paused_on is None and day < date(2026, 6, 1):
        run = datetime(day.year, day.month, day.day, 1, 30, tzinfo=london).astimezone(UTC)
        if ask_due(session, now=run, spans=SPANS):
            asked_on = day
        if pause_unanswered(session, now=run, spans=SPANS):
            paused_on = day
        day += DAY
    # 90 days after 15 January 01:30 GMT is 15 April 02:30 summer time: that day's 01:30 run is
    # an hour short, the next day's asks.
    assert (asked_on, paused_on) == (date(2026, 4, 16), date(2026, 4, 30))
    assert asks(session) == 1


def test_an_address_whose_mail_is_used_up_this_hour_is_asked_on_a_later_run(session: Session) -> None:
    from services.listings.profile import email_key
    from services.mail import outbox

    quiet_since(session, 100)
    quiet_since(session, 100, email="other@example.org")
    for _ in range(5):  # five mails to it this hour already
        assert outbox.may_mail(session, address_key=email_key("quiet@example.org"), now=NOW)
    assert ask_due(session, now=NOW, spans=SPANS) == 1  # the other address only
    assert (asks(session), asks(session, "other@example.org")) == (0, 1)
    assert ask_due(session, now=NOW + timedelta(hours=1, seconds=1), spans=SPANS) == 1
    assert asks(session) == 1


def test_bringing_the_mail_forward_asks_a_listed_real_listing_once(session: Session) -> None:
    from services.listings.code_of_conduct import current_code
    from services.listings.freshness import ask_now
    from services.samples.mentors import insert_sample_mentors

    other = quiet_since(session, 10, email="other@example.org")
    assert ask_now(session, mentor_id=other.mentor_id, now=NOW) is True  # another listing, asked
    mine = quiet_since(session, 10)
    assert ask_now(session, mentor_id=mine.mentor_id, now=NOW) is True  # its own ask, not the other's
    assert ask_now(session, mentor_id=mine.mentor_id, now=NOW + DAY) is False  # asked already
    asked = mailed(session, "quiet@example.org", Kind.STILL_AVAILABLE)
    assert asked is not None and asked.mentor_id == mine.mentor_id and asks(session) == 1
    paused = quiet_since(session, 10, email="paused@example.org")
    owner.pause_listing(session, credential=paused.credential, now=NOW)
    assert ask_now(session, mentor_id=paused.mentor_id, now=NOW) is False
    insert_sample_mentors(session, count=1, code=current_code(), now=NOW - 10 * DAY)
    sample_id = session.scalar(select(Mentor.id).where(Mentor.is_sample.is_(True)))
    assert ask_now(session, mentor_id=sample_id, now=NOW) is False
    assert asks(session, "paused@example.org") == 0


def test_the_comeback_is_recorded_as_one_and_an_answer_after_a_take_down_changes_nothing(
    session: Session,
) -> None:
    from services.listings.freshness import CAME_BACK
    from services.reports.moderation import act_on_mentor
    from tests.factories import factory_moderator

    mine = quiet_since(session, 100)
    ask_due(session, now=NOW, spans=SPANS)
    pause_unanswered(session, now=NOW + 15 * DAY, spans=SPANS)
    back = mailed(session, "quiet@example.org", Kind.PAUSED_UNANSWERED)
    assert back is not None
    answer(session, token=back.values["token"], keep=True, now=NOW + 16 * DAY)
    event = session.scalars(select(ListingEvent).where(ListingEvent.mentor_id == mine.mentor_id)
                            .order_by(ListingEvent.id.desc())).first()  # fmt: skip
    assert event is not None and (event.kind, event.reason) == ("resumed", CAME_BACK)
    gone = quiet_since(session, 100, email="gone@example.org")
    ask_due(session, now=NOW + 16 * DAY, spans=SPANS)
    mail = mailed(session, "gone@example.org", Kind.STILL_AVAILABLE)
    act_on_mentor(session, mentor_id=gone.mentor_id, expected_version=None, action=A.REMOVE,
                  moderator=factory_moderator(session), now=NOW + 17 * DAY, reason="Test", clause=CodeClause.HARASSMENT)  # fmt: skip
    assert mail is not None
    assert answer(session, token=mail.values["token"], keep=True, now=NOW + 18 * DAY) is ListingStatus.REMOVED


def test_yes_lists_again_only_when_the_latest_pause_was_the_clocks(session: Session) -> None:
    from services.listings.code_of_conduct import current_code
    from services.listings.signing import SignatureInput, resume_listing

    someone = quiet_since(session, 100, email="someone@example.org")  # paused by the clock
    mine = quiet_since(session, 100)
    ask_due(session, now=NOW, spans=SPANS)
    pause_unanswered(session, now=NOW + 15 * DAY, spans=SPANS)  # both paused for no answer
    name = session.get_one(Mentor, mine.mentor_id).full_name
    resume_listing(session, credential=mine.credential, code=current_code(), now=NOW + 16 * DAY,
                   signature=SignatureInput(agreed=True, typed_name=name))  # fmt: skip
    owner.pause_listing(session, credential=mine.credential, now=NOW + 17 * DAY)  # then their own pause
    ask = mailed(session, "quiet@example.org", Kind.PAUSED_UNANSWERED)
    assert ask is not None and status(session, someone.mentor_id) == "paused"
    assert answer(session, token=ask.values["token"], keep=True, now=NOW + 18 * DAY) is ListingStatus.PAUSED


def test_yes_lists_again_after_a_pause_for_no_answer_whatever_happened_since(session: Session) -> None:
    mine = quiet_since(session, 100)
    owner.set_availability(session, credential=mine.credential, open_to_new_mentees=True,
                           availability_note="Slower replies", note_until=(NOW + 20 * DAY).date(),
                           now=NOW - 91 * DAY + timedelta(minutes=1))  # fmt: skip
    ask_due(session, now=NOW, spans=SPANS)
    pause_unanswered(session, now=NOW + 15 * DAY, spans=SPANS)
    from services.listings.away import end_due

    assert end_due(session, now=NOW + 20 * DAY) == (0, 1)  # the note ends while paused: an event
    back = mailed(session, "quiet@example.org", Kind.PAUSED_UNANSWERED)
    assert back is not None
    assert answer(session, token=back.values["token"], keep=True, now=NOW + 21 * DAY) is ListingStatus.LISTED


def test_batches_ask_the_longest_quiet_first_and_together_ask_each_due_listing_once(
    session: Session,
) -> None:
    from services.listings.freshness import ask_batch

    for days in (95, 130, 100, 120, 91):
        quiet_since(session, days, email=f"quiet{days}@example.org")
    first, cursor = ask_batch(session, now=NOW, spans=SPANS, size=2)
    assert first == 2 and cursor is not None
    assert (asks(session, "quiet130@example.org"), asks(session, "quiet120@example.org")) == (1, 1)
    assert asks(session, "quiet91@example.org") == 0
    second, cursor = ask_batch(session, now=NOW, spans=SPANS, size=2, after=cursor)
    third, cursor = ask_batch(session, now=NOW, spans=SPANS, size=2, after=cursor)
    assert (second, third, cursor) == (2, 1, None)
    sent = session.scalars(select(OutboxMail).where(OutboxMail.kind == Kind.STILL_AVAILABLE.value)).all()
    assert sorted(m.recipient for m in sent) == sorted(f"quiet{d}@example.org" for d in (95, 130, 100, 120, 91))
    assert {m.next_try_at for m in sent} == {NOW}  # due at once: the relay sends them
