"""What a mentor's own page offers them, and what it becomes after they use it.

Keep this file first in tests/services (by name): the transition tables are built when the
lifecycles are imported, and mutmut counts what runs at import time as part of the first test it
runs, so only that test stands between a broken `transitions.transition` and a survivor.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ListingEvent, Mentor
from services.core.vocabulary import ListingStatus
from services.listings.listing_lifecycle import ListingAction as A
from services.listings.owner import own_listing, pause_listing
from tests.conftest import NOW
from tests.factories import sign_up


def test_a_new_mentor_is_listed_may_pause_and_is_then_offered_resume(session: Session) -> None:
    signed = sign_up(session)
    page = own_listing(session, credential=signed.credential)
    assert page.status is ListingStatus.LISTED
    assert page.actions == (A.PAUSE, A.EDIT, A.CHANGE_AVAILABILITY, A.CONFIRM_AVAILABLE, A.DELETE)

    pause_listing(session, credential=signed.credential, now=NOW + timedelta(minutes=1))
    page = own_listing(session, credential=signed.credential)
    assert page.status is ListingStatus.PAUSED
    assert page.actions == (A.RESUME, A.EDIT, A.CHANGE_AVAILABILITY, A.CONFIRM_AVAILABLE, A.DELETE)
    mentor = session.get(Mentor, signed.mentor_id)
    assert mentor is not None and mentor.status == "paused"
    events = session.execute(
        select(ListingEvent.kind, ListingEvent.from_status, ListingEvent.to_status)
        .where(ListingEvent.mentor_id == signed.mentor_id).order_by(ListingEvent.id)
    ).all()  # fmt: skip
    assert [tuple(e) for e in events] == [
        ("signed_up", None, "unconfirmed"),
        ("confirmed", "unconfirmed", "listed"),
        ("paused", "listed", "paused"),
    ]
