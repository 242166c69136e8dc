"""Reads shared out to several workers see one moment of the database, so figures never disagree."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import Mentor
from services.core.snapshot import read_all
from tests.factories import make_mentor


def test_a_sign_up_committed_between_two_reads_shows_in_neither(
    writer: sessionmaker[Session],
) -> None:
    with writer.begin() as session:
        make_mentor(session, email="first@example.com", linkedin_url="https://www.linkedin.com/in/first-one")
    first_done = threading.Event()

    def count(session: Session) -> int:
        return int(session.scalar(select(func.count()).select_from(Mentor)) or 0)

    def count_then_sign_up(session: Session) -> int:
        seen = count(session)
        with writer.begin() as other:  # someone signs up while the page is still reading
            make_mentor(other, email="second@example.com",
                        linkedin_url="https://www.linkedin.com/in/second-one")  # fmt: skip
        first_done.set()
        return seen

    def count_after(session: Session) -> int:
        assert first_done.wait(10)
        return count(session)

    with writer() as session:
        got = read_all(session, {"before": count_then_sign_up, "after": count_after}, workers=2)
    assert got == {"before": 1, "after": 1}
    with writer() as session:  # the sign-up itself was kept, and the next page view shows it
        assert read_all(session, {"now": count, "again": count}, workers=2) == {"now": 2, "again": 2}


def test_one_worker_reads_on_the_callers_own_session(session: Session) -> None:
    make_mentor(session)  # not committed: only the caller's own transaction sees it
    got = read_all(session, {"n": lambda s: s.scalar(select(func.count()).select_from(Mentor))},
                   workers=1)  # fmt: skip
    assert got == {"n": 1}
