"""Moderator accounts from the command line.

python -m commands.moderators add NAME        # asks for the password (or --random)
python -m commands.moderators reset NAME      # new password; ends their open sessions
python -m commands.moderators hash            # an Argon2 hash for [moderators] in secrets.toml
python -m commands.moderators totp NAME       # second factor: a QR code for an authenticator
                                              # app and 10 recovery codes, shown once
python -m commands.moderators totp NAME --remove   # no second factor any more
python -m commands.moderators display-name NAME "Alex Moreau"   # what reporters see when they
                                              # keep a moderator off their case ("" for none)
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from collections.abc import Mapping

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands._secrets import command_settings, read_secrets
from models import Moderator
from models.base import utcnow
from models.db import make_engine, make_session_factories, migrate
from services.accounts import second_factor
from services.accounts.auth import (
    add_moderator,
    hash_password,
    normalise_username,
    password_problems,
    reset_password,
)
from services.core.refusals import InvalidSubmission
from services.reports.conflicts import set_display_name


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


def _moderator_id(session: Session, name: str, secret_hashes: Mapping[str, str]) -> int | None:
    """The account's id; one kept in the secrets that never signed in gets its row now."""
    found = session.scalar(select(Moderator.id).where(Moderator.username == name))
    if found is not None or name not in secret_hashes:
        return found
    moderator = Moderator(username=name, password_hash=None, created_at=utcnow())
    session.add(moderator)
    session.flush()
    return moderator.id


def _second_factor(
    writer: sessionmaker[Session], username: str, *, remove: bool, secret_hashes: Mapping[str, str]
) -> int:
    name = normalise_username(username)
    secret = second_factor.new_secret()
    with writer.begin() as session:
        moderator_id = _moderator_id(session, name, secret_hashes)
        if moderator_id is None:
            print(f"There is no moderator called {name}.", file=sys.stderr)
            return 1
        had_one = second_factor.has_second_factor(session, moderator_id)
        if remove:
            second_factor.remove(session, moderator_id=moderator_id, now=utcnow())
        else:
            codes = second_factor.enrol(
                session, moderator_id=moderator_id, secret=secret, now=utcnow()
            )
    if remove:
        print(
            f"Moderator {name} " + ("no longer has a" if had_one else "had no") + " second factor."
        )
        return 0
    if had_one:
        print(f"This replaces {name}'s earlier second factor and recovery codes.")
    uri = second_factor.provisioning_uri(secret, name)
    print(f"Scan this with an authenticator app, or enter the address by hand:\n{uri}\n")
    segno.make(uri).terminal(compact=True)
    print(f"\nRecovery codes for {name}, each good once in place of a code from the app.")
    print("They are shown only now: keep them somewhere safe.")
    print("\n".join(f"  {code}" for code in codes))
    return 0


def _display_name(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url or command_settings().database_url)
    migrate(engine)
    _, writer = make_session_factories(engine)
    try:
        with writer.begin() as session:
            set_display_name(session, username=args.username.strip().casefold(),
                             display_name=args.display_name or "")  # fmt: skip
    except InvalidSubmission as problem:
        print("; ".join(problem.errors.values()), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    name = " ".join((args.display_name or "").split())
    print(f"Moderator {args.username.strip().casefold()}: reporters see "
          + (f'"{name}".' if name else "no name: they can't be kept off a case."))  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("add", "reset", "hash", "totp", "display-name"))
    parser.add_argument("username", nargs="?")
    parser.add_argument("display_name", nargs="?", help="display-name: the name reporters see")
    parser.add_argument(
        "--random", action="store_true", help="generate a password and print it once"
    )
    parser.add_argument("--remove", action="store_true", help="totp: take the second factor away")
    parser.add_argument("--database-url", help="default: DATABASE_URL, else the local SQLite file")
    args = parser.parse_args(argv)
    if args.command == "hash":
        print(hash_password(_password(args.random)))
        return 0
    if not args.username:
        parser.error("a username is needed")
    if args.command == "display-name":
        return _display_name(args)
    password = _password(args.random) if args.command != "totp" else ""
    engine = make_engine(args.database_url or command_settings().database_url)
    migrate(engine)
    _, writer = make_session_factories(engine)
    if args.command == "totp":
        try:
            return _second_factor(writer, args.username, remove=args.remove,
                                  secret_hashes=read_secrets().get("moderators", {}))  # fmt: skip
        finally:
            engine.dispose()
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
