"""Who is on the other end of this session, as far as Streamlit can tell."""

from __future__ import annotations

import secrets

import streamlit as st

from ui.db import settings


def client_key() -> str:
    """A random id for this browser session, used to count its attempts in the database."""
    if "client_key" not in st.session_state:
        st.session_state["client_key"] = secrets.token_hex(16)
    return str(st.session_state["client_key"])


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def user_agent() -> str | None:
    return _text(st.context.headers.get("User-Agent"))


def ip_address() -> str | None:
    """The client's address: the trusted proxy header when configured, else the socket's peer."""
    header = settings().client_ip_header
    if header:
        forwarded = _text(st.context.headers.get(header)) or ""
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return _text(st.context.ip_address)
