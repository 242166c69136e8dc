"""Conflicts of interest: a moderator's declared conflict with a mentor, and a reporter keeping
named moderators off their case. For that moderator the case (and the mentor) is absent from
every console query (queue, counts, report, roster, mentor file, audit log, CSV export), filtered
in SQL, and every action on it is refused as if it did not exist; the others see it as before."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ModeratorConflict, Report, ReportExclusion
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.audit.history import audit_log
from services.core.refusals import InvalidSubmission, NotAllowedNow
from services.core.vocabulary import CodeClause
from services.listings.listing_lifecycle import ListingAction
from services.mail import outbox
from services.mail.templates import Frame
from services.reports import appeals, conflicts
from services.reports.case_files import (
    QueueFilter,
    mentor_roster,
    mentor_view,
    queue_counts,
    report_queue,
    report_view,
)
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import (
    act_on_mentor,
    act_on_report,
    add_note,
    assign_report,
)
from services.reports.report_lifecycle import ReportAction
from services.trends.report_export import reports_in_range
from tests.conftest import NOW
from tests.factories import sign_up

R = ReportAction
ALL = QueueFilter(statuses=())


@pytest.fixture
def team(session: Session) -> dict[str, ModeratorIdentity]:
    made = {name: add_moderator(session, username=name, password="correct horse battery", now=NOW)
            for name in ("alice", "bob", "cleo")}  # fmt: skip
    for name in made:
        conflicts.set_display_name(session, username=name, display_name=f"{name.title()} M.")
    return made


def filed(session: Session, mentor_id: int, *, excluded: tuple[int, ...] = ()) -> tuple[int, str]:
    receipt = file_report(session, client_key="me", now=NOW, report=ReportInput(
        mentor_id=mentor_id, category="not_responsive", description="No reply in weeks.",
        reporter_role="mentee", excluded_moderators=excluded))  # fmt: skip
    return session.scalars(select(Report.id).where(Report.reference == receipt.reference)).one(), receipt.reference


def everything_seen(session: Session, viewer: int, *, report_id: int, reference: str, mentor_id: int,
                    name: str) -> dict[str, bool]:  # fmt: skip
    """Whether each console query shows the case (or the mentor) to `viewer`."""
    day = NOW.date()
    return {
        "queue": reference in set(report_queue(session, queue_filter=ALL, viewer=viewer)["reference"]),
        "counts": sum(queue_counts(session, viewer=viewer).values()) > 0,
        "report": report_view(session, report_id=report_id, viewer=viewer) is not None,
        "roster": name in set(mentor_roster(session, viewer=viewer)["full_name"]),
        "mentor file": mentor_view(session, mentor_id=mentor_id, viewer=viewer) is not None,
        "audit": reference in set(audit_log(session, viewer=viewer)["report"]),
        "export": reference in set(reports_in_range(session, start=day - timedelta(days=1), end=day,
                                                    tz=ZoneInfo("UTC"), viewer=viewer)["reference"]),
    }  # fmt: skip


def test_a_declared_conflict_hides_the_mentor_and_their_cases_from_every_query_of_that_moderator(
    session: Session, team: dict[str, ModeratorIdentity]
) -> None:
    mentor = sign_up(session, full_name="Connie Conflict")
    report_id, reference = filed(session, mentor.mentor_id)
    where = {"report_id": report_id, "reference": reference, "mentor_id": mentor.mentor_id, "name": "Connie Conflict"}
    assert all(everything_seen(session, team["alice"].id, **where).values())
    conflicts.declare_conflict(session, mentor_id=mentor.mentor_id, moderator=team["alice"], now=NOW)
    assert not any(everything_seen(session, team["alice"].id, **where).values())
    assert all(everything_seen(session, team["bob"].id, **where).values())
    assert all(everything_seen(session, None, **where).values())  # commands and tests see all
    declared = audit_log(session, viewer=team["bob"].id)
    assert "Conflict of interest declared" in set(declared["what"])
    conflicts.declare_conflict(session, mentor_id=mentor.mentor_id, moderator=team["alice"], now=NOW)  # twice: once
    assert len(session.scalars(select(ModeratorConflict)).all()) == 1


def test_a_reporter_keeps_a_moderator_off_the_case_and_only_that_case(
    session: Session, team: dict[str, ModeratorIdentity]
) -> None:
    mentor = sign_up(session, full_name="Rae Reported")
    kept_off, reference = filed(session, mentor.mentor_id, excluded=(team["bob"].id,))
    other, _ = filed(session, mentor.mentor_id)
    where = {"report_id": kept_off, "reference": reference, "mentor_id": mentor.mentor_id, "name": "Rae Reported"}
    seen = everything_seen(session, team["bob"].id, **where)
    assert not (seen["queue"] or seen["report"] or seen["audit"] or seen["export"])
    assert seen["roster"] and seen["mentor file"]  # the mentor is not hidden: only this case
    counted = mentor_roster(session, viewer=team["bob"].id, reported_only=True)
    assert counted.set_index("full_name")["reports"]["Rae Reported"] == 1  # not 2: nothing tells of it
    assert report_view(session, report_id=other, viewer=team["bob"].id) is not None
    assert all(everything_seen(session, team["alice"].id, **where).values())
    shown = report_view(session, report_id=other, viewer=team["bob"].id)
    assert shown is not None and reference not in set(shown.other_reports["reference"])
    assert bob_id_not_assignable(session, kept_off, team)


def bob_id_not_assignable(session: Session, report_id: int, team: dict[str, ModeratorIdentity]) -> bool:
    return conflicts.may_handle(session, report_id=report_id) == {team["alice"].id, team["cleo"].id}


@pytest.mark.parametrize("action", ["review", "note", "assign", "remove", "appeal"])
def test_every_action_on_a_hidden_case_is_refused_as_if_it_did_not_exist(
    session: Session, team: dict[str, ModeratorIdentity], action: str
) -> None:
    mentor = sign_up(session)
    report_id, _ = filed(session, mentor.mentor_id, excluded=(team["bob"].id,))
    bob = team["bob"]
    attempts = {
        "review": lambda: act_on_report(session, report_id=report_id, expected_version=None,
                                        action=R.START_REVIEW, moderator=bob, now=NOW),
        "note": lambda: add_note(session, report_id=report_id, body="Seen.", moderator=bob, now=NOW),
        "assign": lambda: assign_report(session, report_id=report_id, expected_version=None,
                                        assignee=bob, moderator=bob, now=NOW),
        "remove": lambda: act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None,
                                        action=ListingAction.REMOVE, moderator=bob, reason="x",
                                        now=NOW, report_id=report_id),
        "appeal": lambda: appeals.decide_appeal(session, report_id=report_id, expected_version=None,
                                                action=R.UPHOLD_APPEAL, moderator=bob, now=NOW),
    }  # fmt: skip
    with pytest.raises(NotAllowedNow) as refused:
        attempts[action]()
    assert refused.value.message == conflicts.GONE
    assert session.get_one(Report, report_id).status == "new"


def test_a_moderator_with_a_conflict_cannot_act_on_the_mentor_from_the_roster_and_cannot_be_assigned(
    session: Session, team: dict[str, ModeratorIdentity]
) -> None:
    mentor = sign_up(session)
    report_id, _ = filed(session, mentor.mentor_id)
    conflicts.declare_conflict(session, mentor_id=mentor.mentor_id, moderator=team["cleo"], now=NOW)
    with pytest.raises(NotAllowedNow, match="isn't open to you"):
        act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None, now=NOW,
                      action=ListingAction.WARN, moderator=team["cleo"], reason="x", clause=CodeClause.RESPONSIVE)  # fmt: skip
    with pytest.raises(NotAllowedNow, match="can't take this case"):
        assign_report(session, report_id=report_id, expected_version=None, assignee=team["cleo"],
                      moderator=team["alice"], now=NOW)  # fmt: skip
    assign_report(session, report_id=report_id, expected_version=None, assignee=team["bob"],
                  moderator=team["alice"], now=NOW)  # fmt: skip


def test_the_report_form_offers_display_names_never_usernames_and_someone_must_remain(
    session: Session, team: dict[str, ModeratorIdentity]
) -> None:
    offered = conflicts.excludable(session)
    assert set(offered.values()) == {"Alice M.", "Bob M.", "Cleo M."}
    assert not {"alice", "bob", "cleo"} & set(offered.values())
    mentor = sign_up(session)
    with pytest.raises(InvalidSubmission) as refused:
        filed(session, mentor.mentor_id, excluded=tuple(m.id for m in team.values()))
    assert "At least one moderator" in refused.value.errors["excluded_moderators"]
    with pytest.raises(InvalidSubmission) as refused:
        filed(session, mentor.mentor_id, excluded=(99_999,))
    assert refused.value.errors["excluded_moderators"] == "Please choose from the moderators listed."
    assert session.scalars(select(ReportExclusion)).all() == []
    conflicts.set_display_name(session, username="cleo", display_name="")
    assert "Cleo M." not in conflicts.excludable(session).values()


def test_with_one_moderator_nobody_can_be_kept_off(session: Session) -> None:
    add_moderator(session, username="solo", password="correct horse battery", now=NOW)
    conflicts.set_display_name(session, username="solo", display_name="Solo")
    assert conflicts.excludable(session) == {}


def test_the_export_of_a_moderator_leaves_out_hidden_cases_only(
    session: Session, team: dict[str, ModeratorIdentity]
) -> None:
    mentor = sign_up(session)
    _, hidden = filed(session, mentor.mentor_id, excluded=(team["alice"].id,))
    _, shown = filed(session, mentor.mentor_id)
    frame = reports_in_range(session, start=date(2026, 1, 1), end=NOW.date(), tz=ZoneInfo("UTC"),
                             viewer=team["alice"].id)  # fmt: skip
    assert set(frame["reference"]) == {shown} and hidden not in set(frame["reference"])


def test_the_mail_console_hides_the_mails_of_a_hidden_case_and_mentor(
    session: Session, team: dict[str, ModeratorIdentity]
) -> None:
    mentor = sign_up(session, email="kin@example.org")
    receipt = file_report(session, client_key="r", now=NOW, report=ReportInput(
        mentor_id=mentor.mentor_id, category="not_responsive", description="x", reporter_role="mentee",
        reporter_email="rita@example.org", excluded_moderators=(team["bob"].id,)))  # fmt: skip
    report_id = session.scalars(select(Report.id).where(Report.reference == receipt.reference)).one()
    act_on_report(session, report_id=report_id, expected_version=None, action=R.ACKNOWLEDGE,
                  moderator=team["alice"], now=NOW)  # mails the reporter  # fmt: skip
    frame = Frame(site_url="https://example.org", sender="noreply@example.org")

    def recipients(viewer: int) -> set[str]:
        return {c.recipient for c in outbox.recent_copies(session, frame=frame, viewer=viewer)}

    assert {"rita@example.org", "kin@example.org"} <= recipients(team["alice"].id)
    assert "rita@example.org" not in recipients(team["bob"].id)  # the reporter kept bob off
    conflicts.declare_conflict(session, mentor_id=mentor.mentor_id, moderator=team["cleo"], now=NOW)
    assert "kin@example.org" not in recipients(team["cleo"].id)
    assert "rita@example.org" not in recipients(team["cleo"].id)  # a case about that mentor
