"""Reporting a violation through the page, as a mentee would."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Report
from tests.factories import sign_up
from tests.pages.conftest import field_errors, open_app, shown

PAGE = "pages/report_a_violation.py"


def send(app: AppTest) -> AppTest:
    return next(b for b in app.button if b.label == "Send report").click().run()


def test_a_report_about_a_listed_mentor_gets_a_reference(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        mentor_id = sign_up(session, full_name="Jane Doe").mentor_id
    app = open_app(PAGE)
    app.text_input(key="report_search").input("jane").run()
    app.selectbox(key="report_mentor").set_value(mentor_id)
    app.radio(key="report_category").set_value("asking_for_payment")
    app.text_area(key="report_description").input("She asked me for 40 pounds per call.")
    app.radio(key="report_role").set_value("mentee")
    app = send(app)
    assert not app.exception
    reference = app.success[0].value.split("**")[1]
    with app_db() as session:
        stored = session.scalars(select(Report)).one()
    assert (stored.reference, stored.mentor_id, stored.category) == (
        reference,
        mentor_id,
        "asking_for_payment",
    )


def test_missing_answers_are_named_and_what_was_typed_stays(app_db: sessionmaker[Session]) -> None:
    app = open_app(PAGE)
    app.text_area(key="report_description").input("Something happened on a call.")
    app = send(app)
    [summary] = shown(app, "error")
    assert summary.startswith("Please fix 3 things.")
    assert "Please choose the mentor, or give their name or LinkedIn profile." in field_errors(app)
    assert len(field_errors(app)) == 3
    assert app.text_area(key="report_description").value == "Something happened on a call."
    with app_db() as session:
        assert session.scalars(select(Report)).first() is None


def test_someone_not_in_the_list_can_be_reported(app_db: sessionmaker[Session]) -> None:
    app = open_app(PAGE)
    app.selectbox(key="report_mentor").set_value(-1).run()
    app.text_input(key="report_named_person").input("Sam Unlisted")
    app.radio(key="report_category").set_value("harassment")
    app.text_area(key="report_description").input("Insulting messages after a portfolio review.")
    app.radio(key="report_role").set_value("witness")
    app = send(app)
    assert "WAN-" in app.success[0].value
    with app_db() as session:
        assert session.scalar(select(Report.named_person)) == "Sam Unlisted"


def test_a_flood_is_slowed_with_a_message_and_the_text_is_kept(
    app_db: sessionmaker[Session],
) -> None:
    app = open_app(PAGE)
    for attempt in range(6):
        if attempt:
            app = next(b for b in app.button if b.label == "Report something else").click().run()
        app.selectbox(key="report_mentor").set_value(-1).run()
        app.text_input(key="report_named_person").input("Sam")
        app.radio(key="report_category").set_value("other")
        app.text_area(key="report_description").input(f"Report number {attempt}")
        app.radio(key="report_role").set_value("witness")
        app = send(app)
    assert "Please wait" in shown(app, "warning")[0]
    assert app.text_area(key="report_description").value == "Report number 5"
    with app_db() as session:
        assert len(session.scalars(select(Report)).all()) == 5
