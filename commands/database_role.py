"""The PostgreSQL role the app runs as: it may read and write its rows, and nothing more.

The role that owns the tables (the one migrations run as) could drop the append-only triggers of
the audit log, the histories, the signatures and the Code versions. The app itself must not be
able to: it connects as a role that owns nothing, may only SELECT and INSERT on those write-once
tables (and set an audit row's three hash-chain columns, which the trigger allows once), and may
not alter any table. Run as the owner (e.g. in the same DATABASE_URL that runs
migrations):

    python -m commands.database_role wan_app --schema public            # prints the SQL
    python -m commands.database_role wan_app --schema public --apply    # runs it

Set the new role's password yourself (ALTER ROLE wan_app PASSWORD ...), then give the app
DATABASE_URL=postgresql://wan_app:...@host/db, and keep the owner's URL for migrations
(`alembic upgrade head` or `python -m commands.start` run once as the owner).
"""

from __future__ import annotations

import argparse
import re

from sqlalchemy import text

from commands._secrets import command_settings
from models import Base
from models.db import make_engine

# Rows that are only ever added (triggers refuse UPDATE and DELETE, migrations 0001 and 0002).
WRITE_ONCE_TABLES = ("audit_events", "code_versions", "signatures", "listing_events", "report_events")
SEAL_COLUMNS = ("chain_seq", "prev_hash", "row_hash")  # services/evidence/chain.py
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str, *, schema: str) -> list[str]:
    """The SQL that creates `role` (if missing) with only the privileges the app needs."""
    for name in (role, schema):
        if not IDENTIFIER.match(name):
            raise ValueError(f"{name!r} is not a plain lowercase identifier")
    tables = sorted(Base.metadata.tables)
    writable = [t for t in tables if t not in WRITE_ONCE_TABLES]
    append_only = [t for t in tables if t in WRITE_ONCE_TABLES]
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT; END IF; END $$",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {role}",
        *(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.{t} TO {role}" for t in writable),
        *(f"REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.{t} FROM {role}" for t in append_only),
        *(f"GRANT SELECT, INSERT ON {schema}.{t} TO {role}" for t in append_only),
        # Sealing a row into the audit log's hash chain, once (the trigger refuses the rest).
        f"GRANT UPDATE ({', '.join(SEAL_COLUMNS)}) ON {schema}.audit_events TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"GRANT SELECT ON {schema}.alembic_version TO {role}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("role", help="the role the app will connect as, e.g. wan_app")
    parser.add_argument("--schema", default="public", help="the app's schema (default: public)")
    parser.add_argument("--apply", action="store_true", help="run the SQL (as the tables' owner)")
    parser.add_argument("--database-url", help="the owner's URL (default: DATABASE_URL)")
    args = parser.parse_args(argv)
    statements = grant_statements(args.role, schema=args.schema)
    if not args.apply:
        print(";\n".join(statements) + ";")
        return
    engine = make_engine(args.database_url or command_settings().database_url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()
    print(f"Role {args.role} may now read and write the app's rows in schema {args.schema}, and no more.")


if __name__ == "__main__":
    main()
