"""Alembic environment: migrates the connection it is handed, or DATABASE_URL, or the default."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from models import Base
from models.db import default_database_url, make_engine

# Any fixed number: replicas starting together take turns instead of racing the same upgrade.
POSTGRES_MIGRATION_LOCK = 7_441_023


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": POSTGRES_MIGRATION_LOCK})
        # The app's engines cap statements at a few seconds; rewriting a big table may take longer.
        connection.execute(text("SET LOCAL statement_timeout = 0"))
        connection.execute(text("SET LOCAL lock_timeout = 0"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        if connection.in_transaction():
            connection.commit()
        return
    engine = make_engine(os.environ.get("DATABASE_URL") or default_database_url())
    with engine.connect() as connection:
        _run(connection)
        connection.commit()
    engine.dispose()


run_migrations_online()
