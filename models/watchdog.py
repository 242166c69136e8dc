"""A deadline for every round trip to PostgreSQL, kept by the client.

A server that is down refuses connections at once, and a slow one cancels its own statements
(`statement_timeout`), but a frozen one (a stopped process, a host that vanished behind a live
TCP stack) never answers: the driver would wait for ever, and so would the person. This watchdog
notes when each connection starts waiting and, once a wait outlives the deadline, shuts the
connection's socket down. The driver then raises OperationalError at once, the edge tells the
person to try again (ui/actions.py), and SQLAlchemy discards the connection; when the server
answers again the pool simply opens a new one.

A connection with the execution option `no_deadline` (migrations) is left alone. The watchdog
also replaces the pool's pre-ping, which runs before any event can start the clock: the ping
is made in the pool's `checkout` event, under the same deadline.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

log = logging.getLogger(__name__)
TICK_S = 0.25


class SocketWatchdog:
    """Cuts the socket of any connection that has waited on the server longer than `deadline_s`."""

    def __init__(self, deadline_s: float) -> None:
        self.deadline_s = deadline_s
        self._waiting: dict[int, tuple[Any, float]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def waiting(self, dbapi_connection: Any) -> None:
        """The connection starts a round trip now."""
        with self._lock:
            self._waiting[id(dbapi_connection)] = (dbapi_connection, time.monotonic())
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="db-watchdog", daemon=True)
                self._thread.start()

    def done(self, dbapi_connection: Any) -> None:
        """The round trip ended (either way)."""
        with self._lock:
            self._waiting.pop(id(dbapi_connection), None)

    def _watch(self) -> None:
        while True:
            time.sleep(TICK_S)
            now = time.monotonic()
            with self._lock:
                late = [c for c, since in self._waiting.values() if now - since > self.deadline_s]
                for connection in late:
                    self._waiting.pop(id(connection), None)
            for connection in late:
                _cut(connection)


def _cut(dbapi_connection: Any) -> None:
    """Shut the connection's socket down, so whoever waits on it gets an error now."""
    fd = getattr(getattr(dbapi_connection, "pgconn", None), "socket", -1)
    if fd is None or fd < 0:
        return
    log.warning("the database did not answer in time: closing one connection")
    with contextlib.suppress(OSError), socket.socket(fileno=os.dup(fd)) as sock:
        sock.shutdown(socket.SHUT_RDWR)


def guard(engine: Engine, deadline_s: float) -> SocketWatchdog:
    """Put every round trip of `engine` (PostgreSQL) under the watchdog, and ping on checkout."""
    watchdog = SocketWatchdog(deadline_s)

    def start(conn: Any, *_args: Any) -> None:
        if not conn.get_execution_options().get("no_deadline"):
            watchdog.waiting(conn.connection.dbapi_connection)

    def stop(conn: Any, *_args: Any) -> None:
        watchdog.done(conn.connection.dbapi_connection)

    for name in ("before_cursor_execute", "commit", "rollback"):
        event.listen(engine, name, start)
    event.listen(engine, "after_cursor_execute", stop)
    event.listen(engine, "handle_error", lambda context: _stop_for(watchdog, context))

    @event.listens_for(engine.pool, "checkout")
    def _ping(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        watchdog.waiting(dbapi_connection)
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            if not dbapi_connection.autocommit:
                dbapi_connection.rollback()
        except Exception as problem:  # noqa: BLE001 - any failure means this connection is gone
            raise DisconnectionError(f"ping failed: {type(problem).__name__}") from None
        finally:
            watchdog.done(dbapi_connection)

    @event.listens_for(engine.pool, "checkin")
    def _idle(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            watchdog.done(dbapi_connection)

    return watchdog


def _stop_for(watchdog: SocketWatchdog, context: Any) -> None:
    connection = getattr(context, "connection", None)
    if connection is not None and connection.connection is not None:
        with contextlib.suppress(Exception):
            watchdog.done(connection.connection.dbapi_connection)
