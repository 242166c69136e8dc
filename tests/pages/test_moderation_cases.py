"""A case in the console: what the confirmation says before a take-down, and what each case shows."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Moderator, Report
from services.accounts.auth import add_moderator
from services.core.transitions import Target, transition
from services.core.vocabulary import ActorKind, ReportStatus
from services.reports import report_lifecycle
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_report
from services.reports.report_lifecycle import ReportAction
from tests.conftest import NOW
from tests.factories import factory_moderator, sign_up
from tests.pages.conftest import DASHBOARD, unescape
from tests.pages.test_moderation import PASSWORD, reason_box, sign_in


def report(session: Session, mentor_id: int, n: int) -> None:
    file_report(session, client_key=f"t{n}", now=NOW, report=ReportInput(
        mentor_id=mentor_id, category="harassment", description=f"Report number {n}.",
        reporter_role="mentee"))  # fmt: skip


@pytest.fixture
def jane(app_db: sessionmaker[Session]) -> int:
    """A moderator, and Jane, reported three times."""
    with app_db.begin() as session:
        add_moderator(session, username="alice", password=PASSWORD, now=NOW)
        jane = sign_up(session, full_name="Jane Doe").mentor_id
        for n in range(3):
            report(session, jane, n)
    return jane


def console(page: str) -> AppTest:
    app = sign_in(AppTest.from_file(DASHBOARD, default_timeout=30).run())
    return app.switch_page(page).run()


def said(app: AppTest) -> list[str]:
    return [unescape(m.value) for m in app.markdown]


def test_the_ban_confirmation_says_how_many_other_reports_it_closes(
    jane: int, app_db: sessionmaker[Session]
) -> None:
    app = console("pages/moderation_queue.py")
    app = next(b for b in app.button if b.label == "Ban").click().run()
    closed_too = "2 other open reports about this mentor will be closed as well"
    assert any(text.startswith(closed_too) for text in said(app))
    reason_box(app).input("Harassed three mentees")
    app = next(b for b in app.button if b.label == "Confirm: ban").click().run()
    assert not app.exception
    with app_db() as session:
        assert set(session.scalars(select(Report.status))) == {"resolved_action"}


def test_from_the_roster_the_confirmation_counts_every_open_report(jane: int) -> None:
    app = console("pages/moderation_mentors.py")
    app.selectbox(key="roster_open").set_value(jane).run()
    app = next(b for b in app.button if b.label == "Remove").click().run()
    assert any(t.startswith("3 open reports about this mentor will be closed") for t in said(app))
    app = next(b for b in app.button if b.label == "Cancel").click().run()
    app = next(b for b in app.button if b.label == "Ban").click().run()
    assert any(t.startswith("3 open reports about this mentor will be closed") for t in said(app))


def open_report(app: AppTest, report_id: int) -> AppTest:
    app.multiselect(key="queue_status").set_value(list(ReportStatus)).run()
    return app.selectbox(key="open_report").set_value(report_id).run()


def assign_picker_shown(app: AppTest) -> bool:
    return any(box.label == "Assigned to" for box in app.selectbox)


def test_the_assign_picker_shows_where_the_report_table_allows_assigning(
    jane: int, app_db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with app_db.begin() as session:
        first, second, _ = session.scalars(select(Report.id).order_by(Report.id)).all()
        act_on_report(session, report_id=second, expected_version=None, action=ReportAction.DISMISS,
                      moderator=factory_moderator(session), now=NOW)  # fmt: skip
    app = console("pages/moderation_queue.py")
    assert assign_picker_shown(open_report(app, first))  # new: the table allows it
    assert not assign_picker_shown(open_report(app, second))  # dismissed: it doesn't
    # Whatever the table says, the page follows: here, assigning only dismissed reports.
    only_dismissed = transition([ReportStatus.DISMISSED], Target.STAY, ActorKind.MODERATOR)
    monkeypatch.setitem(report_lifecycle.TRANSITIONS, ReportAction.ASSIGN, only_dismissed)
    assert assign_picker_shown(open_report(app, second))
    assert not assign_picker_shown(open_report(app, first))


def assignee_shown(app: AppTest) -> object:
    return next(box for box in app.selectbox if box.label == "Assigned to").value


def test_a_case_opened_after_another_shows_its_own_values_not_the_previous_choices(
    jane: int, app_db: sessionmaker[Session]
) -> None:
    with app_db() as session:
        first, second, _ = session.scalars(select(Report.id).order_by(Report.id)).all()
        alice = session.scalars(select(Moderator.id)).one()
    app = open_report(console("pages/moderation_queue.py"), first)
    next(box for box in app.selectbox if box.label == "Assigned to").set_value(alice).run()
    next(box for box in app.text_area if box.label.startswith("Add a note")).input("About the first")
    app = next(b for b in app.button if b.label == "Ban").click().run()
    reason_box(app).input("Reason for the first").run()
    app = open_report(app, second)  # about the same mentor, assigned to nobody
    assert assignee_shown(app) is None
    assert next(box for box in app.text_area if box.label.startswith("Add a note")).value == ""
    assert [b.label for b in app.button if b.label in ("Ban", "Confirm: ban")] == ["Ban"]
    app = next(b for b in app.button if b.label == "Ban").click().run()
    assert reason_box(app).value == ""
    app = open_report(app, first)
    assert assignee_shown(app) is None  # choosing is not assigning: nothing was saved


def test_acknowledge_is_offered_until_a_moderator_acts_and_a_decision_carries_its_message(
    jane: int, app_db: sessionmaker[Session]
) -> None:
    with app_db() as session:
        first = session.scalars(select(Report.id).order_by(Report.id)).first()
    app = open_report(console("pages/moderation_queue.py"), first)
    buttons = [b.label for b in app.button]
    assert "Acknowledge" in buttons
    app = next(b for b in app.button if b.label == "Acknowledge").click().run()
    assert "Acknowledge" not in [b.label for b in app.button]
    app.text_area(key=f"reporter_message_{first}").input("We looked into it, thank you.")
    app = next(b for b in app.button if b.label == "Resolve: no action").click().run()
    assert not app.exception
    with app_db() as session:
        decided = session.get_one(Report, first)
        assert (decided.status, decided.reporter_message) == (
            "resolved_no_action", "We looked into it, thank you.")
