"""Scheduled upkeep, for cron: `python -m commands.maintenance` (once a day is plenty).

Forgets what the app keeps only for a while: directory searches older than 13 months (the
README says why they are kept), throttle counters older than a day, and sign-ups whose address
was never confirmed within 7 days (deleted by the system: profile and contact data blanked). Streamlit has no
scheduler of its own, and threads started in the app can start twice: this is the one place.
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from commands._secrets import command_settings
from models.base import utcnow
from models.db import make_engine, make_session_factories, migrate
from services.accounts import throttle
from services.directory.search_log import RETENTION_MONTHS, prune_searches
from services.listings.confirmation import drop_unconfirmed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m commands.maintenance", description=__doc__)
    parser.add_argument(
        "--database-url", help="target database (default: DATABASE_URL, else the local SQLite file)"
    )
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or command_settings().database_url)
    migrate(engine)
    _, writer = make_session_factories(engine)
    now = utcnow()
    with writer.begin() as session:
        searches = prune_searches(session, now=now)
        throttle.forget_older_than(session, cutoff=now - timedelta(days=1))
        unconfirmed = drop_unconfirmed(session, now=now)
    engine.dispose()
    print(f"Forgot {searches:,} directory searches older than {RETENTION_MONTHS} months.")
    print(f"Deleted {unconfirmed:,} sign-ups never confirmed within 7 days.")


if __name__ == "__main__":
    main()
