"""The enforcement ladder in the console and what the public and the mentor read of it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Mentor, OutboxMail, Report
from models.base import utcnow
from services.accounts.auth import add_moderator
from services.core.vocabulary import CodeClause
from services.listings.enforcement import PLAIN_STEPS
from services.listings.listing_lifecycle import ListingAction
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_mentor
from tests.factories import sign_up
from tests.pages.conftest import DASHBOARD, field_errors, open_app, shown, signed_in
from tests.pages.test_moderation import CLAUSE_LABEL, PASSWORD, reason_box

LADDER_LABELS = ["Note the breach", "Warn", "Remove for days", "Remove", "Ban"]


def console(page: str) -> AppTest:
    app = signed_in(AppTest.from_file(DASHBOARD, default_timeout=30).run(), "alice", PASSWORD)
    app.switch_page(page).run()
    return app


def ladder_buttons(app: AppTest) -> list[str]:
    return [b.label for b in app.button if b.label in LADDER_LABELS]


def test_a_report_of_a_section_3_violation_offers_removal_and_ban_first(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
        mentor_id = sign_up(session, full_name="Jane Doe").mentor_id
        file_report(session, client_key="t", now=utcnow(), report=ReportInput(
            mentor_id=mentor_id, category="asking_for_payment", description="Asked for money.",
            reporter_role="mentee"))  # fmt: skip
    app = console("pages/moderation_queue.py")
    assert not app.exception
    assert ladder_buttons(app) == ["Remove", "Ban", "Remove for days", "Warn", "Note the breach"]


def test_a_removal_for_days_asks_the_part_of_the_code_and_the_days_and_keeps_what_was_typed(
    app_db: sessionmaker[Session],
) -> None:
    with app_db.begin() as session:
        add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
        bea = sign_up(session, full_name="Bea Brown", email="bea@example.org").mentor_id
    app = console("pages/moderation_mentors.py")
    app = app.selectbox(key="roster_open").set_value(bea).run()
    assert ladder_buttons(app) == LADDER_LABELS  # from the roster: mildest first
    app = next(b for b in app.button if b.label == "Remove for days").click().run()
    reason_box(app).input("Ignored three mentees for a month.")
    app = next(b for b in app.button if b.label == "Confirm: remove for days").click().run()
    assert not app.exception
    assert field_errors(app) == ["Please choose the part of the Code of Conduct this enforces."]
    assert reason_box(app).value == "Ignored three mentees for a month."
    next(s for s in app.selectbox if s.label == CLAUSE_LABEL).set_value(CodeClause.RESPONSIVE)
    app = next(b for b in app.button if b.label == "Confirm: remove for days").click().run()
    assert field_errors(app) == ["Please give a whole number of days from 1 to 365."]
    days = next(n for n in app.number_input if n.label == "Days off the directory")
    days.set_value(14)
    app = next(b for b in app.button if b.label == "Confirm: remove for days").click().run()
    assert "Remove for days: done for Bea Brown." in shown(app, "success")
    with app_db() as session:
        mentor = session.get_one(Mentor, bea)
        assert (mentor.status, mentor.removed_until) == ("removed", (utcnow() + timedelta(days=14)).date())
        mails = session.scalars(select(OutboxMail.kind).where(OutboxMail.recipient == "bea@example.org")).all()
        assert "removed_for_days" in mails


def test_how_we_enforce_the_code_explains_the_ladder_and_the_appeal(app_db: sessionmaker[Session]) -> None:
    app = open_app("pages/how_we_enforce.py")
    assert not app.exception
    assert [t.value for t in app.title] == ["How we enforce the Code"]
    text = "\n".join(m.value for m in app.markdown)
    assert all(f"**{title}.**" in text for title, _ in PLAIN_STEPS)
    assert "immediate removal or ban" in text and "appeal it once, within 20 days" in text


def test_a_mentor_removed_for_days_reads_the_day_their_listing_comes_back(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        alice = add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
        mentor = sign_up(session)
        act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None, now=utcnow(),
                      action=ListingAction.REMOVE_FOR_DAYS, moderator=alice, reason="Late replies",
                      clause=CodeClause.RESPONSIVE, days=7)  # fmt: skip
    app = open_app("pages/manage_listing.py")
    app.text_input(key="manage_code_input").input(mentor.credential)
    app = next(b for b in app.button if b.label == "Open my listing").click().run()
    assert not app.exception
    back = (utcnow() + timedelta(days=7)).date()
    assert any(f"off the directory until {back:%Y-%m-%d}. On that day it comes back" in m.value
               for m in app.markdown)  # fmt: skip


def removed_by_alice(app_db: sessionmaker[Session]):  # noqa: ANN201
    """Alice removes a mentor; the mentor's private code."""
    with app_db.begin() as session:
        alice = add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
        mentor = sign_up(session, full_name="Dee Dunn", email="dee@example.org")
        act_on_mentor(session, mentor_id=mentor.mentor_id, expected_version=None, now=utcnow(),
                      action=ListingAction.REMOVE, moderator=alice, reason="No replies",
                      clause=CodeClause.RESPONSIVE)  # fmt: skip
    return mentor


def opened(credential: str) -> AppTest:
    app = open_app("pages/manage_listing.py")
    app.text_input(key="manage_code_input").input(credential)
    return next(b for b in app.button if b.label == "Open my listing").click().run()


def test_a_removed_mentor_appeals_from_manage_my_listing_and_an_empty_appeal_is_named_at_its_field(
    app_db: sessionmaker[Session],
) -> None:
    mentor = removed_by_alice(app_db)
    app = opened(mentor.credential)
    assert not app.exception
    assert "Appeal a decision" in [h.value for h in app.subheader]
    send = next(b for b in app.button if b.label == "Send my appeal")
    app = send.click().run()
    assert field_errors(app) == ["Please say why you think the decision is wrong."]
    app.text_area(key="appeal_text").input("I told every mentee I was away **for surgery**.")
    app = next(b for b in app.button if b.label == "Send my appeal").click().run()
    assert not app.exception
    [done] = shown(app, "success")
    assert "Your appeal is in, with the reference WAN-" in done
    assert any("It is **received**." in m.value for m in app.markdown)
    assert not any(b.label == "Send my appeal" for b in app.button)  # one appeal per decision
    with app_db() as session:
        report = session.scalars(select(Report).where(Report.kind == "appeal")).one()
        assert report.description == "I told every mentee I was away **for surgery**."


def test_the_moderator_who_decided_is_told_to_leave_the_appeal_to_another_who_can_uphold_it(
    app_db: sessionmaker[Session],
) -> None:
    mentor = removed_by_alice(app_db)
    opened_app = opened(mentor.credential)
    opened_app.text_area(key="appeal_text").input("I did reply.")
    next(b for b in opened_app.button if b.label == "Send my appeal").click().run()
    app = console("pages/moderation_queue.py")
    assert "Uphold: reverse the decision" not in [b.label for b in app.button]
    assert any("you are the only moderator" in i for i in shown(app, "info"))
    with app_db.begin() as session:
        add_moderator(session, username="bob", password=PASSWORD, now=utcnow())
    app = signed_in(AppTest.from_file(DASHBOARD, default_timeout=30).run(), "bob", PASSWORD)
    app.switch_page("pages/moderation_queue.py").run()
    assert ladder_buttons(app) == []  # an appeal is decided by Uphold or Reject, not the ladder
    app.text_area(key=next(t.key for t in app.text_area if t.label.startswith("Message to the mentor"))).input(
        "You had told your mentees.")
    app = next(b for b in app.button if b.label == "Uphold: reverse the decision").click().run()
    assert not app.exception
    assert "Uphold: reverse the decision: saved." in shown(app, "success")
    with app_db() as session:
        assert session.get_one(Mentor, mentor.mentor_id).status == "listed"
        assert session.scalars(select(OutboxMail.kind).where(OutboxMail.recipient == "dee@example.org")
                               .order_by(OutboxMail.id.desc()).limit(1)).one() == "appeal_decided"  # fmt: skip
