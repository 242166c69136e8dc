"""Two people at once, on two connections, on SQLite and PostgreSQL: one wins, the other is told.

Each round starts both attempts together (a barrier), with the versions both read before either
acted, the way two moderators looking at the same page would. Never a database error, never a
deadlock; the loser's attempt is in the audit log too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEvent, Mentor, Report
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.audit import audit_log
from services.core.refusals import ChangedMeanwhile, Refusal
from services.core.vocabulary import CodeClause, ListingStatus, ReportStatus
from services.listings.confirmation import confirm_sign_up
from services.listings.listing_lifecycle import ListingAction
from services.reports import appeals
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_mentor, act_on_report
from services.reports.report_lifecycle import ReportAction
from tests.conftest import NOW
from tests.factories import mailed, make_profile, sign_up, submit_sign_up

ROUNDS = 8


def race(writer: sessionmaker[Session], *attempts: Callable[[Session], Any]) -> list[str]:
    """Run the attempts at the same moment, each in its own transaction, as the edge would."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = [""] * len(attempts)

    def attempt(index: int, use_case: Callable[[Session], Any]) -> None:
        barrier.wait()
        try:
            with writer.begin() as session:
                use_case(session)
            outcomes[index] = "won"
        except ChangedMeanwhile as refusal:
            outcomes[index] = "told"
            if refusal.attempt:
                with writer.begin() as session:
                    audit_log.record_attempt(session, attempt=refusal.attempt, now=NOW)
        except Refusal as refusal:
            outcomes[index] = f"refused: {refusal.message}"
        except Exception as error:  # noqa: BLE001 - any other outcome is what this test looks for
            outcomes[index] = f"error: {type(error).__name__}: {error}"

    threads = [threading.Thread(target=attempt, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _case(writer: sessionmaker[Session]) -> tuple[ModeratorIdentity, ModeratorIdentity, int, int]:
    with writer.begin() as session:
        alice = add_moderator(session, username="alice", password="correct horse battery", now=NOW)
        bob = add_moderator(session, username="bob", password="another long password", now=NOW)
        mentor_id = sign_up(session).mentor_id
        file_report(session, client_key="k", now=NOW, report=ReportInput(
            mentor_id=mentor_id, category="asking_for_payment", description="Asked for money.",
            reporter_role="mentee"))  # fmt: skip
        report_id = session.scalar(select(func.max(Report.id))) or 0
    return alice, bob, mentor_id, report_id


def test_remove_and_resolve_against_dismiss_on_the_same_report_one_wins_every_round(
    writer: sessionmaker[Session],
) -> None:
    alice, bob, mentor_id, report_id = _case(writer)
    for round_ in range(ROUNDS):
        with writer() as session:
            mentor_version = session.get(Mentor, mentor_id).version  # type: ignore[union-attr]
            report_version = session.get(Report, report_id).version  # type: ignore[union-attr]
        outcomes = race(
            writer,
            partial(act_on_mentor, mentor_id=mentor_id, expected_version=mentor_version,
                    action=ListingAction.REMOVE, moderator=alice, reason="Payment",
                    report_id=report_id, expected_report_version=report_version, now=NOW),
            partial(act_on_report, report_id=report_id, expected_version=report_version,
                    action=ReportAction.DISMISS, moderator=bob, now=NOW),
        )  # fmt: skip
        assert sorted(outcomes) == ["told", "won"], f"round {round_}: {outcomes}"
        with writer() as session:
            mentor, report = session.get(Mentor, mentor_id), session.get(Report, report_id)
            assert mentor is not None and report is not None
            if outcomes[0] == "won":  # removed and resolved together
                assert (mentor.status, report.status) == ("removed", "resolved_action")
            else:  # dismissed, and the mentor untouched
                assert (mentor.status, report.status) == ("listed", "dismissed")
            refused = session.scalar(select(func.count()).select_from(AuditEvent)
                                     .where(AuditEvent.action == "attempt_refused"))  # fmt: skip
            assert refused == round_ + 1
        _reset(writer, alice, mentor_id, report_id)


def _reset(writer: sessionmaker[Session], moderator: ModeratorIdentity, mentor_id: int, report_id: int) -> None:
    """Put the case back through the doors: the mentor listed, the report open again."""
    with writer.begin() as session:
        if session.get(Mentor, mentor_id).status == ListingStatus.REMOVED.value:  # type: ignore[union-attr]
            act_on_mentor(session, mentor_id=mentor_id, expected_version=None, now=NOW,
                          action=ListingAction.RESTORE, moderator=moderator, reason="Next round", clause=CodeClause.HARASSMENT)  # fmt: skip
        if session.get(Report, report_id).status != ReportStatus.IN_REVIEW.value:  # type: ignore[union-attr]
            act_on_report(session, report_id=report_id, expected_version=None,
                          action=ReportAction.REOPEN, moderator=moderator, now=NOW)  # fmt: skip


def test_two_moderators_acting_on_the_same_mentor_one_wins_and_the_other_is_told(
    writer: sessionmaker[Session],
) -> None:
    alice, bob, mentor_id, _ = _case(writer)
    for round_ in range(ROUNDS):
        with writer() as session:
            version = session.get(Mentor, mentor_id).version  # type: ignore[union-attr]
        outcomes = race(writer, *(
            partial(act_on_mentor, mentor_id=mentor_id, expected_version=version, action=action,
                    moderator=who, reason="Seen at once", now=NOW, clause=CodeClause.HARASSMENT)
            for who, action in ((alice, ListingAction.REMOVE), (bob, ListingAction.BAN))
        ))  # fmt: skip
        assert sorted(outcomes) == ["told", "won"], f"round {round_}: {outcomes}"
        with writer.begin() as session:
            act_on_mentor(session, mentor_id=mentor_id, expected_version=None, now=NOW,
                          action=ListingAction.RESTORE, moderator=alice, reason="Next round", clause=CodeClause.HARASSMENT)  # fmt: skip


def test_the_same_sign_up_submitted_at_once_makes_one_listing_and_one_answer(
    writer: sessionmaker[Session],
) -> None:
    profile = make_profile(email="twice@example.org")
    outcomes = race(writer, *(lambda s: submit_sign_up(s, profile) for _ in range(6)))
    assert outcomes == ["won"] * 6  # the same answer for each
    with writer() as session:
        assert session.scalar(select(func.count()).select_from(Mentor)) == 1
        mail = mailed(session, "twice@example.org")
        assert mail is not None  # the newest link works; earlier ones were replaced
        confirmed = confirm_sign_up(session, token=mail.values["token"], now=NOW)
        assert confirmed.mentor_id == session.scalar(select(Mentor.id))


def test_two_moderators_deciding_one_appeal_make_one_decision(writer: sessionmaker[Session]) -> None:
    with writer.begin() as session:
        alice = add_moderator(session, username="alice", password="correct horse battery", now=NOW)
        bob = add_moderator(session, username="bob", password="another long password", now=NOW)
        cleo = add_moderator(session, username="cleo", password="a third long password", now=NOW)
    for round_ in range(ROUNDS // 2):
        with writer.begin() as session:
            mentor = sign_up(session)
            event_id = act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None,
                                     action=ListingAction.REMOVE, moderator=alice, reason="Ghosting",
                                     now=NOW, clause=CodeClause.RESPONSIVE).event_id  # fmt: skip
            reference = appeals.file_appeal(session, credential=mentor.credential, event_id=event_id,
                                            text="I did reply.", now=NOW)  # fmt: skip
            report = session.scalars(select(Report).where(Report.reference == reference)).one()
            report_id, version = report.id, report.version
        outcomes = race(writer, *(
            partial(appeals.decide_appeal, report_id=report_id, expected_version=version,
                    action=action, moderator=who, now=NOW)
            for who, action in ((bob, ReportAction.UPHOLD_APPEAL), (cleo, ReportAction.REJECT_APPEAL))
        ))  # fmt: skip
        assert sorted(outcomes) == ["told", "won"], f"round {round_}: {outcomes}"
        with writer() as session:
            status = session.scalar(select(Report.status).where(Report.id == report_id))
            listing = session.scalar(select(Mentor.status).where(Mentor.id == mentor.mentor_id))
            decided = session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.report_id == report_id,
                AuditEvent.action.in_(("report.appeal_upheld", "report.appeal_rejected"))))  # fmt: skip
        assert decided == 1
        assert (status, listing) in {("resolved_action", "listed"), ("resolved_no_action", "removed")}
