"""Fill a database with made-up sample mentors: `python -m commands.sample_data --mentors 1000`."""

from __future__ import annotations

import argparse
import time

from commands._secrets import command_settings
from models.base import utcnow
from models.db import make_engine, make_session_factories, migrate
from services.listings.code_of_conduct import current_code
from services.samples.mentors import insert_sample_mentors


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentors", type=int, default=120, help="how many (default 120)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--database-url", help="target database (default: DATABASE_URL, else the local SQLite file)"
    )
    args = parser.parse_args(argv)
    url = args.database_url or command_settings().database_url
    engine = make_engine(url)
    migrate(engine)
    _, writer = make_session_factories(engine)
    started = time.perf_counter()
    with writer.begin() as session:
        insert_sample_mentors(
            session, count=args.mentors, code=current_code(), now=utcnow(), seed=args.seed
        )
    print(f"Added {args.mentors:,} sample mentors in {time.perf_counter() - started:.1f} s.")
    engine.dispose()


if __name__ == "__main__":
    main()
