"""Reporters hear back: a private case code with the reference, "Follow my report", and mails at
acknowledgement and at the decision.

Whoever files a report (or asks to be removed) gets, with the reference, a case code shown once
and stored only as its SHA-256. "Follow my report" takes both and says where the case is, in plain
words, with whatever message the moderators chose to send; never the mentor's sanction, never
another reporter. A wrong pair gets the same answer whether or not the reference exists, and
wrong pairs are slowed down per client address, as the listing codes are. A reporter who left an
address is mailed when a moderator first acts on the case, and when it is decided.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Report
from services.accounts import throttle
from services.core.refusals import InvalidSubmission, Refusal
from services.core.text import clean_line, clean_paragraphs
from services.core.vocabulary import LabelledEnum, ReportStatus
from services.listings.profile import email_key
from services.mail import outbox
from services.mail.templates import Kind

ACKNOWLEDGE_WITHIN = timedelta(days=7)  # the collective's promise: every report acted on in a week
CASE_CODE_LIMIT_PER_CLIENT = throttle.Limit("case_code_client", 5, timedelta(minutes=15))
MAX_MESSAGE = 2_000
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed back


class CaseNotFound(Refusal):
    """The same answer whether the reference exists or not."""

    message = "That reference and case code don't match a report. Check both and try again."


class CaseState(LabelledEnum):
    """Where a case is, as the reporter reads it."""

    RECEIVED = ("received", "Received: it is waiting for a moderator")
    ACKNOWLEDGED = ("acknowledged", "Acknowledged: a moderator has it")
    BEING_LOOKED_AT = ("being_looked_at", "Being looked at")
    DECIDED = ("decided", "Decided")


# What a decision is called where the reporter reads it: the outcome, never the sanction.
OUTCOMES = {
    ReportStatus.RESOLVED_ACTION: "action taken",
    ReportStatus.RESOLVED_NO_ACTION: "no action needed",
    ReportStatus.DISMISSED: "not enough to act on",
}


@dataclass(frozen=True)
class CaseView:
    """What "Follow my report" shows."""

    reference: str
    received_on: date
    state: CaseState
    outcome: str | None  # once decided
    message: str | None  # what the moderators chose to tell the reporter


def new_case_code() -> str:
    """A fresh case code: 12 unambiguous characters in three groups (about 59 bits)."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def case_code_hash(code: str) -> str:
    """The stored form of a case code; dashes, spaces and case don't matter when typed back."""
    typed = "".join(ch for ch in clean_line(code).upper() if ch.isalnum())
    return hashlib.sha256(f"case-code\x1f{typed}".encode()).hexdigest()


def state_of(status: ReportStatus, first_action_at: datetime | None) -> CaseState:
    if status in OUTCOMES:
        return CaseState.DECIDED
    if status is ReportStatus.IN_REVIEW:
        return CaseState.BEING_LOOKED_AT
    return CaseState.ACKNOWLEDGED if first_action_at is not None else CaseState.RECEIVED


def follow(
    session: Session, *, reference: str, case_code: str, client_key: str, now: datetime
) -> CaseView | None:
    """The case a reference and its code open, or None (the failure is counted per client:
    commit it; CaseNotFound says it). Raises Throttled after too many wrong pairs from this client."""
    report = session.scalar(select(Report).where(Report.reference == clean_line(reference).upper()[:16]))
    if report is None or not report.case_code_hash or not secrets.compare_digest(
        report.case_code_hash, case_code_hash(case_code)
    ):
        throttle.take(session, limits=[(CASE_CODE_LIMIT_PER_CLIENT, client_key)], now=now)
        return None
    status = ReportStatus.of(report.status)
    state = state_of(status, report.first_action_at)
    decided = state is CaseState.DECIDED
    return CaseView(report.reference, report.created_at.date(), state,
                    OUTCOMES.get(status) if decided else None,
                    report.reporter_message if decided else None)  # fmt: skip


def acknowledge_by(created_at: datetime) -> datetime:
    """When a report must have had its first action by."""
    return created_at + ACKNOWLEDGE_WITHIN


def tell_reporter(
    session: Session, report: Report, *, first_action: bool, decided: bool, now: datetime
) -> None:
    """Mail the reporter (when they left an address) that a moderator has their case, or how it
    was decided; a decision that is also the first action sends only the decision."""
    if not report.reporter_email or not (first_action or decided):
        return
    if not outbox.may_mail(session, address_key=email_key(report.reporter_email), now=now):
        return  # its share of mail this hour is used up: "Follow my report" still says it all
    if decided:
        status = ReportStatus.of(report.status)
        outbox.queue(session, kind=Kind.REPORT_DECIDED, recipient=report.reporter_email, now=now,
                     values={"reference": report.reference, "outcome": OUTCOMES[status],
                             "message": report.reporter_message or ""})  # fmt: skip
    else:
        outbox.queue(session, kind=Kind.REPORT_ACKNOWLEDGED, recipient=report.reporter_email,
                     now=now, values={"reference": report.reference})  # fmt: skip


def clean_message(text: str) -> str:
    """The moderators' message with a decision (to the reporter, or to an appealing mentor), as
    it will be stored; refused next to its field when too long."""
    message = clean_paragraphs(text)
    if len(message) > MAX_MESSAGE:
        raise InvalidSubmission({"reporter_message": f"Please keep the message to {MAX_MESSAGE:,} characters."})
    return message
