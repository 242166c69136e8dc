"""Route tests: the real st.App (server/app.py) through Starlette's TestClient, on a database of
its own (SQLite, and PostgreSQL too with TEST_DATABASE_URL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from models.db import make_session_factories
from tests.conftest import DATABASES, TEST_DATABASE_URL, migrated_database, postgres_schema_url

ORIGIN = "http://testserver"


@dataclass
class Site:
    client: TestClient
    db: sessionmaker[Session]

    def form(self, path: str) -> str:
        """GET a form page; the CSRF token it carries (its cookie is now in the client)."""
        page = self.client.get(path)
        marker = 'name="csrf" value="'
        start = page.text.index(marker) + len(marker)
        return page.text[start : page.text.index('"', start)]

    def post(self, path: str, data: dict[str, str], *, origin: str | None = ORIGIN,
             csrf: str | None = None, form_page: str = "/sign-in"):  # fmt: skip
        token = self.form(form_page) if csrf is None else csrf
        headers = {"Origin": origin} if origin else {}
        return self.client.post(path, data={"csrf": token, **data}, headers=headers,
                                follow_redirects=False)  # fmt: skip


def database_url(engine: Engine) -> str:
    """The URL of this test database for the app. An engine's own URL has lost PostgreSQL's
    search path (make_engine moves `options` into its connect arguments): without it the app
    would write into the public schema that every other test's schema can see."""
    if engine.dialect.name == "sqlite":
        return engine.url.render_as_string(hide_password=False)
    with engine.connect() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    return postgres_schema_url(TEST_DATABASE_URL, schema)


@pytest.fixture(scope="session")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One client for the session: Streamlit's runtime starts once per process (as in a real
    server), so the lifespan runs once; each test points the app at a database of its own."""
    with pytest.MonkeyPatch.context() as env:
        first = tmp_path_factory.mktemp("first") / "app.sqlite3"
        env.setenv("DATABASE_URL", f"sqlite:///{first}")  # what the lifespan migrates
        env.setenv("MAIL_DIR", str(tmp_path_factory.mktemp("mail")))  # a deployment needs one
        from server.app import app

        with TestClient(app, base_url=ORIGIN) as test_client:
            yield test_client


@pytest.fixture(params=DATABASES)
def site(request: pytest.FixtureRequest, tmp_path: Path, client: TestClient,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:  # fmt: skip
    with migrated_database(request.param, tmp_path) as engine:
        monkeypatch.setenv("DATABASE_URL", database_url(engine))
        monkeypatch.setenv("REQUIRE_SECOND_FACTOR", "0")
        client.cookies.clear()
        yield Site(client, make_session_factories(engine)[1])
        client.cookies.clear()
