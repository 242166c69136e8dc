"""The console's searches (the report queue's mentor box, the mentors roster) take anything typed."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from services.reports.case_files import QueueFilter, mentor_roster, report_queue
from services.reports.intake import ReportInput, file_report
from tests.conftest import NOW
from tests.factories import sign_up


def reported(session: Session, mentor_id: int | None, named_person: str = "") -> None:
    report = ReportInput(mentor_id=mentor_id, named_person=named_person, category="other",
                         description="Something happened.", reporter_role="mentee")  # fmt: skip
    file_report(session, report=report, client_key="c", now=NOW)


@pytest.mark.parametrize(
    ("typed", "found"),
    [("Love\x00lace", ["Ada Lovelace"]), ("\x00lovelace\x00", ["Ada Lovelace"]),
     ("Some\x00one", ["Someone Unlisted"]), ("\x00", ["Ada Lovelace", "Someone Unlisted"]),
     ("\u200bLove\u202elace", ["Ada Lovelace"])],
    ids=["inside", "around", "named person", "alone", "invisible"],
)  # fmt: skip
def test_the_queue_searches_a_name_as_if_control_characters_were_not_there(
    session: Session, typed: str, found: list[str]
) -> None:
    reported(session, sign_up(session, full_name="Ada Lovelace").mentor_id)
    reported(session, None, named_person="Someone Unlisted")
    queue = report_queue(session, queue_filter=QueueFilter(mentor=typed))
    assert sorted(queue["mentor"]) == found


@pytest.mark.parametrize("typed", ["Love\x00lace", "\x00love\x00lace\x00", "\x00\u200b"])
def test_the_roster_searches_a_name_as_if_control_characters_were_not_there(
    session: Session, typed: str
) -> None:
    ada = sign_up(session, full_name="Ada Lovelace").mentor_id
    other = sign_up(session, full_name="Bo Diddley").mentor_id
    expected = [ada] if "lace" in typed else [other, ada]
    assert list(mentor_roster(session, name=typed)["id"]) == expected
