"""Start the app: migrate the database, add sample data to a new local one, then serve it.

Sample data goes only into the embedded SQLite default, never into a database given through
DATABASE_URL. Extra arguments are passed on to `streamlit run server/app.py` (e.g.
`--server.port 8600`).
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commands._secrets import command_settings
from models import Mentor, Moderator
from models.base import utcnow
from models.db import PROJECT_ROOT, make_engine, make_session_factories, migrate
from services.accounts import throttle
from services.accounts.auth import add_moderator
from services.core.settings import DEFAULT_SITE_URL, Settings
from services.directory.search_log import prune_searches
from services.listings.code_of_conduct import current_code
from services.mail.sending import mail_refusal
from services.samples.mentors import insert_sample_mentors
from services.samples.transparency import publish_sample_quarters
from services.samples.year import insert_sample_year

SAMPLE_MENTORS = 120
SAMPLE_MODERATOR = "sample-moderator"


def prepare_database() -> None:
    """Migrate to head; fill a brand-new embedded database with clearly marked sample data."""
    settings = command_settings()
    engine = make_engine(settings.database_url)
    migrate(engine)
    _, writer = make_session_factories(engine)
    with writer.begin() as session:  # throttling only looks back minutes; keep a day for forensics
        throttle.forget_older_than(session, cutoff=utcnow() - timedelta(days=1))
        prune_searches(session, now=utcnow())
    if settings.uses_embedded_default:
        with writer.begin() as session:
            new = not session.scalar(select(func.count()).select_from(Mentor))
            if new:
                insert_sample_mentors(
                    session, count=SAMPLE_MENTORS, code=current_code(), now=utcnow()
                )
            moderator_id = None
            if not session.scalar(select(func.count()).select_from(Moderator)):
                moderator_id = _add_sample_moderator(session)
            if new:  # the sample take-downs are the sample moderator's (if there is one)
                moderator_id = moderator_id or session.scalar(
                    select(Moderator.id).where(Moderator.username == SAMPLE_MODERATOR)
                )
                year = insert_sample_year(session, now=utcnow(), moderator_id=moderator_id)
                published = publish_sample_quarters(
                    session, now=utcnow(), moderator_id=moderator_id
                )
                print(
                    f"Added {SAMPLE_MENTORS} made-up sample mentors and a made-up year of history "
                    f"({year.reports} reports, {year.searches:,} searches) to the local database."
                )
                if published:
                    print(
                        f"Published the sample quarters {', '.join(published)} on Reports and outcomes."
                    )
    engine.dispose()


def _add_sample_moderator(session: Session) -> int:
    """For the local sample setup only: a moderator with a random password, printed once."""
    password = secrets.token_urlsafe(12)
    moderator = add_moderator(session, username=SAMPLE_MODERATOR, password=password, now=utcnow())
    print(
        "\nLocal sample setup: a moderator account was created for you.\n"
        f"  username: {SAMPLE_MODERATOR}\n  password: {password}\n"
        f"It is shown only this once. Lost it? python -m commands.moderators reset {SAMPLE_MODERATOR}\n"
    )
    return moderator.id


def serve(args: list[str]) -> None:
    """The app's own server (server/app.py: st.App around dashboard.py, with our routes,
    middleware and lifespan) in this process, through `streamlit run`, which reads the
    `--server.*` options and serves it with uvicorn."""
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(PROJECT_ROOT / "server" / "app.py"), *args]
    cli.main()


def local_address(args: list[str], environ: Mapping[str, str] = os.environ) -> str:
    """Where the app will answer, as Streamlit reads its port: the command line's
    `--server.port`, else STREAMLIT_SERVER_PORT, else 8501 (config.toml sets none)."""
    port = environ.get("STREAMLIT_SERVER_PORT") or "8501"
    for index, arg in enumerate(args):
        if arg == "--server.port" and index + 1 < len(args):
            port = args[index + 1]
        elif arg.startswith("--server.port="):
            port = arg.partition("=")[2]
    return f"http://localhost:{port}"


def where_mail_goes(settings: Settings) -> str:
    """One line on where mail goes; SystemExit (status 1) with what to set when it can't go."""
    refusal = mail_refusal(settings)
    if refusal:
        raise SystemExit(f"Not starting. {refusal}")
    if settings.smtp_url:
        return "Mail goes out through the SMTP server in SMTP_URL."
    return (f"Mail is not sent: each mail is written as a .eml file to {settings.mail_dir} "
            "(set SMTP_URL to send it).")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    mail = where_mail_goes(command_settings())
    prepare_database()
    print(mail, flush=True)
    os.chdir(PROJECT_ROOT)
    # The links in mails lead here unless the operator says where the site is.
    if "SITE_URL" not in os.environ and command_settings().site_url == DEFAULT_SITE_URL:
        os.environ["SITE_URL"] = local_address(args)
    print(f"Starting We Are Next Mentors: {local_address(args)} (Ctrl+C stops it).", flush=True)
    serve(args)


if __name__ == "__main__":
    main()
