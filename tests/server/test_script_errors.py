"""A page script that fails: the person reads our short message, the log gets the page and the
error's type, never what was typed."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest


def failing_page() -> None:
    from server.assembly import on_script_error

    try:
        raise ValueError("jane.private@example.org typed this")
    except ValueError as error:
        on_script_error(error)


def test_a_failed_script_shows_our_message_and_logs_only_the_type(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="wan.server"):
        app = AppTest.from_function(failing_page, default_timeout=30).run()
    assert "Something went wrong on this page" in app.error[0].value and not app.exception
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "ValueError" in logged and "jane.private" not in logged
