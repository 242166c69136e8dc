"""The chain's sealer in a thread of its own, one per process (PostgreSQL): a commit that wrote
audit rows wakes it instead of sealing them itself, and each round seals every committed row
still waiting in one transaction, so a busy process seals many writers' rows at once and no
request waits for it. Without a running sealer, a commit seals its own rows right after
(services/evidence/chain.py); SQLite seals in the writer's transaction and needs none.
`stop()` seals what is left before it returns."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from models.db import DATABASE_FAULTS
from services.evidence import chain

log = logging.getLogger("wan.audit_chain")
POLL_S = 30.0  # also seals rows a failed round left, without waiting for the next commit
STOP_WAIT_S = 15.0


class SealerThread:
    def __init__(self, bind: Engine, *, poll: float = POLL_S) -> None:
        self.bind = bind
        self.poll = poll
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="audit-sealer", daemon=True)

    def start(self) -> None:
        chain.SEALERS[self.bind.pool] = self._wake.set
        self._thread.start()

    def stop(self, timeout: float = STOP_WAIT_S) -> bool:
        """Stop, sealing what is left; False if the thread was still busy after `timeout`."""
        chain.SEALERS.pop(self.bind.pool, None)
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                sealed = chain.seal_committed(self.bind, wait=True)
            except DATABASE_FAULTS as fault:
                log.warning("audit sealer: %s; trying again in %.0f s", type(fault).__name__, self.poll)
            else:
                if sealed:
                    log.debug("audit sealer: %d rows sealed", sealed)
            if self._stopping.is_set():
                return
            self._wake.wait(self.poll)
