"""Reporters hear back: the case code, Follow my report, and the mails at acknowledgement and at
the decision; never the sanction, never another reporter; wrong codes slowed down per address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import OutboxMail, Report
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.core.refusals import InvalidSubmission, Throttled
from services.listings.listing_lifecycle import ListingAction
from services.mail.templates import Frame, Kind, render
from services.reports import follow_up
from services.reports.case_files import QueueFilter, report_queue
from services.reports.follow_up import CaseState
from services.reports.intake import ReportInput, file_report, request_removal
from services.reports.moderation import act_on_mentor, act_on_report, add_note
from services.reports.report_lifecycle import ReportAction
from tests.conftest import NOW
from tests.factories import sign_up

R = ReportAction
DAY = timedelta(days=1)
FRAME = Frame(site_url="https://mentors.example.org", sender="noreply@example.org")


@pytest.fixture
def alice(session: Session) -> ModeratorIdentity:
    return add_moderator(session, username="alice", password="correct horse battery", now=NOW)


def filed(session: Session, *, email: str = "", mentor_id: int | None = None, when=NOW):  # noqa: ANN001, ANN201
    receipt = file_report(session, client_key="reporter", now=when, report=ReportInput(
        mentor_id=mentor_id, named_person="" if mentor_id else "Someone Else",
        category="asking_for_payment", description="Asked me for money.", reporter_role="mentee",
        reporter_email=email))  # fmt: skip
    report_id = session.scalar(select(Report.id).where(Report.reference == receipt.reference))
    return receipt, report_id


def follow(session: Session, reference: str, code: str, client: str = "me", now=NOW):  # noqa: ANN001, ANN201
    return follow_up.follow(session, reference=reference, case_code=code, client_key=client, now=now)


def mails(session: Session, email: str) -> list[OutboxMail]:
    return list(session.scalars(select(OutboxMail).where(OutboxMail.recipient == email).order_by(OutboxMail.id)))


def test_the_case_code_is_shown_once_and_kept_only_as_a_hash(session: Session) -> None:
    receipt, report_id = filed(session)
    assert len(receipt.case_code) == 14 and receipt.case_code.count("-") == 2
    stored = session.get_one(Report, report_id).case_code_hash
    assert stored and receipt.case_code not in stored
    view = follow(session, receipt.reference, receipt.case_code.lower().replace("-", " "))
    assert view is not None and view.state is CaseState.RECEIVED and view.outcome is None


def test_the_case_moves_through_plain_words_and_the_decision_carries_the_message_only(
    session: Session, alice: ModeratorIdentity
) -> None:
    receipt, report_id = filed(session)
    act_on_report(session, report_id=report_id, expected_version=None, action=R.ACKNOWLEDGE,
                  moderator=alice, now=NOW + DAY)  # fmt: skip
    assert follow(session, receipt.reference, receipt.case_code).state is CaseState.ACKNOWLEDGED
    act_on_report(session, report_id=report_id, expected_version=None, action=R.START_REVIEW,
                  moderator=alice, now=NOW + 2 * DAY)  # fmt: skip
    assert follow(session, receipt.reference, receipt.case_code).state is CaseState.BEING_LOOKED_AT
    act_on_report(session, report_id=report_id, expected_version=None, action=R.RESOLVE_WITHOUT_ACTION,
                  moderator=alice, now=NOW + 3 * DAY, reason="Internal: he apologised",
                  reporter_message="We spoke to the mentor.")  # fmt: skip
    view = follow(session, receipt.reference, receipt.case_code)
    assert (view.reference, view.received_on, view.state, view.outcome, view.message) == (
        receipt.reference, NOW.date(), CaseState.DECIDED, "no action needed", "We spoke to the mentor.")
    assert "apologised" not in repr(view)  # the moderators' reason stays theirs
    act_on_report(session, report_id=report_id, expected_version=None, action=R.REOPEN,
                  moderator=alice, now=NOW + 4 * DAY)  # fmt: skip
    reopened = follow(session, receipt.reference, receipt.case_code)
    assert (reopened.state, reopened.outcome, reopened.message) == (CaseState.BEING_LOOKED_AT, None, None)


def test_a_wrong_code_or_an_unknown_reference_get_the_same_answer_and_are_slowed_down(
    session: Session,
) -> None:
    receipt, _ = filed(session)
    assert follow(session, receipt.reference, "AAAA-BBBB-CCCC") is None
    assert follow(session, "WAN-NOSUCH", receipt.case_code) is None
    for _ in range(3):
        assert follow(session, "WAN-NOSUCH", "x" * 5000) is None  # long, odd input: just wrong
    with pytest.raises(Throttled):
        follow(session, receipt.reference, "AAAA-BBBB-CCCC")
    assert follow(session, receipt.reference, receipt.case_code, client="someone else") is not None


def test_a_reporter_with_an_address_hears_of_the_first_action_and_of_the_decision(
    session: Session, alice: ModeratorIdentity
) -> None:
    receipt, report_id = filed(session, email="ria@example.org")
    add_note(session, report_id=report_id, body="Looking into it", moderator=alice, now=NOW + DAY)
    act_on_report(session, report_id=report_id, expected_version=None, action=R.START_REVIEW,
                  moderator=alice, now=NOW + DAY)  # fmt: skip
    act_on_report(session, report_id=report_id, expected_version=None, action=R.DISMISS,
                  moderator=alice, now=NOW + 2 * DAY, reporter_message="")  # fmt: skip
    sent = mails(session, "ria@example.org")
    assert [m.kind for m in sent] == [Kind.REPORT_ACKNOWLEDGED.value, Kind.REPORT_DECIDED.value]
    assert [m.next_try_at for m in sent] == [NOW + DAY, NOW + 2 * DAY]  # due at once: the relay sends them
    assert sent[1].values == {"reference": receipt.reference, "outcome": "not enough to act on", "message": ""}
    subject, body = render(Kind.REPORT_DECIDED, sent[1].values, FRAME)
    assert receipt.reference in subject and "not enough to act on" in body
    assert "Someone Else" not in body and receipt.case_code not in body  # nobody's data, no code


def test_a_take_down_decides_every_open_report_and_tells_each_reporter_without_the_sanction(
    session: Session, alice: ModeratorIdentity
) -> None:
    mentor = sign_up(session, email="mentor@example.org").mentor_id
    _, first = filed(session, email="one@example.org", mentor_id=mentor)
    filed(session, email="two@example.org", mentor_id=mentor)
    act_on_mentor(session, mentor_id=mentor, expected_version=None, action=ListingAction.BAN,
                  moderator=alice, now=NOW + DAY, reason="Section 3", report_id=first)  # fmt: skip
    for email in ("one@example.org", "two@example.org"):
        [decided] = mails(session, email)  # the decision is also the first action: one mail
        assert decided.values["outcome"] == "action taken"
        assert "ban" not in render(Kind.REPORT_DECIDED, decided.values, FRAME)[1].lower()


def test_nobody_is_mailed_without_an_address_and_a_removal_request_gets_a_code_too(
    session: Session, alice: ModeratorIdentity
) -> None:
    receipt, report_id = filed(session)
    act_on_report(session, report_id=report_id, expected_version=None, action=R.ACKNOWLEDGE,
                  moderator=alice, now=NOW + DAY)  # fmt: skip
    assert session.scalars(select(OutboxMail)).all() == []
    request = request_removal(session, contact="gone@example.org", message="", client_key="m", now=NOW)
    assert follow(session, request.reference, request.case_code).state is CaseState.RECEIVED


def test_a_message_longer_than_allowed_is_refused_next_to_its_field(
    session: Session, alice: ModeratorIdentity
) -> None:
    _, report_id = filed(session)
    with pytest.raises(InvalidSubmission) as refused:
        act_on_report(session, report_id=report_id, expected_version=None, action=R.DISMISS,
                      moderator=alice, now=NOW, reporter_message="x" * (follow_up.MAX_MESSAGE + 1))  # fmt: skip
    assert set(refused.value.errors) == {"reporter_message"}
    assert session.get_one(Report, report_id).status == "new"


def test_the_queue_puts_unacknowledged_reports_first_with_their_time_left(
    session: Session, alice: ModeratorIdentity
) -> None:
    _, old_acknowledged = filed(session, when=NOW - 10 * DAY)
    act_on_report(session, report_id=old_acknowledged, expected_version=None, action=R.ACKNOWLEDGE,
                  moderator=alice, now=NOW - 9 * DAY)  # fmt: skip
    overdue, _ = filed(session, when=NOW - 8 * DAY)
    fresh, _ = filed(session, when=NOW - 2 * DAY)
    queue = report_queue(session, queue_filter=QueueFilter(), now=NOW)
    assert list(queue["reference"])[:2] == [overdue.reference, fresh.reference]
    assert list(queue["acknowledge"]) == ["overdue by 1 day", "5 days left", "acknowledged"]
