"""The link in the mail about a new version of the Code: a button (never a GET), once; it opens
Manage my listing in this browser, like a manage link."""

from __future__ import annotations

from urllib.parse import urlencode

from models.base import utcnow
from server.owner_link_routes import OWNER_COOKIE
from services.evidence.code_versions import ask_batch, start_round
from services.listings import owner
from services.listings.code_of_conduct import current_code, parse_code
from services.mail.templates import Kind
from tests.factories import mailed, sign_up
from tests.server.conftest import Site


def new_code_token(site: Site, email: str = "jane@example.org") -> str:
    with site.db.begin() as session:
        mine = sign_up(session, email=email, now=utcnow())
        start_round(session, code=current_code(), now=utcnow())
        new = parse_code(current_code().text.replace("No ghosting allowed.", "No ghosting, ever."))
        ask_batch(session, rnd=start_round(session, code=new, now=utcnow()), now=utcnow())
        mail = mailed(session, email, Kind.NEW_CODE)
        assert mail is not None and mail.mentor_id == mine.mentor_id
        return mail.values["token"]


def test_the_new_code_link_opens_manage_my_listing_in_this_browser_once(site: Site) -> None:
    token = new_code_token(site)
    page = site.client.get("/new-code?" + urlencode({"token": token}))
    assert page.status_code == 200 and "Open Manage my listing" in page.text
    used = site.post("/new-code", {"token": token}, form_page="/sign-in")
    assert used.status_code == 303 and used.headers["location"] == "/manage-my-listing"
    owner_session = site.client.cookies[OWNER_COOKIE]
    with site.db() as session:
        assert owner.own_listing(session, credential=owner_session).mentor_id > 0
    again = site.post("/new-code", {"token": token}, form_page="/sign-in")
    assert again.status_code == 409 and "already been used" in again.text


def test_a_manage_link_token_is_not_a_new_code_link(site: Site) -> None:
    page = site.client.get("/new-code", params={"token": "wal-forged"})
    assert page.status_code == 200 and "copied incompletely" in page.text
    assert site.post("/new-code", {"token": "wal-forged"}, form_page="/sign-in").status_code == 409
