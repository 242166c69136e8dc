"""What each process does once at start and once at stop (server/assembly.py's lifespan).

Start: refuse a deployment with nowhere to send mail (it would promise mails it can't send);
open the engine, which migrates the database to head once per process (PostgreSQL replicas take
turns through an advisory lock, models/db.py); start the mail relay's thread, the clock's
(services/jobs/) and, on PostgreSQL, the audit chain's sealer (services/evidence/sealer.py).
Stop: stop the clock (the job in hand finishes) and the relay (the mail in hand is finished and
recorded, the rest handed back), then the sealer (what is left is sealed), write the directory
searches still waiting in the buffer.
"""

from __future__ import annotations

import logging

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
    log.info("stopped; %d waiting searches written", written)
