"""Manage my listing: the private code opens the listing; without it, a removal request."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Mentor, Report
from services.core.vocabulary import ListingStatus
from tests.factories import sign_up
from tests.pages.conftest import field_errors, open_app, shown

PAGE = "pages/manage_listing.py"


def click(app: AppTest, label: str) -> AppTest:
    return next(b for b in app.button if b.label == label).click().run()


def status_of(app_db: sessionmaker[Session], mentor_id: int) -> str:
    with app_db() as session:
        return session.scalar(select(Mentor.status).where(Mentor.id == mentor_id)) or ""


def opened(app_db: sessionmaker[Session], credential: str) -> AppTest:
    app = open_app(PAGE)
    app.text_input(key="manage_code_input").input(credential)
    return click(app, "Open my listing")


def test_a_wrong_code_says_so_next_to_the_field(app_db: sessionmaker[Session]) -> None:
    app = opened(app_db, "wan-not-a-real-code")
    assert field_errors(app) == ["That code didn't open a listing. Check it and try again."]
    assert not any(b.label == "Pause my listing" for b in app.button)


def test_pause_and_resume_with_the_code(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        mine = sign_up(session, full_name="Jane Doe")
    app = opened(app_db, mine.credential)
    assert "live" in app.markdown[0].value
    app = click(app, "Pause my listing")
    assert status_of(app_db, mine.mentor_id) == ListingStatus.PAUSED.value
    assert "Paused" in shown(app, "success")[0]
    app.checkbox(key="resume_agreed").check()
    app.text_input(key="resume_typed_name").input("JANE DOE")
    app = click(app, "Resume my listing")
    assert not app.error and not field_errors(app)
    assert status_of(app_db, mine.mentor_id) == ListingStatus.LISTED.value


def test_an_invalid_edit_keeps_what_was_typed(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        mine = sign_up(session, full_name="Jane Doe", headline="Copywriter")
    app = opened(app_db, mine.credential)
    assert app.text_input(key="edit_headline").value == "Copywriter"
    app.text_input(key="edit_headline").input("Creative Director")
    app.text_input(key="edit_email").input("not-an-email")
    app = click(app, "Save profile")
    assert any("email address" in e for e in field_errors(app))
    assert app.text_input(key="edit_headline").value == "Creative Director"
    with app_db() as session:
        assert session.scalar(select(Mentor.headline)) == "Copywriter"


def test_delete_needs_a_confirmation_then_erases_the_profile(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        mine = sign_up(session, full_name="Jane Doe")
    app = opened(app_db, mine.credential)
    app = click(app, "Delete my listing")
    assert field_errors(app) == ["Please tick the box to confirm."]
    assert status_of(app_db, mine.mentor_id) == ListingStatus.LISTED.value
    app.checkbox(key="delete_confirmed").check()
    app = click(app, "Delete my listing")
    assert status_of(app_db, mine.mentor_id) == ListingStatus.DELETED.value
    assert "deleted" in shown(app, "success")[0]
    assert app.text_input(key="manage_code_input")  # back to the entry form


def test_a_removal_request_without_the_code_lands_in_the_queue(
    app_db: sessionmaker[Session],
) -> None:
    with app_db.begin() as session:
        mine = sign_up(session, email="jane@example.org")
    app = open_app(PAGE)
    app.text_input(key="removal_contact").input("Jane@Example.org")
    app.text_area(key="removal_message").input("Too busy this year, please take me off.")
    app = click(app, "Please remove me")
    assert "reference WAN-" in shown(app, "success")[0]
    with app_db() as session:
        request = session.scalars(select(Report)).one()
    assert (request.kind, request.mentor_id, request.status) == (
        "removal_request",
        mine.mentor_id,
        "new",
    )


def test_saying_still_available_starts_a_new_stretch_before_the_clock_asks(
    app_db: sessionmaker[Session],
) -> None:
    from datetime import timedelta

    from models.base import utcnow

    with app_db.begin() as session:
        mine = sign_up(session, full_name="Jane Doe", now=utcnow() - timedelta(days=80))
    app = opened(app_db, mine.credential)
    app = click(app, "Yes, I'm still available")
    assert "We'll ask again in a few months" in shown(app, "success")[0]
    with app_db() as session:
        confirmed = session.scalar(select(Mentor.available_confirmed_at).where(Mentor.id == mine.mentor_id))
    assert confirmed is not None and utcnow() - confirmed < timedelta(minutes=1)
