"""A session for reading refuses to write, instead of rolling the write back without a word."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from models import Moderator
from models.db import WriteWhileReading, make_session_factories
from tests.conftest import NOW

WRITES: dict[str, Callable[[Session], object]] = {
    "ORM add": lambda s: (s.add(Moderator(username="sneaky", password_hash="x", created_at=NOW)),
                          s.flush()),
    "ORM change": lambda s: (setattr(s.scalars(select(Moderator)).one(), "username", "changed"),
                             s.flush()),
    "ORM delete": lambda s: (s.delete(s.scalars(select(Moderator)).one()), s.flush()),
    "insert": lambda s: s.execute(insert(Moderator).values(username="b", password_hash="x",
                                                           created_at=NOW)),
    "update": lambda s: s.execute(update(Moderator).values(username="c")),
    "delete": lambda s: s.execute(delete(Moderator)),
    "text": lambda s: s.execute(text("  update moderators set username = 'd'")),
    "connection": lambda s: s.connection().exec_driver_sql("DELETE FROM moderators"),
}  # fmt: skip


@pytest.fixture
def one_moderator(engine: Engine) -> object:
    _, writer = make_session_factories(engine)
    with writer.begin() as session:
        session.execute(delete(Moderator))
        session.add(Moderator(username="kept", password_hash="x", created_at=NOW))
    yield
    with writer.begin() as session:
        session.execute(delete(Moderator))


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_in_a_session_for_reading_is_an_error_and_nothing_changes(
    engine: Engine, one_moderator: object, write: Callable[[Session], object]
) -> None:
    reader, _ = make_session_factories(engine)
    with reader() as session, pytest.raises(WriteWhileReading):
        write(session)
    with reader() as session:
        assert session.scalars(select(Moderator.username)).all() == ["kept"]


def test_a_session_for_reading_still_reads_and_a_writer_still_writes(
    engine: Engine, one_moderator: object
) -> None:
    reader, writer = make_session_factories(engine)
    with reader() as session:
        assert session.scalar(select(func.count()).select_from(Moderator)) == 1
        assert session.execute(text("select count(*) from moderators")).scalar() == 1
    with writer.begin() as session:
        session.execute(update(Moderator).values(username="renamed"))
    with reader() as session:
        assert session.scalars(select(Moderator.username)).all() == ["renamed"]
