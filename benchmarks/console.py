"""What a moderation page costs as the collective grows: `python -m benchmarks.console`.

Fills two SQLite databases, a small one (1,000 mentors, 100 reports) and a big one (100,000
mentors, 10,000 reports, some of them worked by a moderator; the moderator has declared a conflict
with the mentor of every 20th report, and every 10th reporter kept them off their case, so every
console query filters those out), signs a moderator in (a session
token as the server's sign-in form makes one, handed to Streamlit's AppTest), and times a rerun
of every page of the console (ui/navigation.py MODERATION_PAGES) on each. A console page should cost what it shows, not what the database
holds: the target is at most 1.5x the small database's time on the big one.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from models import Mentor, Report
from models.base import utcnow
from models.db import PROJECT_ROOT, make_engine, make_session_factories, migrate
from services.accounts import auth
from services.accounts.auth import add_moderator
from services.core.vocabulary import ListingStatus
from services.listings.code_of_conduct import current_code
from services.reports import conflicts
from services.reports.intake import REPORTABLE, ReportInput, file_report
from services.reports.moderation import act_on_report
from services.reports.report_lifecycle import ReportAction
from services.samples.mentors import insert_sample_mentors
from ui import gate
from ui.navigation import MODERATION_PAGES

PASSWORD = "benchmark password"  # noqa: S105 - a made-up account in a throwaway database
TARGET_RATIO = 1.5


def fill(path: Path, mentors: int, reports: int) -> None:
    """A database with sample mentors, reports about some of them, and a moderator."""
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    _, writer = make_session_factories(engine)
    now = utcnow()
    with writer.begin() as session:
        insert_sample_mentors(session, count=mentors, code=current_code(), now=now)
        moderator = add_moderator(session, username="bench", password=PASSWORD, now=now)
        other = add_moderator(session, username="other", password=PASSWORD, now=now)
        for name in ("bench", "other"):
            conflicts.set_display_name(session, username=name, display_name=name.title())
    with writer.begin() as session:
        listed = session.scalars(
            select(Mentor.id).where(Mentor.status == ListingStatus.LISTED.value).order_by(Mentor.id)
        ).all()
        for number in range(reports):
            category = REPORTABLE[number % len(REPORTABLE)]
            receipt = file_report(session, client_key=f"ip:bench-{number}", now=now, report=ReportInput(
                mentor_id=listed[number * 7 % len(listed)], category=category.value, reporter_role="mentee",
                description=f"Report number {number} for the benchmark.",
                excluded_moderators=(moderator.id,) if number % 10 == 5 else ()))  # fmt: skip
            if number % 3 == 0:  # a third of them worked on
                report_id = session.scalar(
                    select(Report.id).where(Report.reference == receipt.reference)
                )
                act_on_report(session, report_id=report_id or 0,
                              expected_version=None, action=ReportAction.START_REVIEW,
                              moderator=other if number % 10 == 5 else moderator, now=now)  # fmt: skip
            if number % 20 == 0:
                conflicts.declare_conflict(session, mentor_id=listed[number * 7 % len(listed)],
                                           moderator=moderator, now=now)  # fmt: skip
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def session_token(path: Path) -> str:
    """A moderator session on this database, as the server's sign-in form makes one."""
    engine = make_engine(f"sqlite:///{path}")
    granted = auth.sign_in(make_session_factories(engine)[1].begin, username="bench",
                           password=PASSWORD, client_key="bench", secret_hashes={}, now=utcnow())  # fmt: skip
    engine.dispose()
    if granted is None:
        raise RuntimeError("the benchmark's moderator could not sign in")
    return granted.token


@contextmanager
def timing_the_session_check(samples: dict[str, list[float]]) -> Iterator[None]:
    """Time, inside each rerun, what the session cookie brought: reading the token
    (gate.session_token), the whole session check with its database read (gate.signed_in, whose
    read was there before the cookie too) and the idle-timeout warning
    (ui.session_timer.timeout_warning, as the gate calls it). Whole reruns differ by more than that from one to the next."""
    originals = {"token": (gate, "session_token"), "session check": (gate, "signed_in"),
                 "timeout warning": (gate, "timeout_warning")}  # fmt: skip
    saved = {name: getattr(module, attribute) for name, (module, attribute) in originals.items()}

    def timed(name: str) -> Any:
        def run(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return saved[name](*args)
            finally:
                samples.setdefault(name, []).append((time.perf_counter() - started) * 1000)

        return run

    for name, (module, attribute) in originals.items():
        setattr(module, attribute, timed(name))
    try:
        yield
    finally:
        for name, (module, attribute) in originals.items():
            setattr(module, attribute, saved[name])


def time_pages(path: Path, repeats: int) -> dict[str, float]:
    """Median ms of a rerun of each console page, signed in."""
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["REQUIRE_SECOND_FACTOR"] = "0"
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=120)
    app.session_state[gate.SESSION_KEY] = session_token(path)
    app.run()
    results = {}
    for spec in MODERATION_PAGES:
        app.switch_page(spec.path).run()
        if app.exception:
            raise RuntimeError(f"{spec.title}: {app.exception}")
        app.run()  # warm
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            app.run()
            samples.append((time.perf_counter() - started) * 1000)
        results[spec.title] = statistics.median(samples)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--big-mentors", type=int, default=100_000)
    parser.add_argument("--big-reports", type=int, default=10_000)
    parser.add_argument("--cookie", action="store_true",
                        help="also time, inside each rerun, the session token, the session check and the timeout warning")  # fmt: skip
    args = parser.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        small, big = Path(folder) / "small.sqlite3", Path(folder) / "big.sqlite3"
        started = time.perf_counter()
        fill(small, 1_000, 100)
        fill(big, args.big_mentors, args.big_reports)
        print(f"# filled in {time.perf_counter() - started:.0f} s; load average {os.getloadavg()}")
        parts: dict[str, list[float]] = {}
        with timing_the_session_check(parts) if args.cookie else nullcontext():
            small_ms = time_pages(small, args.repeats)
        big_ms = time_pages(big, args.repeats)
    print(
        f"| page | 1,000 mentors, 100 reports | {args.big_mentors:,} mentors, "
        f"{args.big_reports:,} reports | ratio | target |"
    )
    print("|---|---|---|---|---|")
    for title, ms in small_ms.items():
        ratio = big_ms[title] / ms
        verdict = "ok" if ratio <= TARGET_RATIO else "over"
        print(
            f"| {title} | {ms:.1f} ms | {big_ms[title]:.1f} ms | {ratio:.2f}x | <= {TARGET_RATIO}x: {verdict} |"
        )
    if args.cookie:
        print("\n| inside a console rerun (1,000 mentors, every page) | median | p95 |")
        print("|---|---|---|")
        for name, values in parts.items():
            ranked = sorted(values)
            p95 = ranked[int(0.95 * (len(ranked) - 1))]
            print(f"| {name} | {statistics.median(values):.2f} ms | {p95:.2f} ms |")


if __name__ == "__main__":
    main()
