"""The jobs the clock runs (services/jobs/clock.py), in the order it runs them. Each acts on what
is due when it runs, so running it twice, or late, does the right thing once."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from services.accounts import throttle
from services.core.step_aside import StepAside
from services.directory.search_log import RETENTION_MONTHS, prune_searches
from services.evidence import code_versions, verify
from services.jobs.clock import Job, JobContext
from services.listings import enforcement, no_reply
from services.listings.away import end_due
from services.listings.code_of_conduct import current_code
from services.listings.confirmation import drop_unconfirmed
from services.listings.freshness import BATCH, Spans, ask_batch, pause_unanswered
from services.mail.sending import relay_config, send_due
from services.mail.transport import transport_for

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
BATCHES_FOR = timedelta(minutes=5)  # well inside the clock's lease (clock.LEASE)


def _freshness(context: JobContext) -> str:
    settings = context.settings
    spans = Spans(settings.freshness_ask_after, settings.freshness_pause_after) if settings else Spans()

    def pause(session: Session, _after: object) -> tuple[int, object]:
        paused = pause_unanswered(session, now=context.now, spans=spans)
        return paused, (True if paused == BATCH else None)  # a full batch: more may be due

    paused = _in_batches(context, pause)
    asked = _in_batches(context, lambda session, after: ask_batch(session, now=context.now,
                                                                  spans=spans, after=after))  # fmt: skip
    return f"Asked {asked:,} mentors whether they are still available; paused {paused:,} unanswered."


def _new_code_version(context: JobContext) -> str:
    """A new version of the Code: in force, every listed mentor asked to sign it again, and those
    whose time is up without signing paused (services/evidence/code_versions.py)."""
    settings = context.settings
    within = settings.code_sign_within if settings else code_versions.SIGN_WITHIN
    with context.writer.begin() as session:
        rnd = code_versions.start_round(session, code=current_code(), now=context.now, within=within)
    if rnd.sign_by is None:
        return "The Code is the version everyone signed when they signed up: nobody to ask."

    def pause(session: Session, _after: object) -> tuple[int, object]:
        paused = code_versions.pause_batch(session, rnd=rnd, now=context.now, within=within)
        return paused, (True if paused == code_versions.BATCH else None)

    paused = _in_batches(context, pause)
    asked = _in_batches(context, lambda session, after: code_versions.ask_batch(
        session, rnd=rnd, now=context.now, within=within, after=after))  # fmt: skip
    return (f"Asked {asked:,} mentors to sign the new Code (by {rnd.sign_by:%Y-%m-%d}); paused "
            f"{paused:,} who didn't sign it in time.")  # fmt: skip


def _in_batches(context: JobContext, step: Callable[[Session, Any], tuple[int, Any]]) -> int:
    """Run `step` (one batch, one transaction: no lock held for long), handing each batch where
    the last one ended, until it says nothing is left (None), or for at most BATCHES_FOR; the
    pages beside it go first (services/core/step_aside.py). How many listings it did; the next
    run does the rest."""
    done, after, courtesy = 0, None, StepAside()
    until = time.monotonic() + BATCHES_FOR.total_seconds()
    while time.monotonic() < until:
        with context.writer.begin() as session:
            count, after = step(session, after)
        done += count
        if after is None:
            break
        courtesy.rest()
    return done


def _away_until(context: JobContext) -> str:
    with context.writer.begin() as session:
        back, notes = end_due(session, now=context.now)
    return f"Listed {back:,} mentors again on the date they set; ended {notes:,} availability notes."


def _removals_ending(context: JobContext) -> str:
    with context.writer.begin() as session:
        count = enforcement.end_due(session, now=context.now)
    return f"Listed {count:,} mentors again at the end of their removal for a number of days."


def _unconfirmed_sign_ups(context: JobContext) -> str:
    with context.writer.begin() as session:
        count = drop_unconfirmed(session, now=context.now)
    return f"Deleted {count:,} sign-ups never confirmed within 7 days."


def _old_searches(context: JobContext) -> str:
    with context.writer.begin() as session:
        count = prune_searches(session, now=context.now)
        signals = no_reply.forget_old(session, now=context.now)
    return (f"Forgot {count:,} directory searches older than {RETENTION_MONTHS} months, and who "
            f"sent the {signals:,} no-reply signals older than 60 days.")  # fmt: skip


def _throttle_counters(context: JobContext) -> str:
    with context.writer.begin() as session:
        throttle.forget_older_than(session, cutoff=context.now - DAY)
    return "Forgot the attempt counters older than a day."


def _audit_chain(context: JobContext) -> str:
    contact = context.settings.contact_email if context.settings else None
    return verify.check_daily(context.writer, contact_email=contact, now=context.now)


def _mail(context: JobContext) -> str:
    """What the relay thread does all along, for a process without one (cron)."""
    settings = context.settings
    if settings is None or not (settings.smtp_url or settings.mail_dir):
        return "Mail has nowhere to go here: nothing sent."
    tally = send_due(context.writer, transport_for(settings.smtp_url, settings.mail_dir),
                     relay_config(settings))  # fmt: skip
    return tally.describe() if tally else "No mail was due."


JOBS = (
    Job("away_until", "List again, or end notes, on the dates mentors set", HOUR, _away_until),
    Job("removals_ending", "List again the listings whose removal for days has ended", HOUR,
        _removals_ending),
    Job("freshness", "Ask whether mentors are still available", HOUR, _freshness),
    Job("new_code_version", "Ask listed mentors to sign a new Code; pause those who didn't", HOUR,
        _new_code_version),
    Job("unconfirmed_sign_ups", "Delete sign-ups never confirmed", HOUR, _unconfirmed_sign_ups),
    Job("throttle_counters", "Forget old attempt counters", HOUR, _throttle_counters),
    Job("old_searches", "Forget old directory searches and no-reply signals", DAY, _old_searches),
    Job(verify.JOB_NAME, "Verify the audit log's hash chain", DAY, _audit_chain),
    Job("mail", "Send or retry the mail that is due", timedelta(minutes=5), _mail),
)
