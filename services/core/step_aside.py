"""Background work beside the pages (the relay, the clock's jobs) lets the pages go first.

They share one process: a thread that works flat out holds the GIL and both cores while a
mentee's rerun waits. After each step of its work a background thread rests `factor` times the
CPU the process's other threads used during that step (a page's rerun), at most MAX_REST_S, so
a rerun gets the GIL and the cores back; with nothing else running it never rests.
"""

from __future__ import annotations

import time

MAX_REST_S = 0.05


class StepAside:
    """Measure one step of background work (`begin`), then rest in proportion to what the
    process's other threads did meanwhile (`rest`)."""

    def __init__(self, factor: float = 4.0) -> None:
        self.factor = factor  # 0: never rest
        self.begin()

    def begin(self) -> None:
        self._own, self._everyone = time.thread_time(), time.process_time()

    def others(self) -> float:
        """CPU seconds the process's other threads used since `begin`."""
        return (time.process_time() - self._everyone) - (time.thread_time() - self._own)

    def rest(self) -> float:
        """Rest for the other threads' sake; the seconds rested. The next step begins after."""
        others = self.others()
        pause = min(MAX_REST_S, self.factor * others) if self.factor > 0 and others > 0 else 0.0
        if pause:
            time.sleep(pause)
        self.begin()
        return pause
