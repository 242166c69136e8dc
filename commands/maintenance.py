"""The clock's jobs, for cron: `python -m commands.maintenance` runs the jobs that are due, once.

The app runs the same jobs in every process (services/jobs/); this is for a deployment that
prefers cron as well, or instead: a job runs at most once at a time and only when due, wherever
it runs. The jobs: delete sign-ups never confirmed within 7 days, forget attempt counters older
than a day and directory searches older than 13 months (the README says why they are kept), and
send or retry the mail that is due. `--all` runs every job now, due or not.
"""

from __future__ import annotations

import argparse

from commands._secrets import command_settings
from models.base import utcnow
from models.db import make_engine, make_session_factories, migrate
from services.jobs.catalogue import JOBS
from services.jobs.clock import holder_name, make_all_due, run_due


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m commands.maintenance", description=__doc__)
    parser.add_argument(
        "--database-url", help="target database (default: DATABASE_URL, else the local SQLite file)"
    )
    parser.add_argument("--all", action="store_true", help="run every job now, due or not")
    args = parser.parse_args(argv)
    settings = command_settings()
    engine = make_engine(args.database_url or settings.database_url)
    migrate(engine)
    _, writer = make_session_factories(engine)
    if args.all:
        with writer.begin() as session:
            make_all_due(session, JOBS, now=utcnow())
    ran = run_due(writer, JOBS, clock=utcnow, holder=holder_name(), settings=settings)
    engine.dispose()
    labels = {job.name: job.label for job in JOBS}
    for name, detail in ran.items():
        print(f"{labels[name]}: {detail}")
    if not ran:
        print("Nothing was due.")


if __name__ == "__main__":
    main()
