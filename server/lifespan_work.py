"""What each process does once at start and once at stop (server/assembly.py's lifespan).

Start: refuse a deployment with nowhere to send mail (it would promise mails it can't send);
open the engine, which migrates the database to head once per process (PostgreSQL replicas take
turns through an advisory lock, models/db.py); start the mail relay's thread, the clock's
(services/jobs/) and, on PostgreSQL, the audit chain's sealer (services/evidence/sealer.py);
then keep what lives as long as the process out of Python's full collections (`settle_heap`).
Stop: stop the clock (the job in hand finishes) and the relay (the mail in hand is finished and
recorded, the rest handed back), then the sealer (what is left is sealed), write the directory
searches still waiting in the buffer.
"""

from __future__ import annotations

import gc
import importlib
import logging
import pkgutil

from models.base import utcnow
from services.core.settings import MailNotConfigured
from services.evidence.sealer import SealerThread
from services.jobs.catalogue import JOBS
from services.jobs.clock import ClockThread
from services.mail.sending import RelayThread, mail_refusal, relay_config
from services.mail.transport import transport_for
from ui import db
from ui.search_noting import search_buffer

log = logging.getLogger("wan.server")
_relay: RelayThread | None = None
_clock: ClockThread | None = None
_sealer: SealerThread | None = None


def start() -> None:
    global _relay, _clock, _sealer
    settings = db.settings()
    refusal = mail_refusal(settings)
    if refusal:
        log.error("not starting: %s", refusal)
        raise MailNotConfigured(refusal)
    writer = db.writer()  # creating the engine migrates it (ui/db.py)
    log.info("database ready")
    _relay = RelayThread(writer, lambda: transport_for(settings.smtp_url, settings.mail_dir),
                         relay_config(settings))  # fmt: skip
    _relay.start()
    log.info("mail relay started (%s)", "SMTP" if settings.smtp_url else "a folder of .eml files")
    _clock = ClockThread(writer, JOBS, clock=utcnow, settings=settings)
    _clock.start()
    bind = writer.kw["bind"]
    if bind.dialect.name == "postgresql":  # SQLite seals in each writer's own transaction
        _sealer = SealerThread(bind)
        _sealer.start()
    settle_heap()


def settle_heap() -> None:
    """Take what lives as long as the process out of Python's full garbage collections.

    A full collection walks every object the process tracks and holds every thread meanwhile: a
    worker serving Find a mentor spent 140-320 ms in each, one every 20-40 s (benchmarks.freshness,
    2026-12-08), and each rerun under way waited that out. Most of those objects are the modules
    and what they build at import, which are never garbage. So the rules (services/) and the
    libraries the pages draw with are imported now, not at a visitor's first rerun, and everything
    alive is collected once and frozen (gc.freeze): later collections walk only what came after.
    Frozen objects are still freed when nothing refers to them; only a cycle among them would stay.
    """
    import altair  # noqa: F401 - the console's charts; imported here to be frozen with the rest
    import pandas  # noqa: F401 - the pages' tables

    import services

    for module in pkgutil.walk_packages(services.__path__, "services."):
        importlib.import_module(module.name)
    gc.collect()
    gc.freeze()


def stop() -> None:
    global _relay, _clock, _sealer
    if _clock is not None:
        _clock.stop()
        _clock = None
    if _relay is not None:
        _relay.stop()
        _relay = None
    if _sealer is not None:  # last: it seals what the others wrote
        _sealer.stop()
        _sealer = None
    written = search_buffer().flush()
    gc.unfreeze()  # a process that starts again (the tests) freezes afresh
    log.info("stopped; %d waiting searches written", written)
