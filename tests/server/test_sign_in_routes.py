"""The moderators' sign-in as the browser meets it: the form, the cookie, the limits, sign-out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import ModeratorSession
from models.base import utcnow
from server.web_sessions import CSRF_COOKIE, SESSION_COOKIE
from services.accounts.auth import add_moderator, token_hash
from tests.server.conftest import Site

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(site: Site) -> Site:
    with site.db.begin() as session:
        add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
    return site


def sign_in(site: Site, password: str = PASSWORD, **extra: str):
    return site.post("/sign-in", {"username": "alice", "password": password, **extra})


def open_sessions(site: Site) -> list[ModeratorSession]:
    with site.db() as session:
        return list(
            session.scalars(select(ModeratorSession).where(ModeratorSession.ended_at.is_(None)))
        )


def set_cookie_of(response, name: str) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}="))


def test_the_form_has_labels_a_csrf_token_and_a_strict_httponly_cookie(site: Site) -> None:
    page = site.client.get("/sign-in?next=/moderation-trends")
    assert page.status_code == 200
    assert '<label for="username">Username</label>' in page.text
    assert '<label for="password">Password</label>' in page.text
    assert 'name="next" value="/moderation-trends"' in page.text
    cookie = set_cookie_of(page, CSRF_COOKIE).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert page.headers["cache-control"] == "no-store"


def test_a_right_password_sets_an_opaque_httponly_session_cookie_and_goes_to_the_page_asked_for(
    alice: Site,
) -> None:
    response = sign_in(alice, next="/moderation-trends")
    assert response.status_code == 303 and response.headers["location"] == "/moderation-trends"
    cookie = set_cookie_of(response, SESSION_COOKIE)
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags
    assert "secure" not in flags  # served over plain http here
    token = cookie.split(";")[0].split("=", 1)[1]
    [row] = open_sessions(alice)
    assert row.token_hash == token_hash(token) and token not in row.token_hash  # only its hash kept
    # The cookie opens the console on the next page load (a reload, a bookmark, a second tab).
    page = alice.client.get("/moderation-trends", follow_redirects=False)
    assert page.status_code == 200


def test_over_https_the_cookie_is_secure_and_responses_carry_hsts(
    alice: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_HTTPS", "1")  # behind a TLS proxy
    https = "https://testserver"
    form = alice.client.get(f"{https}/sign-in")
    assert form.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "secure" in set_cookie_of(form, CSRF_COOKIE).lower()
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    response = alice.client.post(f"{https}/sign-in", headers={"Origin": https}, follow_redirects=False,
                                 data={"csrf": csrf, "username": "alice", "password": PASSWORD})  # fmt: skip
    assert response.status_code == 303
    assert "secure" in set_cookie_of(response, SESSION_COOKIE).lower()


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://testserver.evil.example", "null", None]
)
def test_a_post_from_another_site_or_without_an_origin_is_refused(
    alice: Site, origin: str | None
) -> None:
    response = alice.post("/sign-in", {"username": "alice", "password": PASSWORD}, origin=origin)
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert not open_sessions(alice)


def test_a_wrong_csrf_token_is_refused_and_nothing_is_counted_or_opened(alice: Site) -> None:
    alice.form("/sign-in")
    response = alice.post(
        "/sign-in", {"username": "alice", "password": PASSWORD}, csrf="forged" * 6
    )
    assert response.status_code == 403 and "expired or came from another site" in response.text
    assert not open_sessions(alice)


@pytest.mark.parametrize(
    "asked",
    ["https://evil.example/", "//evil.example/moderation-queue", "/\\evil.example",
     "javascript:alert(1)", "/find-a-mentor", "http://testserver/moderation-queue"],
)  # fmt: skip
def test_after_sign_in_only_a_console_page_of_ours_is_followed(alice: Site, asked: str) -> None:
    response = sign_in(alice, next=asked)
    assert response.headers["location"] == "/moderation-queue"


def test_a_wrong_password_keeps_the_username_ties_the_error_to_the_field_and_opens_nothing(
    alice: Site,
) -> None:
    response = sign_in(alice, password="not the password")
    assert response.status_code == 400
    assert 'value="alice"' in response.text and "not the password" not in response.text
    assert 'aria-describedby="password-error"' in response.text
    assert 'id="error-summary" role="alert" tabindex="-1" autofocus' in response.text
    assert not open_sessions(alice)


def test_growing_waits_after_three_failures_even_for_the_right_password(alice: Site) -> None:
    for _ in range(3):
        assert sign_in(alice, password="wrong password!").status_code == 400
    response = sign_in(alice)
    assert response.status_code == 429 and "Please wait" in response.text
    assert not open_sessions(alice)


def test_what_a_person_typed_comes_back_escaped(alice: Site) -> None:
    response = alice.post("/sign-in", {"username": '<script>x</script>"', "password": "p"})
    assert "<script>x</script>" not in response.text and "&lt;script&gt;" in response.text


def test_sign_out_revokes_the_session_and_clears_the_cookie(alice: Site) -> None:
    sign_in(alice)
    response = alice.post("/sign-out", {}, form_page="/sign-out")
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")
    assert 'wan_session=""' in set_cookie_of(response, SESSION_COOKIE)
    assert not open_sessions(alice)
    assert alice.client.get("/moderation-queue", follow_redirects=False).status_code == 303


def test_sign_out_everywhere_ends_the_sessions_of_other_browsers_too(alice: Site) -> None:
    sign_in(alice)
    other = alice.client.cookies.get(SESSION_COOKIE)
    alice.client.cookies.delete(SESSION_COOKIE)
    sign_in(alice)  # a second browser
    assert len(open_sessions(alice)) == 2
    alice.post("/sign-out-everywhere", {}, form_page="/sign-out")
    assert not open_sessions(alice)
    alice.client.cookies.set(SESSION_COOKIE, other)
    assert alice.client.get("/moderation-audit", follow_redirects=False).status_code == 303


def test_a_console_url_without_a_session_goes_to_the_sign_in_and_keeps_the_page(site: Site) -> None:
    response = site.client.get("/moderation-audit?who=alice", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fmoderation-audit%3Fwho%3Dalice"


def test_robots_keep_crawlers_out_of_the_console_and_the_sign_in(site: Site) -> None:
    robots = site.client.get("/robots.txt").text
    for path in ("/sign-in", "/moderation-queue", "/moderation-trends", "/moderator-sign-in"):
        assert f"Disallow: {path}\n" in robots
