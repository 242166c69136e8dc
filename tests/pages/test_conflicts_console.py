"""Conflicts of interest through the pages: the report form offers the moderators' display names
(never usernames) and a named moderator never sees the case; a moderator who declares a conflict
with a mentor no longer finds them on the mentors page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Report, ReportExclusion
from models.base import utcnow
from services.accounts.auth import add_moderator
from services.reports import conflicts
from tests.factories import sign_up
from tests.pages.conftest import DASHBOARD, open_app, shown, signed_in
from tests.pages.test_moderation import PASSWORD

FORM = "pages/report_a_violation.py"
LABEL = "Moderators who must not handle your report (optional)"


def team(app_db: sessionmaker[Session]) -> dict[str, int]:
    with app_db.begin() as session:
        made = {name: add_moderator(session, username=name, password=PASSWORD, now=utcnow()).id
                for name in ("alice", "bob")}  # fmt: skip
        conflicts.set_display_name(session, username="alice", display_name="Alice Martin")
        conflicts.set_display_name(session, username="bob", display_name="Bob Osei")
    return made


def console(username: str, page: str) -> AppTest:
    app = signed_in(AppTest.from_file(DASHBOARD, default_timeout=30).run(), username, PASSWORD)
    app.switch_page(page).run()
    return app


def test_a_reporter_keeps_a_moderator_off_the_case_and_that_moderator_never_sees_it(
    app_db: sessionmaker[Session],
) -> None:
    ids = team(app_db)
    with app_db.begin() as session:
        mentor_id = sign_up(session, full_name="Jane Doe").mentor_id
    app = open_app(FORM)
    app.text_input(key="report_search").input("jane").run()
    picker = next(m for m in app.multiselect if m.label == LABEL)
    assert picker.options == ["Alice Martin", "Bob Osei"]  # never the usernames
    app.selectbox(key="report_mentor").set_value(mentor_id)
    app.radio(key="report_category").set_value("not_responsive")
    app.text_area(key="report_description").input("No answer for a month.")
    app.radio(key="report_role").set_value("mentee")
    picker.set_value([ids["bob"]])
    app = next(b for b in app.button if b.label == "Send report").click().run()
    assert not app.exception and "Your report has reached the moderators." in shown(app, "success")[0]
    with app_db() as session:
        reference = session.scalars(select(Report.reference)).one()
        assert session.scalars(select(ReportExclusion.moderator_id)).all() == [ids["bob"]]
    bob = console("bob", "pages/moderation_queue.py")
    assert not bob.exception
    assert "No reports match these filters." in shown(bob, "info")
    alice = console("alice", "pages/moderation_queue.py")
    assert any(reference in s.value for s in alice.subheader)


def test_a_moderator_declares_a_conflict_and_the_mentor_leaves_their_console(
    app_db: sessionmaker[Session],
) -> None:
    team(app_db)
    with app_db.begin() as session:
        kin = sign_up(session, full_name="Kim Kin").mentor_id
        sign_up(session, full_name="Other Person")
    app = console("alice", "pages/moderation_mentors.py")
    app = app.selectbox(key="roster_open").set_value(kin).run()
    app = next(b for b in app.button if b.label == "I have a conflict of interest with this mentor").click().run()
    assert any("disappear from your console" in m.value for m in app.markdown)
    app = next(b for b in app.button if b.label == "Confirm: I have a conflict").click().run()
    assert not app.exception
    assert any("Kim Kin and the cases about them are no longer shown to you." in s for s in shown(app, "success"))
    assert [o.split(" · ")[0] for o in app.selectbox(key="roster_open").options] == ["Other Person"]
    bob = console("bob", "pages/moderation_mentors.py")
    assert "Kim Kin" in [o.split(" · ")[0] for o in bob.selectbox(key="roster_open").options]
