"""Whatever arrives in a field or a URL parameter of the server's forms: a clear answer (never a
server error), nothing typed rendered as markup, no session opened, no page of another site."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models import ModeratorSession
from tests.server.conftest import Site

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "//evil.example",
            "https://evil.example/x",
            "/moderation-queue\r\nSet-Cookie: x=1",
            "\x00",
            "' OR 1=1 --",
            "%2F%2Fevil",
            "javascript:alert(1)",
            "/\\\\evil.example",
            "a" * 5000,
        ]
    ),  # fmt: skip
)
SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


def sessions(site: Site) -> int:
    with site.db() as session:
        return session.scalar(select(func.count()).select_from(ModeratorSession))


@SLOW
@given(username=HOSTILE, password=HOSTILE, next_path=HOSTILE)
def test_any_sign_in_is_answered_plainly_and_opens_nothing(
    site: Site, username: str, password: str, next_path: str
) -> None:
    response = site.post(
        "/sign-in", {"username": username, "password": password, "next": next_path}
    )
    assert response.status_code in (400, 403, 429)
    assert "<script>alert(1)</script>" not in response.text
    assert sessions(site) == 0


@SLOW
@given(next_path=HOSTILE, ended=HOSTILE)
def test_any_query_on_the_sign_in_form_stays_on_this_site(
    site: Site, next_path: str, ended: str
) -> None:
    response = site.client.get("/sign-in", params={"next": next_path, "ended": ended})
    assert response.status_code == 200 and "<script>alert(1)</script>" not in response.text
    kept = response.text.split('name="next" value="')[1].split('"')[0]
    assert kept.startswith("/moderation-") and not urlsplit(kept).netloc


@SLOW
@given(code=HOSTILE, next_path=HOSTILE)
def test_any_code_without_a_password_first_opens_nothing(
    site: Site, code: str, next_path: str
) -> None:
    response = site.post("/sign-in/code", {"code": code, "next": next_path})
    assert response.status_code in (303, 400, 403)
    if response.status_code == 303:
        assert response.headers["location"].startswith("/sign-in?")
    assert sessions(site) == 0
