"""Manage my listing without the code: "Email me a link" answers every address alike, and the
listing a mailed link opened is managed like one opened with the code."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import ListingLink, Mentor, OutboxMail
from models.base import utcnow
from services.core.vocabulary import ListingStatus
from services.listings import manage_links
from services.mail.templates import Kind
from tests.factories import mailed, make_mentor, sign_up
from tests.pages.conftest import field_errors, open_app, shown

PAGE = "pages/manage_listing.py"
SENT = "If this address belongs to a listing, a link to manage it is on its way."


def ask_for_link(email: str) -> AppTest:
    app = open_app(PAGE)
    app.text_input(key="link_email").input(email)
    return next(b for b in app.button if b.label == "Email me a link").click().run()


def mails(app_db: sessionmaker[Session], kind: Kind) -> int:
    with app_db() as session:
        return session.scalar(select(func.count()).select_from(OutboxMail)
                              .where(OutboxMail.kind == kind.value)) or 0  # fmt: skip


def test_every_address_gets_the_same_answer_and_only_a_listing_is_mailed(
    app_db: sessionmaker[Session],
) -> None:
    with app_db.begin() as session:
        sign_up(session, email="jane@example.org")
        make_mentor(session, status=ListingStatus.BANNED, email="banned@example.org")
    answers = [shown(ask_for_link(e), "success") for e in
               ("JANE@example.org", "nobody@example.org", "banned@example.org")]  # fmt: skip
    assert all(answer and SENT in answer[0] for answer in answers), answers
    with app_db() as session:
        to_jane = mailed(session, "jane@example.org", Kind.MANAGE_LINK)
        assert to_jane is not None and to_jane.values["token"]
        assert mailed(session, "banned@example.org", Kind.MANAGE_LINK) is None
    assert mails(app_db, Kind.MANAGE_LINK) == 1


def test_not_an_address_is_said_next_to_the_field_and_kept(app_db: sessionmaker[Session]) -> None:
    app = ask_for_link("jane-at-example")
    assert field_errors(app) == ["This doesn't look like an email address, e.g. name@example.com."]
    assert app.text_input(key="link_email").value == "jane-at-example"
    assert mails(app_db, Kind.MANAGE_LINK) == 0


def test_one_client_asking_too_often_is_told_to_wait(app_db: sessionmaker[Session]) -> None:
    for n in range(manage_links.LINKS_PER_CLIENT.allowed):
        assert not field_errors(ask_for_link(f"someone{n}@example.org"))
    assert "Please wait" in field_errors(ask_for_link("one.more@example.org"))[0]


def test_the_listing_a_mailed_link_opened_is_managed_like_with_the_code(
    app_db: sessionmaker[Session],
) -> None:
    with app_db.begin() as session:
        mine = sign_up(session, email="jane@example.org")
        manage_links.request_link(session, email="jane@example.org", client_key="t", now=utcnow())
        link = mailed(session, "jane@example.org", Kind.MANAGE_LINK)
        assert link is not None
        owner_session = manage_links.open_from_link(session, token=link.values["token"], now=utcnow())
    app = open_app(PAGE)
    app.session_state["manage_credential"] = owner_session  # what the cookie holds in a browser
    app = app.run()
    assert "live" in app.markdown[0].value
    app = next(b for b in app.button if b.label == "Pause my listing").click().run()
    with app_db() as session:
        assert session.get_one(Mentor, mine.mentor_id).status == ListingStatus.PAUSED.value
    with app_db.begin() as session:  # two hours later the session has ended
        session.execute(ListingLink.__table__.update().values(expires_at=utcnow() - timedelta(seconds=1)))
    app = app.run()
    assert "The link's time here has ended" in " ".join(shown(app, "success") + shown(app, "info"))
