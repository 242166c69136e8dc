"""Leave the Streamlit app for one of the server's own pages (the sign-in form) in this tab.

Streamlit's links and link buttons open other URLs in a new tab; a moderator asked to sign in
should stay in theirs. The path is ours (a constant and a console page's own path), never text a
person typed, and the script follows only a path of this site.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

import streamlit as st


@st.cache_resource(show_spinner=False)
def _component() -> Any:
    from pathlib import Path

    js = (Path(__file__).resolve().parent / "go_to.js").read_text(encoding="utf-8")
    return st.components.v2.component("wan.go_to", js=js)


def sign_in_url(next_path: str, *, ended: bool = False) -> str:
    query = {"next": next_path, **({"ended": "timeout"} if ended else {})}
    return "/sign-in?" + urlencode(query)


def go_to(path: str) -> None:
    """Send this tab to `path` (once for this request)."""
    _component()(
        data={"path": path, "token": uuid.uuid4().hex}, key=f"wan_go_to_{uuid.uuid4().hex}"
    )


def _ask(key: str) -> None:
    st.session_state[f"{key}_asked"] = True


def go_button(label: str, path: str, *, key: str, at_once: bool = False, **button: Any) -> None:
    """A button that takes this tab to `path` on the rerun its click starts (a callback can't
    draw the component that navigates); with `at_once`, this run goes there already."""
    if st.session_state.pop(f"{key}_asked", False) or at_once:
        go_to(path)
    st.button(label, key=key, on_click=_ask, args=(key,), **button)
