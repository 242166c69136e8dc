"""'No reply?' signals: anonymous, once per address per listing per 30 days, a few a day per
address, never public; three addresses within 60 days bring the still-available mail forward."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Mentor, NoReplySignal, OutboxMail
from services.accounts.throttle import Throttled
from services.core.vocabulary import ListingStatus
from services.listings import no_reply
from services.mail.templates import Kind
from tests.conftest import NOW
from tests.factories import mailed, make_mentor, sign_up

DAY = timedelta(days=1)


def signals(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(NoReplySignal)) or 0


def test_three_addresses_within_60_days_bring_the_mail_forward_and_nothing_shows(session: Session) -> None:
    mine = sign_up(session, email="busy@example.org", now=NOW - 20 * DAY)
    before = session.get_one(Mentor, mine.mentor_id).version
    for n, day in enumerate((0, 10, 50)):
        no_reply.signal(session, mentor_id=mine.mentor_id, client_key=f"198.51.100.{n}", now=NOW + day * DAY)
    asked = mailed(session, "busy@example.org", Kind.STILL_AVAILABLE)
    assert asked is not None and asked.created_at == NOW + 50 * DAY
    mentor = session.get_one(Mentor, mine.mentor_id)
    assert (mentor.status, mentor.version) == ("listed", before)  # nothing public changes
    stored = session.scalars(select(NoReplySignal.sender_key)).all()
    assert all("198.51.100" not in key and len(key) == 64 for key in stored)  # no address kept


def test_a_crowd_of_addresses_at_one_mentor_brings_one_mail_forward_and_no_more(session: Session) -> None:
    mine = sign_up(session, email="busy@example.org", now=NOW - 20 * DAY)
    for n in range(40):
        no_reply.signal(session, mentor_id=mine.mentor_id, client_key=f"198.51.100.{n}", now=NOW + n * DAY / 10)
    asks = session.scalars(select(OutboxMail).where(OutboxMail.kind == Kind.STILL_AVAILABLE.value)).all()
    assert len(asks) == 1  # asked once since the mentor last confirmed, however many signal
    assert session.get_one(Mentor, mine.mentor_id).status == "listed"  # never a penalty


def test_signals_spread_over_more_than_60_days_bring_nothing_forward(session: Session) -> None:
    mine = sign_up(session, email="busy@example.org", now=NOW - 20 * DAY)
    for n, day in enumerate((0, 40, 80)):
        no_reply.signal(session, mentor_id=mine.mentor_id, client_key=f"198.51.100.{n}", now=NOW + day * DAY)
    assert mailed(session, "busy@example.org", Kind.STILL_AVAILABLE) is None


def test_one_address_counts_once_per_listing_however_often_it_clicks(session: Session) -> None:
    mine = sign_up(session, email="busy@example.org", now=NOW - 20 * DAY)
    for minute in range(50):
        no_reply.signal(session, mentor_id=mine.mentor_id, client_key="198.51.100.7", now=NOW + minute * DAY / 100)
    assert signals(session) == 1
    no_reply.signal(session, mentor_id=mine.mentor_id, client_key="198.51.100.7", now=NOW + 31 * DAY)
    assert signals(session) == 2  # a month later it counts again
    assert mailed(session, "busy@example.org", Kind.STILL_AVAILABLE) is None  # still one address


def test_one_address_can_flag_only_a_few_listings_a_day(session: Session) -> None:
    ids = [make_mentor(session) for _ in range(no_reply.PER_CLIENT.allowed + 1)]
    for mentor_id in ids[:-1]:
        no_reply.signal(session, mentor_id=mentor_id, client_key="203.0.113.9", now=NOW)
    with pytest.raises(Throttled):
        no_reply.signal(session, mentor_id=ids[-1], client_key="203.0.113.9", now=NOW)
    assert signals(session) == no_reply.PER_CLIENT.allowed


@pytest.mark.parametrize("state", [ListingStatus.PAUSED, ListingStatus.REMOVED, ListingStatus.UNCONFIRMED])
def test_a_listing_not_in_the_directory_takes_no_signal(session: Session, state: ListingStatus) -> None:
    mentor_id = make_mentor(session, status=state)
    no_reply.signal(session, mentor_id=mentor_id, client_key="198.51.100.1", now=NOW)
    no_reply.signal(session, mentor_id=10**6, client_key="198.51.100.1", now=NOW)  # none such
    assert signals(session) == 0


def test_a_signal_loses_its_key_after_60_days_and_is_gone_after_13_months(session: Session) -> None:
    mine = sign_up(session, email="busy@example.org")
    no_reply.signal(session, mentor_id=mine.mentor_id, client_key="a", now=NOW)
    no_reply.signal(session, mentor_id=mine.mentor_id, client_key="b", now=NOW + 30 * DAY)
    assert no_reply.forget_old(session, now=NOW + 60 * DAY) == 1
    assert no_reply.forget_old(session, now=NOW + 60 * DAY) == 0  # a run twice does it once
    assert no_reply.recent_senders(session, mentor_id=mine.mentor_id, now=NOW + 60 * DAY) == 1
    keys = sorted(session.scalars(select(NoReplySignal.sender_key)))
    assert keys[0] == "" and len(keys) == 2  # still counted in the trends, by nobody
    # "a" again, 70 days on (once per 30 days): counted among the last 60 days' senders
    no_reply.signal(session, mentor_id=mine.mentor_id, client_key="a", now=NOW + 70 * DAY)
    assert no_reply.recent_senders(session, mentor_id=mine.mentor_id, now=NOW + 70 * DAY) == 2
    no_reply.forget_old(session, now=NOW + 397 * DAY)
    assert signals(session) == 2  # the first is gone; the others are younger than 13 months


def test_moderators_see_how_many_addresses_signalled_on_the_mentors_file(session: Session) -> None:
    from models.base import utcnow
    from services.reports.case_files import mentor_view

    mine = sign_up(session)
    for key in ("a", "b", "b"):
        no_reply.signal(session, mentor_id=mine.mentor_id, client_key=key, now=utcnow())
    view = mentor_view(session, mentor_id=mine.mentor_id)
    assert view is not None and view.no_reply_senders == 2
