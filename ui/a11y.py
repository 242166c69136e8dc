"""What Streamlit has no API for, for people who use a keyboard or a screen reader.

Streamlit can't mark a field invalid, tie a message or a hint to its field, move focus, make a
region announce its changes, or say that cards form a list. A page notes what it needs while it
draws (`describe`, `live`, `card_list`, `focus`), and dashboard.py mounts one small component at the
end of the run (`mount`) whose script (ui/a11y.js, with ui/a11y_screens.js for the menu on a
phone, folded filters, icons and Escape, and ui/a11y_figures.js for charts, sparklines and
tables) sets the matching ARIA attributes and focus, and whose style (ui/a11y.css) draws a focus
ring anyone can see.

Only element keys chosen by the app travel to the script, and the names the app gives its own
graphics (`graphic`: made of its labels, dates and figures), never text a person typed; the
script only sets attributes and focus: it never writes HTML. Elements are found by the class
Streamlit gives keyed elements (`st-key-<key>`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st

HERE = Path(__file__).resolve().parent
NOTES = "_wan_a11y_notes"
SCRIPTS = ("a11y.js", "a11y_screens.js", "a11y_figures.js")  # one module, in this order


@dataclass
class Notes:
    """What this run asked for."""

    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    live: list[str] = field(default_factory=list)
    lists: list[dict[str, Any]] = field(default_factory=list)
    focus: dict[str, str] | None = None
    fold: list[str] = field(default_factory=list)
    graphics: list[dict[str, str]] = field(default_factory=list)
    mounted: bool = False
    run: int = 1  # the script can be handed an older run's notes again: it keeps the newest


@st.cache_resource(show_spinner=False)
def _component() -> Any:
    return st.components.v2.component(
        "wan.a11y",
        js="\n".join((HERE / name).read_text(encoding="utf-8") for name in SCRIPTS),
        css=(HERE / "a11y.css").read_text(encoding="utf-8"),
        isolate_styles=False,
    )


def begin() -> None:
    """Start this run's notes (dashboard.py, before the page runs), numbered in this session."""
    previous = st.session_state.get(NOTES)
    st.session_state[NOTES] = Notes(run=previous.run + 1 if isinstance(previous, Notes) else 1)


def _notes() -> Notes:
    notes = st.session_state.get(NOTES)
    if not isinstance(notes, Notes):
        notes = st.session_state[NOTES] = Notes()
    return notes


def describe(widget_key: str, *, error_key: str | None = None, hint_keys: tuple[str, ...] = ()) -> None:
    """The widget `widget_key` is described by these hints and, when invalid, by its error."""
    entry = _notes().fields.setdefault(widget_key, {"key": widget_key, "hints": [], "error": None})
    entry["hints"] = [*entry["hints"], *hint_keys]
    if error_key:
        entry["error"] = error_key


def live(container_key: str) -> None:
    """Announce changes of this container politely (a result count, a status)."""
    _notes().live.append(container_key)


def card_list(container_key: str, item_keys: list[str]) -> None:
    """These containers are the items of one list, each named by its heading."""
    _notes().lists.append({"key": container_key, "items": item_keys})


def fold_on_phone(expander_key: str) -> None:
    """Fold this expander once when it appears on a narrow screen (it opens again with a tap)."""
    _notes().fold.append(expander_key)


def graphic(container_key: str, name: str) -> None:
    """The graphic in this container (an st.metric sparkline) is one image named `name`: its
    figures in words. Its inner marks, which Vega leaves unnamed, are hidden from screen readers."""
    _notes().graphics.append({"key": container_key, "name": name})


def focus(container_key: str, *, token: str | None = None) -> None:
    """Move keyboard focus to this container once for `token` (a new token focuses again)."""
    _notes().focus = {"key": container_key, "token": token or uuid.uuid4().hex}


def focus_heading(*, token: str) -> None:
    """Move keyboard focus to the page's title (its h1) once for `token`: a new page, e.g. after
    signing in, is read from its top."""
    _notes().focus = {"key": "", "heading": "h1", "token": token}


def mount() -> None:
    """Hand this run's notes to the browser (dashboard.py, after the page ran); once per run."""
    notes = _notes()
    if notes.mounted:
        return
    notes.mounted = True
    data = {"fields": list(notes.fields.values()), "live": notes.live, "lists": notes.lists,
            "focus": notes.focus, "fold": notes.fold, "graphics": notes.graphics, "run": notes.run,
            "session": _session_id()}  # fmt: skip
    _component()(data=data, key="wan_a11y")


def _session_id() -> str:
    """A random id of this Streamlit session: a reconnected window starts counting runs again."""
    return str(st.session_state.setdefault("_wan_a11y_session", uuid.uuid4().hex))


def stop() -> NoReturn:
    """st.stop(), after handing this run's notes to the browser (nothing drawn after a stop
    reaches it, not even from dashboard.py's `finally`)."""
    mount()
    st.stop()
