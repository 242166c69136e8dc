"""Database fixtures: every service test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.

Each database is migrated once per run (PostgreSQL in a schema of its own, dropped at the end);
each test runs inside a transaction that is rolled back, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, make_session_factories, migrate

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
DATABASES = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def postgres_schema_url(base_url: str, schema: str) -> str:
    """The same PostgreSQL database, with `schema` first on the search path."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema},public"


@contextmanager
def migrated_database(kind: str, directory: Path, revision: str = "head") -> Iterator[Engine]:
    """A new database of this kind, migrated to `revision`, gone afterwards."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{directory / f'{uuid.uuid4().hex}.sqlite3'}")
        migrate(engine, revision)
        yield engine
        engine.dispose()
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(TEST_DATABASE_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(postgres_schema_url(TEST_DATABASE_URL, schema))
    try:
        migrate(engine, revision)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    with migrated_database(request.param, tmp_path_factory.mktemp("db")) as db_engine:
        yield db_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (services may use savepoints)."""
    connection = engine.connect()
    transaction = connection.begin()
    db_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield db_session
    finally:
        db_session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture(params=DATABASES)
def writer(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A session factory on a database of its own that really commits (for concurrency tests)."""
    with migrated_database(request.param, tmp_path) as db_engine:
        yield make_session_factories(db_engine)[1]


@pytest.fixture(scope="session", autouse=True)
def public_schema_stays_empty() -> Iterator[None]:
    """Every PostgreSQL test works in a schema of its own. Tables in `public` would be seen by
    every test's schema through its search path (and Alembic would take their version for its
    own): a test that leaks there fails the run here, by name of what it left."""
    yield
    if not TEST_DATABASE_URL:
        return
    admin = make_engine(TEST_DATABASE_URL)
    try:
        with admin.connect() as connection:
            left = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars().all()
    finally:
        admin.dispose()
    assert not left, f"tests left tables in PostgreSQL's public schema: {sorted(left)}"
