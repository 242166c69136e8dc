"""Background work beside the pages (the relay, the clock's jobs) lets the pages go first.

They share one process: a thread that works flat out holds the GIL and both cores while a
mentee's rerun waits. So background work goes in small steps, and between two steps it

1. waits while a page's rerun is running in this process (`foreground()`, which the app's frame
   wraps around every rerun), for at most MAX_WAIT_S per step, so that pages busy without a
   break slow background work down but never stop it;
2. rests at least `factor` times the CPU the process's other threads used during its step
   (a rerun's script, or what it leaves to do after it: sending the page), at most MAX_REST_S.

With nothing else running it never waits. Their threads also ask the operating system for a lower
priority (`lower_priority`), so a rerun gets a core first when both want one.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator

MAX_REST_S = 0.05
MAX_WAIT_S = 0.25
BACKGROUND_NICENESS = 10  # added to the process's own: 0 is as the pages, 19 the lowest

_running = 0  # reruns of this process under way
_quiet = threading.Condition()


@contextlib.contextmanager
def foreground() -> Iterator[None]:
    """A page's rerun: background work of this process waits for it between its steps."""
    global _running
    with _quiet:
        _running += 1
    try:
        yield
    finally:
        with _quiet:
            _running -= 1
            if not _running:
                _quiet.notify_all()


def lower_priority() -> int | None:
    """Lower the calling thread's CPU priority by BACKGROUND_NICENESS (on Linux a thread has a nice
    value of its own); its new nice value, or None where threads can't have one."""
    if not hasattr(os, "setpriority") or not hasattr(threading, "get_native_id"):
        return None
    thread = threading.get_native_id()
    with contextlib.suppress(OSError):
        niceness = min(19, os.getpriority(os.PRIO_PROCESS, thread) + BACKGROUND_NICENESS)
        os.setpriority(os.PRIO_PROCESS, thread, niceness)
        return os.getpriority(os.PRIO_PROCESS, thread)
    return None


def reruns_running() -> int:
    return _running


def wait_for_pages(limit: float = MAX_WAIT_S) -> float:
    """Wait until no rerun of this process is running, for at most `limit` seconds; the seconds
    waited."""
    started = time.monotonic()
    with _quiet:
        _quiet.wait_for(lambda: not _running, timeout=limit)
    return time.monotonic() - started


class StepAside:
    """Measure one step of background work (`begin`), then let the pages go first (`rest`)."""

    def __init__(self, factor: float = 4.0) -> None:
        self.factor = factor  # 0: never wait or rest
        self.begin()

    def begin(self) -> None:
        self._own, self._everyone = time.thread_time(), time.process_time()

    def others(self) -> float:
        """CPU seconds the process's other threads used since `begin`."""
        return (time.process_time() - self._everyone) - (time.thread_time() - self._own)

    def rest(self) -> float:
        """Let the pages go first: wait for the reruns under way, and rest at least `factor`
        times what the other threads did during the step; the seconds waited and rested. The
        next step begins after."""
        if self.factor <= 0:
            self.begin()
            return 0.0
        others = self.others()
        pause = min(MAX_REST_S, self.factor * others) if others > 0 else 0.0
        waited = wait_for_pages() if _running else 0.0
        if pause > waited:
            time.sleep(pause - waited)
        self.begin()
        return max(pause, waited)
