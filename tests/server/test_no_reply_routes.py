"""The card's 'No reply?' link: a page naming the mentor, a button, thanks; anonymous and
limited, and nothing for a mentor not in the directory."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import NoReplySignal
from models.base import utcnow
from services.listings import no_reply
from tests.factories import sign_up
from tests.server.conftest import Site


def listed(site: Site) -> int:
    with site.db.begin() as session:
        return sign_up(session, full_name="Marta Mute", now=utcnow()).mentor_id


def signals(site: Site) -> int:
    with site.db() as session:
        return session.scalar(select(func.count()).select_from(NoReplySignal)) or 0


def test_the_page_names_the_mentor_and_the_button_thanks_without_storing_an_address(site: Site) -> None:
    mentor_id = listed(site)
    page = site.client.get("/no-reply", params={"mentor": str(mentor_id)})
    assert page.status_code == 200 and "Marta Mute" in page.text and "anonymously" in page.text
    assert signals(site) == 0  # nothing on GET
    sent = site.post("/no-reply", {"mentor": str(mentor_id)}, form_page="/sign-in")
    assert sent.status_code == 200 and "Thank you" in sent.text
    again = site.post("/no-reply", {"mentor": str(mentor_id)}, form_page="/sign-in")
    assert again.status_code == 200 and "Thank you" in again.text  # the same answer
    assert signals(site) == 1


def test_a_client_flagging_too_many_listings_is_told_to_wait(site: Site) -> None:
    ids = [listed(site) for _ in range(no_reply.PER_CLIENT.allowed + 1)]
    for mentor_id in ids[:-1]:
        assert site.post("/no-reply", {"mentor": str(mentor_id)}, form_page="/sign-in").status_code == 200
    assert site.post("/no-reply", {"mentor": str(ids[-1])}, form_page="/sign-in").status_code == 429


@pytest.mark.parametrize("mentor", ["", "abc", "-1", "99999", "1" * 40, "<script>"])
def test_anything_else_is_a_clear_page_and_counts_nothing(site: Site, mentor: str) -> None:
    page = site.client.get("/no-reply", params={"mentor": mentor})
    assert page.status_code == 200 and "isn" in page.text and "<script>" not in page.text
    posted = site.post("/no-reply", {"mentor": mentor}, form_page="/sign-in")
    assert posted.status_code in (200, 403) and signals(site) == 0
