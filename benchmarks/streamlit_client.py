"""A headless Streamlit client: one browser session, spoken over Streamlit's own websocket protocol.

It sends what the browser sends (a `rerun_script` BackMsg carrying the widgets' values) and reads
ForwardMsgs until that run's `script_finished`, the way ../shared/floor/server_floor.py does. It
learns the widgets (id, kind, options) from the elements each run sends, so a filter is changed
by its label, exactly as a person would pick it, whatever the page looks like today.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FILTER_KINDS = ("multiselect", "selectbox", "checkbox")
RUN_TIMEOUT_S = 120.0


class ProtocolError(RuntimeError):
    """The server did not answer the way a Streamlit server does."""


@dataclass(frozen=True)
class Widget:
    id: str
    kind: str  # multiselect | selectbox | checkbox
    label: str
    options: tuple[str, ...] = ()


@dataclass
class RunResult:
    seconds: float
    signature: str  # a digest of what the run showed, widgets left out
    elements: int
    exceptions: list[str] = field(default_factory=list)
    status: str = ""


def widget_value(widget: Widget, value: Any) -> WidgetState:
    """The WidgetState the browser sends for `value` (option labels as the widget shows them)."""
    state = WidgetState(id=widget.id)
    if widget.kind == "multiselect":
        state.string_array_value.data.extend(value)
    elif widget.kind == "selectbox":
        if value is not None:
            state.string_value = value
    elif widget.kind == "checkbox":
        state.bool_value = bool(value)
    else:
        raise ValueError(f"can't set a {widget.kind}")
    return state


class Session:
    """One websocket session with a Streamlit server."""

    def __init__(
        self, host: str, port: int, *, path: str = "", headers: dict[str, str] | None = None
    ):
        self.host, self.port, self.path = host, port, path.strip("/")
        self.headers = headers or {}
        self.ws: Any = None
        self.widgets: dict[str, Widget] = {}  # by label
        self.query_string = ""  # the URL's query, as the server last set it (bound widgets)

    async def connect(self) -> RunResult:
        """Open the websocket and run the page once, as a browser does when it arrives."""
        base = f"{self.host}:{self.port}"
        self.ws = await websockets.connect(
            f"ws://{base}/{self.path + '/' if self.path else ''}_stcore/stream",
            subprotocols=["streamlit"],
            origin=f"http://{base}",
            additional_headers=self.headers,
            max_size=None,
            open_timeout=60,
            ping_interval=None,
        )
        return await self.rerun({})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def widget(self, label: str) -> Widget:
        try:
            return self.widgets[label]
        except KeyError:
            raise ProtocolError(
                f"no filter widget labelled {label!r} on the page; seen: {sorted(self.widgets)}"
            ) from None

    async def rerun(self, values: dict[str, Any]) -> RunResult:
        """Rerun with the widgets labelled in `values` set; returns when the run has finished."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query_string
        for label, value in values.items():
            msg.rerun_script.widget_states.widgets.append(widget_value(self.widget(label), value))
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        return await self._read_run(started)

    async def _read_run(self, started: float) -> RunResult:
        digest, count, exceptions = hashlib.blake2b(digest_size=12), 0, []
        while True:
            raw = await self.ws.recv()
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                count += 1
                element = fm.delta.new_element
                element_kind = element.WhichOneof("type")
                if element_kind in FILTER_KINDS:
                    self._learn(element_kind, getattr(element, element_kind))
                elif element_kind == "exception":
                    exceptions.append(element.exception.message)
                elif element_kind not in ("button", "text_input", "pagination"):
                    digest.update(fm.hash.encode() or element.SerializeToString())
            elif kind == "page_info_changed":
                self.query_string = fm.page_info_changed.query_string
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished)
                return RunResult(
                    time.perf_counter() - started, digest.hexdigest(), count, exceptions, status
                )

    def _learn(self, kind: str, proto: Any) -> None:
        options = tuple(proto.options) if kind != "checkbox" else ()
        self.widgets[proto.label] = Widget(proto.id, kind, proto.label, options)
