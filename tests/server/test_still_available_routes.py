"""The still-available mail's page: two buttons, nothing changes on GET, one answer per link."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import select

from models import Mentor
from models.base import utcnow
from services.listings.freshness import Spans, ask_due
from services.mail.templates import Kind
from tests.factories import mailed, sign_up
from tests.server.conftest import Site


def asked(site: Site) -> tuple[int, str]:
    with site.db.begin() as session:
        mine = sign_up(session, email="quiet@example.org", now=utcnow() - timedelta(days=100))
        assert ask_due(session, now=utcnow(), spans=Spans()) == 1
        mail = mailed(session, "quiet@example.org", Kind.STILL_AVAILABLE)
        assert mail is not None
        return mine.mentor_id, mail.values["token"]


def status(site: Site, mentor_id: int) -> str:
    with site.db() as session:
        return session.scalars(select(Mentor.status).where(Mentor.id == mentor_id)).one()


def test_the_page_asks_with_two_buttons_and_opening_it_changes_nothing(site: Site) -> None:
    mentor_id, token = asked(site)
    page = site.client.get("/still-available?" + urlencode({"token": token}))
    assert page.status_code == 200
    assert "Yes, keep me listed" in page.text and "Pause my listing" in page.text
    assert status(site, mentor_id) == "listed"


def test_pause_my_listing_pauses_and_the_link_answers_once(site: Site) -> None:
    mentor_id, token = asked(site)
    done = site.post("/still-available", {"token": token, "answer": "pause"}, form_page="/sign-in")
    assert done.status_code == 200 and "Your listing is paused" in done.text
    assert status(site, mentor_id) == "paused"
    again = site.post("/still-available", {"token": token, "answer": "keep"}, form_page="/sign-in")
    assert again.status_code == 409 and status(site, mentor_id) == "paused"


def test_an_answer_that_is_neither_or_from_elsewhere_changes_nothing(site: Site) -> None:
    mentor_id, token = asked(site)
    odd = site.post("/still-available", {"token": token, "answer": "delete"}, form_page="/sign-in")
    forged = site.post("/still-available", {"token": token, "answer": "pause"},
                       origin="https://evil.example", form_page="/sign-in")  # fmt: skip
    assert (odd.status_code, forged.status_code) == (403, 403)
    assert status(site, mentor_id) == "listed"
    kept = site.post("/still-available", {"token": token, "answer": "keep"}, form_page="/sign-in")
    assert kept.status_code == 200 and "stays in the directory" in kept.text
