"""Moderator accounts from the command line.

python -m commands.moderators add NAME        # asks for the password (or --random)
python -m commands.moderators reset NAME      # new password; ends their open sessions
python -m commands.moderators hash            # an Argon2 hash for [moderators] in secrets.toml
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys

from commands._secrets import command_settings
from models.base import utcnow
from models.db import make_engine, make_session_factories, migrate
from services.accounts.auth import add_moderator, hash_password, password_problems, reset_password
from services.listings.owner import InvalidSubmission


def _password(random: bool) -> str:
    if random:
        return secrets.token_urlsafe(18)
    while True:
        password = getpass.getpass("Password (12 characters or more): ")
        if problem := password_problems(password):
            print(problem, file=sys.stderr)
            continue
        if getpass.getpass("Same again: ") == password:
            return password
        print("The two passwords differ; try again.", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("add", "reset", "hash"))
    parser.add_argument("username", nargs="?")
    parser.add_argument(
        "--random", action="store_true", help="generate a password and print it once"
    )
    parser.add_argument("--database-url", help="default: DATABASE_URL, else the local SQLite file")
    args = parser.parse_args(argv)
    if args.command == "hash":
        print(hash_password(_password(args.random)))
        return 0
    if not args.username:
        parser.error("a username is needed")
    password = _password(args.random)
    engine = make_engine(args.database_url or command_settings().database_url)
    migrate(engine)
    _, writer = make_session_factories(engine)
    try:
        with writer.begin() as session:
            if args.command == "add":
                add_moderator(session, username=args.username, password=password, now=utcnow())
            else:
                reset_password(session, username=args.username, password=password, now=utcnow())
    except InvalidSubmission as problem:
        print("; ".join(problem.errors.values()), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    done = "added" if args.command == "add" else "has a new password"
    print(
        f"Moderator {args.username.strip().casefold()} {done}."
        + (f" Password: {password}" if args.random else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
