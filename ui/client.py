"""Who is on the other end of this session, as far as Streamlit can tell."""

from __future__ import annotations

import logging
from functools import cache

import streamlit as st

from services.accounts import throttle
from ui.db import settings

FORWARDING_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def client_key() -> str:
    """The key this visitor's attempts are counted under in the database: their address.

    The same across reloads, tabs and sessions (see services.accounts.throttle.client_key), so starting
    over gains nothing.
    """
    address = ip_address()
    if address is None and any(st.context.headers.get(h) for h in FORWARDING_HEADERS):
        _warn_proxy_header_missing()
    return throttle.client_key(address)


@cache
def _warn_proxy_header_missing() -> None:
    logging.getLogger(__name__).warning(
        "Requests come through a proxy, but [moderation] client_ip_header is not set: every "
        "visitor shares one allowance of sign-ins, codes and reports. Set it (see README)."
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def user_agent() -> str | None:
    return _text(st.context.headers.get("User-Agent"))


def ip_address() -> str | None:
    """The client's address: the last entry of the trusted proxy header when configured (earlier
    entries are whatever the client sent), else the socket's peer (None for localhost)."""
    header = settings().client_ip_header
    forwarded = st.context.headers.get_all(header) if header else []
    return throttle.client_address(forwarded=forwarded, peer=_text(st.context.ip_address))


def cookie(name: str) -> str:
    """A cookie of this page load ("" when absent, and under AppTest, whose cookies are mocks)."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) else ""
