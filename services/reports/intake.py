"""Report a violation, or ask to be removed: both land in the moderators' queue with a reference.

Reporters stay confidential: only moderators see who reported, and nothing public changes when a
mentor is reported. Floods are slowed down per client address, never silently dropped: a filled
honeypot is kept, flagged as suspected spam, and counted apart, so junk never uses up the
allowance of real reports. No limit counts everyone together: one sender can't stop all others.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session

from models import Mentor, Report
from services.accounts import throttle
from services.audit.audit_log import PUBLIC
from services.core.matching import contains_pattern, search_key
from services.core.refusals import InvalidSubmission
from services.core.text import clean_line, clean_paragraphs
from services.core.vocabulary import CodeClause, LabelledEnum, ListingStatus
from services.listings.profile import (
    EMAIL_PATTERN,
    InvalidLinkedInUrl,
    canonical_linkedin_url,
    email_key,
    linkedin_key,
)
from services.reports import conflicts, follow_up
from services.reports.report_lifecycle import ReportAction, move_report

REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read out
MAX_DESCRIPTION = 5000
MAX_REMOVAL_MESSAGE = 2000
REPORTS_PER_CLIENT = throttle.Limit("report_client", 5, timedelta(minutes=10))
SUSPECTED_SPAM_PER_CLIENT = throttle.Limit("report_spam_client", 5, timedelta(minutes=10))
LARGEST_ID = 2**31 - 1  # an id the page could not have offered is "choose again", not an error


class ReportCategory(LabelledEnum):
    """What part of the Code was broken: section 3's violations, section 2's expectations."""

    HARASSMENT = ("harassment", "Demeaning, discriminatory or harassing behaviour or speech")
    ILLEGAL_ACTIVITY = (
        "illegal_activity",
        "Facilitating or encouraging illegal activity, including underage drinking",
    )
    ASKING_FOR_PAYMENT = ("asking_for_payment", "Asking for payment or compensation of any kind")
    NOT_RESPONSIVE = ("not_responsive", "Not responsive, or ghosting")
    NOT_SUPPORTIVE = ("not_supportive", "Not encouraging, engaged or supportive")
    DISRESPECT = ("disrespect", "Disrespect or discrimination towards a person or group")
    CONFIDENTIALITY = ("confidentiality_breach", "Breach of confidentiality")
    OTHER = ("other", "Something else")
    REMOVAL_REQUEST = ("removal_request", "A mentor asks to be removed")
    APPEAL = ("appeal", "A mentor appeals a decision")

    @property
    def clause(self) -> CodeClause | None:
        """The part of the Code this kind of report is about (None for "something else")."""
        return CATEGORY_CLAUSES.get(self)


SECTION_3 = (
    ReportCategory.HARASSMENT,
    ReportCategory.ILLEGAL_ACTIVITY,
    ReportCategory.ASKING_FOR_PAYMENT,
)
SECTION_2 = (
    ReportCategory.NOT_RESPONSIVE,
    ReportCategory.NOT_SUPPORTIVE,
    ReportCategory.DISRESPECT,
    ReportCategory.CONFIDENTIALITY,
)
REPORTABLE = (*SECTION_3, *SECTION_2, ReportCategory.OTHER)
CATEGORY_CLAUSES = {
    ReportCategory.HARASSMENT: CodeClause.HARASSMENT,
    ReportCategory.ILLEGAL_ACTIVITY: CodeClause.ILLEGAL_ACTIVITY,
    ReportCategory.ASKING_FOR_PAYMENT: CodeClause.PAYMENT,
    ReportCategory.NOT_RESPONSIVE: CodeClause.RESPONSIVE,
    ReportCategory.NOT_SUPPORTIVE: CodeClause.SUPPORTIVE,
    ReportCategory.DISRESPECT: CodeClause.RESPECTFUL,
    ReportCategory.CONFIDENTIALITY: CodeClause.CONFIDENTIAL,
    ReportCategory.REMOVAL_REQUEST: CodeClause.REMOVAL_ON_REQUEST,
}


class ReporterRole(LabelledEnum):
    MENTEE = ("mentee", "I was the mentee")
    WITNESS = ("witness", "I witnessed it")


class ReportKind(LabelledEnum):
    VIOLATION = ("violation", "Reported violation")
    REMOVAL_REQUEST = ("removal_request", "Removal request")
    APPEAL = ("appeal", "Appeal of a decision")


@dataclass(frozen=True)
class ReportInput:
    """The report form as filled in."""

    mentor_id: int | None = None
    named_person: str = ""
    named_linkedin_url: str = ""
    category: str = ""
    occurred_on: date | None = None
    description: str = ""
    reporter_role: str = ""
    reporter_email: str = ""
    honeypot: str = ""
    # Moderators who must not handle the case (ids from conflicts.excludable; confidential).
    excluded_moderators: tuple[int, ...] = ()


@dataclass(frozen=True)
class Receipt:
    """What the person who wrote to us keeps: a reference to quote, and the private case code
    that follows the case ("Follow my report"; shown once, stored only as a hash)."""

    reference: str
    case_code: str = ""


@dataclass(frozen=True)
class MentorChoices:
    """Listed mentors matching a search, id -> how the picker names them; `more` if cut short."""

    choices: dict[int, str]
    more: bool


def reportable_mentors(session: Session, *, text: str, limit: int = 50) -> MentorChoices:
    """Listed mentors whose name, job title or company contain every word typed; names first."""
    terms = search_key(text).split()[:8]
    if not terms:
        return MentorChoices({}, more=False)
    name_match = and_(*(Mentor.name_key.like(contains_pattern(t), escape="\\") for t in terms))
    query = (
        select(Mentor.id, Mentor.full_name, Mentor.headline, Mentor.company, Mentor.city)
        .where(
            Mentor.status == ListingStatus.LISTED.value,
            *(Mentor.search_text.like(contains_pattern(t), escape="\\") for t in terms),
        )
        .order_by(case((name_match, 0), else_=1), Mentor.name_key, Mentor.listed_at.desc(), Mentor.id)
        .limit(limit + 1)
    )
    rows = session.execute(query).all()
    return MentorChoices(
        {id_: _choice_label(name, headline, company, city) for id_, name, headline, company, city in rows[:limit]},
        more=len(rows) > limit,
    )


def _choice_label(name: str, headline: str, company: str | None, city: str | None) -> str:
    where = ", ".join(part for part in (company, city) if part)
    return f"{name} ({headline}{f', {where}' if where else ''})"


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"WAN-{code[:4]}-{code[4:]}"


def clean_report(report: ReportInput) -> ReportInput:
    """The report as it will be stored: every text cleaned (services.core.text), one-line fields trimmed."""
    return replace(
        report,
        named_person=clean_line(report.named_person),
        named_linkedin_url=clean_line(report.named_linkedin_url),
        description=clean_paragraphs(report.description),
        reporter_email=clean_line(report.reporter_email),
        honeypot=clean_line(report.honeypot),
    )


def report_errors(session: Session, report: ReportInput, *, today: date) -> dict[str, str]:
    """A message per field that needs fixing before the report can be sent."""
    report = clean_report(report)
    errors: dict[str, str] = {}
    if report.mentor_id is None:
        if not report.named_person.strip() and not report.named_linkedin_url.strip():
            errors["mentor"] = "Please choose the mentor, or give their name or LinkedIn profile."
        elif len(report.named_person) > 200:
            errors["named_person"] = "Please keep the name to 200 characters."
        if report.named_linkedin_url.strip():
            try:
                canonical_linkedin_url(report.named_linkedin_url)
            except InvalidLinkedInUrl as problem:
                errors["named_linkedin_url"] = str(problem)
    elif not 0 < report.mentor_id <= LARGEST_ID or (
        session.scalar(
            select(Mentor.id).where(
                Mentor.id == report.mentor_id, Mentor.status == ListingStatus.LISTED.value
            )
        )
        is None
    ):
        errors["mentor"] = "Please choose the mentor from the list again."
    if ReportCategory.parse(report.category) not in REPORTABLE:
        errors["category"] = "Please choose what part of the Code of Conduct was broken."
    if report.occurred_on is not None and report.occurred_on > today:
        errors["occurred_on"] = "This date is in the future. When did it happen?"
    description = report.description.strip()
    if not description:
        errors["description"] = "Please tell us what happened."
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = (
            f"Please keep this to {MAX_DESCRIPTION:,} characters (it is {len(description):,})."
        )
    if ReporterRole.parse(report.reporter_role) is None:
        errors["reporter_role"] = "Please say whether you were the mentee or a witness."
    contact = report.reporter_email.strip()
    if contact and (len(contact) > 254 or not EMAIL_PATTERN.match(contact)):
        errors["reporter_email"] = "This doesn't look like an email address, e.g. name@example.com."
    if problems := conflicts.check_exclusions(session, report.excluded_moderators):
        errors["excluded_moderators"] = problems[0]
    return errors


def _check_flood(
    session: Session, *, client_key: str, suspected_spam: bool = False, now: datetime
) -> None:
    """Count one more message from this client, or raise Throttled (atomically: services.accounts.throttle)."""
    limit = SUSPECTED_SPAM_PER_CLIENT if suspected_spam else REPORTS_PER_CLIENT
    throttle.take(session, limits=[(limit, client_key)], now=now)


def file_report(
    session: Session, *, report: ReportInput, client_key: str, now: datetime
) -> Receipt:
    """Validate, slow floods down, store the report and give the reporter a reference."""
    report = clean_report(report)
    # The reporter's own today may be a day ahead of UTC's.
    errors = report_errors(session, report, today=(now + timedelta(hours=14)).date())
    if errors:
        raise InvalidSubmission(errors)
    suspected_spam = bool(report.honeypot)
    _check_flood(session, client_key=client_key, suspected_spam=suspected_spam, now=now)
    row = Report(
        reference=new_reference(),
        kind=ReportKind.VIOLATION.value,
        mentor_id=report.mentor_id,
        named_person=report.named_person or None if report.mentor_id is None else None,
        named_linkedin_url=_canonical_or_none(report.named_linkedin_url)
        if report.mentor_id is None
        else None,
        category=report.category,
        occurred_on=report.occurred_on,
        description=report.description,
        reporter_role=report.reporter_role,
        reporter_email=report.reporter_email or None,
        suspected_spam=suspected_spam,
        created_at=now,
        updated_at=now,
    )
    receipt = _queue(session, row, now=now)
    conflicts.keep_off(session, report_id=row.id, moderator_ids=report.excluded_moderators)
    return receipt


def _queue(session: Session, row: Report, *, now: datetime) -> Receipt:
    """Put a report or request in the moderators' queue through its lifecycle; the reference to keep."""
    code = follow_up.new_case_code()
    row.case_code_hash = follow_up.case_code_hash(code)
    session.add(row)
    category = ReportCategory.parse(row.category)
    clause = category.clause if isinstance(category, ReportCategory) else None
    move_report(session, row, ReportAction.FILE, actor=PUBLIC, now=now, clause=clause)
    return Receipt(reference=row.reference, case_code=code)


def _canonical_or_none(url: str) -> str | None:
    try:
        return canonical_linkedin_url(url) if url.strip() else None
    except InvalidLinkedInUrl:
        return None


def request_removal(
    session: Session, *, contact: str, message: str, client_key: str, now: datetime
) -> Receipt:
    """'Please remove me', from a mentor without their credential: a task for the moderators."""
    contact, message = clean_line(contact), clean_paragraphs(message)
    errors: dict[str, str] = {}
    linkedin_url: str | None = None
    email: str | None = None
    if not contact:
        errors["contact"] = "Please give the email or LinkedIn profile of your listing."
    elif "@" in contact and "/" not in contact:
        if len(contact) > 254 or not EMAIL_PATTERN.match(contact):
            errors["contact"] = "This doesn't look like an email address, e.g. name@example.com."
        else:
            email = contact
    else:
        try:
            linkedin_url = canonical_linkedin_url(contact)
        except InvalidLinkedInUrl as problem:
            errors["contact"] = f"Please give an email address or a LinkedIn profile. {problem}"
    if len(message) > MAX_REMOVAL_MESSAGE:
        errors["message"] = f"Please keep this to {MAX_REMOVAL_MESSAGE:,} characters."
    if errors:
        raise InvalidSubmission(errors)
    _check_flood(session, client_key=client_key, now=now)
    same_person = (
        Mentor.email_key == email_key(email)
        if email
        else Mentor.linkedin_key == linkedin_key(linkedin_url or "")
    )
    mentor_id = session.scalar(select(Mentor.id).where(same_person))
    row = Report(
        reference=new_reference(),
        kind=ReportKind.REMOVAL_REQUEST.value,
        mentor_id=mentor_id,
        named_linkedin_url=linkedin_url,
        category=ReportCategory.REMOVAL_REQUEST.value,
        description=message or "(no message)",
        reporter_email=email,
        created_at=now,
        updated_at=now,
    )
    return _queue(session, row, now=now)
