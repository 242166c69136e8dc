"""What each process does once at start and once at stop (server/assembly.py's lifespan).

Start: open the engine, which migrates the database to head once per process (PostgreSQL
replicas take turns through an advisory lock, models/db.py). Stop: write the directory searches
still waiting in the buffer, then release the engine. Later work (a mail relay, a clock) starts
and stops here too.
"""

from __future__ import annotations

import logging

from ui import db
from ui.search_noting import search_buffer

log = logging.getLogger("wan.server")


def start() -> None:
    db.writer()  # creating the engine migrates it (ui/db.py)
    log.info("database ready")


def stop() -> None:
    written = search_buffer().flush()
    log.info("stopped; %d waiting searches written", written)
