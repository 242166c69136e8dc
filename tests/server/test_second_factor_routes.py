"""The second factor as the browser meets it: a code after the password, accepted once;
recovery codes; enrolment from the console."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from models import Moderator
from models.base import utcnow
from server.web_sessions import PENDING_COOKIE, SESSION_COOKIE
from services.accounts import second_factor
from services.accounts.auth import add_moderator
from tests.server.conftest import Site

PASSWORD = "correct horse battery"
SECRET = pyotp.random_base32()


@pytest.fixture
def alice(site: Site) -> tuple[Site, list[str]]:
    with site.db.begin() as session:
        moderator = add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
        codes = second_factor.enrol(session, moderator_id=moderator.id, secret=SECRET, now=utcnow())
    return site, codes


def password_step(site: Site):
    return site.post(
        "/sign-in", {"username": "alice", "password": PASSWORD, "next": "/moderation-audit"}
    )


def code_step(site: Site, code: str):
    return site.post("/sign-in/code", {"code": code, "next": "/moderation-audit"})


def console_opens(site: Site) -> bool:
    return site.client.get("/moderation-audit", follow_redirects=False).status_code == 200


def test_the_password_alone_opens_nothing_and_asks_for_a_code(alice) -> None:
    site, _ = alice
    response = password_step(site)
    assert response.status_code == 200 and '<label for="code">Code</label>' in response.text
    assert PENDING_COOKIE in response.headers["set-cookie"]
    assert SESSION_COOKIE not in site.client.cookies
    site.client.cookies.set(SESSION_COOKIE, site.client.cookies.get(PENDING_COOKIE))
    assert not console_opens(site)  # the pending token is no session


def test_a_right_code_opens_the_console_once_and_its_replay_is_refused(alice) -> None:
    site, _ = alice
    password_step(site)
    code = pyotp.TOTP(SECRET).now()
    assert code_step(site, "000000" if code != "000000" else "111111").status_code == 400
    response = code_step(site, code)
    assert response.status_code == 303 and response.headers["location"] == "/moderation-audit"
    assert console_opens(site)
    site.client.cookies.clear()
    password_step(site)
    replay = code_step(site, code)  # the same code, seen over a shoulder, in its own window
    assert replay.status_code == 400 and "check the time on your phone" in replay.text
    assert not console_opens(site)


def test_a_recovery_code_works_once(alice) -> None:
    site, codes = alice
    password_step(site)
    assert code_step(site, codes[0].upper()).status_code == 303
    site.client.cookies.clear()
    password_step(site)
    assert code_step(site, codes[0]).status_code == 400


def test_wrong_codes_count_against_the_password_limits(alice) -> None:
    site, _ = alice
    password_step(site)
    statuses = [code_step(site, "12345" + str(n)).status_code for n in range(4)]
    assert statuses[:3] == [400, 400, 400] and statuses[3] == 429


def test_enrolment_from_the_console_needs_a_session_and_a_code_from_the_new_secret(
    site: Site,
) -> None:
    with site.db.begin() as session:
        add_moderator(session, username="bob", password=PASSWORD, now=utcnow())
    assert site.client.get("/account/second-factor", follow_redirects=False).status_code == 303
    site.post("/sign-in", {"username": "bob", "password": PASSWORD})
    page = site.client.get("/account/second-factor")
    assert 'alt="QR code of your new authenticator secret"' in page.text
    secret = page.text.split('name="secret" value="')[1].split('"')[0]
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    wrong = site.post("/account/second-factor", {"secret": secret, "code": "000000"}, csrf=csrf)
    assert wrong.status_code == 400
    code = pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=0))
    done = site.post("/account/second-factor", {"secret": secret, "code": code}, csrf=csrf)
    assert done.status_code == 200 and done.text.count("<li><code>") == 10
    with site.db() as session:
        assert (
            session.scalar(select(Moderator.totp_secret).where(Moderator.username == "bob"))
            == secret
        )
