"""Send the mail that is due, then exit: `python -m commands.send_mail`.

Every app process already runs a relay (server/lifespan_work.py), so this is for a deployment
that prefers to send from cron or from a worker of its own:

- cron: `* * * * * cd /srv/wan && .venv/bin/python -m commands.send_mail` sends what is due
  each minute; mails that failed for now wait for their next try (a later run sends them).
- a worker of its own: `python -m commands.send_mail --watch` keeps sending until SIGTERM or
  Ctrl+C, looking for due mail every couple of seconds.

Relays in several processes (the app's and these) share the queue safely: each mail is claimed
by one relay at a time. It reads the same settings as the app (SMTP_URL or MAIL_DIR, MAIL_FROM,
SITE_URL; environment first, then .streamlit/secrets.toml) and prints counts, never addresses.
"""

from __future__ import annotations

import argparse
import signal
import sys

from sqlalchemy.orm import Session, sessionmaker

from commands._secrets import command_settings
from models.db import make_engine, make_session_factories, migrate
from services.core.settings import Settings
from services.mail.sending import RelayThread, mail_refusal, relay_config, send_due
from services.mail.transport import transport_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m commands.send_mail", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument(
        "--database-url", help="target database (default: DATABASE_URL, else the local SQLite file)"
    )
    parser.add_argument("--watch", action="store_true", help="keep sending until stopped")
    args = parser.parse_args(argv)
    settings = command_settings()
    refusal = mail_refusal(settings)
    if refusal:
        print(f"Not sending. {refusal}", file=sys.stderr)
        return 2
    engine = make_engine(args.database_url or settings.database_url)
    migrate(engine)
    _, writer = make_session_factories(engine)
    try:
        if args.watch:
            _watch(writer, settings)
            return 0
        tally = send_due(writer, transport_for(settings.smtp_url, settings.mail_dir),
                         relay_config(settings))  # fmt: skip
    finally:
        engine.dispose()
    print(f"Mail: {tally.describe()}.")
    return 0


def _watch(writer: sessionmaker[Session], settings: Settings) -> None:
    relay = RelayThread(writer, lambda: transport_for(settings.smtp_url, settings.mail_dir),
                        relay_config(settings))  # fmt: skip

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    relay.start()
    print("Sending mail as it falls due (Ctrl+C stops).", flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        relay.stop()


if __name__ == "__main__":
    sys.exit(main())
