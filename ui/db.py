"""One engine per process (migrated once when created), and a session per user action."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from models.db import DATABASE_FAULTS, make_engine, make_session_factories, migrate
from services.core.settings import Settings, load_settings

__all__ = [
    "DATABASE_FAULTS", "read_or", "reading", "settings", "unavailable_notice", "writer", "writing",
]  # fmt: skip
T = TypeVar("T")


def secrets_mapping() -> dict[str, Any]:
    """st.secrets as a plain dict, or {} when the app has no secrets file."""
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return {}


SETTINGS_ENV = (
    "DATABASE_URL", "MODERATOR_IDLE_MINUTES", "CLIENT_IP_HEADER", "CONTACT_EMAIL", "SITE_HTTPS",
    "REQUIRE_SECOND_FACTOR", "SMTP_URL", "MAIL_DIR", "MAIL_FROM", "SITE_URL",
    "FRESHNESS_ASK_DAYS", "FRESHNESS_PAUSE_DAYS",
)  # fmt: skip


def settings() -> Settings:
    """The app's settings (never read at import); the secrets are read again every 30 s at most.

    Reading them on every call cost a tenth of a directory rerun (benchmarks/profile_rerun.py).
    """
    return _settings(tuple(os.environ.get(name, "") for name in SETTINGS_ENV))


@st.cache_resource(ttl=30, show_spinner=False)
def _settings(environment: tuple[str, ...]) -> Settings:  # noqa: ARG001 - the cache key
    return load_settings(secrets_mapping())


@st.cache_resource(show_spinner=False, on_release=lambda engine: engine.dispose())
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine


@st.cache_resource(show_spinner=False)
def _factories(url: str) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    return make_session_factories(_engine(url))


@contextmanager
def reading() -> Iterator[Session]:
    """A session for reads, rolled back at the end: a write in it raises WriteWhileReading."""
    reader, _ = _factories(settings().database_url)
    with reader() as session:
        yield session


def writer() -> sessionmaker[Session]:
    """The app's write session factory, for work that outlives the run that asked for it (a
    timer, a shutdown hook): kept, it needs no settings, cache or migration when the work runs."""
    return _factories(settings().database_url)[1]


@contextmanager
def writing(on: sessionmaker[Session] | None = None) -> Iterator[Session]:
    """One transaction for one user action: committed if the block succeeds, else rolled back.

    On the app's database, or through `on`, a factory kept from `writer()`."""
    with (on or writer()).begin() as session:
        yield session


def read_or(default: T, read: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`read(*args)`, or `default` with the notice when the database can't be reached.

    For reads above a form: the page goes on drawing the form, so nothing typed is lost.
    """
    try:
        return read(*args, **kwargs)
    except DATABASE_FAULTS:
        unavailable_notice()
        return default


def unavailable_notice() -> None:
    """What a page shows when the database can't be reached: nothing is lost, come back soon."""
    st.warning(
        "This page is temporarily unavailable: we can't reach our database just now. Please try "
        "again in a minute.",
        icon=":material/cloud_off:",
    )
