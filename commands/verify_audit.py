"""Check the audit log's hash chain: `python -m commands.verify_audit`.

Seals the rows still waiting to join the chain (if a sealer failed), then walks every row of the
audit log in its chain order and recomputes each hash (what is hashed: services/evidence/chain.py). Prints the chain's head when it is intact (exit code 0), or the
first row that doesn't match and why (exit code 1): a row changed, deleted or moved by anyone
who could write the table, or a row written past the chain. The clock runs the same check daily
and mails the contact address if it fails; the console's Audit log page shows the last result.
"""

from __future__ import annotations

import argparse
import sys

from commands._secrets import command_settings
from models.db import make_engine, make_session_factories, migrate
from services.evidence.verify import seal_and_verify


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m commands.verify_audit", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument(
        "--database-url", help="target database (default: DATABASE_URL, else the local SQLite file)"
    )
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or command_settings().database_url)
    migrate(engine)
    _, writer = make_session_factories(engine)
    verdict = seal_and_verify(writer)
    engine.dispose()
    print(verdict.describe(), file=sys.stdout if verdict.intact else sys.stderr)
    return 0 if verdict.intact else 1


if __name__ == "__main__":
    sys.exit(main())
