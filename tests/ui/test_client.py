"""Who the app counts a visitor as: their address, never something a reload or a header resets."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui import client


class Headers:
    """The part of st.context.headers the app reads: case-insensitive, repeatable."""

    def __init__(self, headers: dict[str, list[str]]) -> None:
        self._headers = {name.lower(): values for name, values in headers.items()}

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self._headers.get(name.lower())
        return values[-1] if values else default

    def get_all(self, name: str) -> list[str]:
        return list(self._headers.get(name.lower(), []))


class Context:
    def __init__(self, headers: dict[str, list[str]], ip_address: str | None) -> None:
        self.headers = Headers(headers)
        self.ip_address = ip_address


def shown_key() -> None:
    import streamlit as st

    from ui.client import client_key

    st.text(client_key())


def test_a_new_session_is_counted_as_the_same_visitor() -> None:
    first = AppTest.from_function(shown_key, default_timeout=30).run()
    reloaded = AppTest.from_function(shown_key, default_timeout=30).run()
    assert first.text[0].value == reloaded.text[0].value == "local"  # AppTest has no address


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [(["6.6.6.6, 203.0.113.5"], "ip:203.0.113.5"), (["6.6.6.6", "203.0.113.5"], "ip:203.0.113.5"),
     ([], "ip:10.0.0.1")],
)  # fmt: skip
def test_behind_a_proxy_only_the_address_it_added_counts(
    monkeypatch: pytest.MonkeyPatch, forwarded: list[str], expected: str
) -> None:
    monkeypatch.setenv("CLIENT_IP_HEADER", "X-Forwarded-For")
    monkeypatch.setattr(st, "context", Context({"X-Forwarded-For": forwarded}, "10.0.0.1"))
    assert client.client_key() == expected


def test_without_a_configured_header_the_peer_address_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CLIENT_IP_HEADER", raising=False)
    monkeypatch.setattr(st, "context", Context({"X-Forwarded-For": ["6.6.6.6"]}, "203.0.113.9"))
    assert client.client_key() == "ip:203.0.113.9"
