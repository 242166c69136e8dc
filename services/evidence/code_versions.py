"""A new version of the Code: every listed mentor signs it again, or is paused until they do.

When content/code_of_conduct.md changes (a new SHA-256), the clock's job "new_code_version" puts
the new version in force (`start_round`: a `code_version_rounds` row, with the day listed mentors
sign it by), mails each listed mentor a link to read it and sign it again (`ask_batch`), and,
once their time is up, pauses the listed mentors who haven't (`pause_batch`: a system move,
"Code not signed", with a mail saying how to come back). Signing it again, or resuming a paused
listing, signs the current version: services/evidence/code_resigning.py.

The first version ever seen is not new: everyone signed it to sign up, so nobody is asked. A
version is new when another one was stored before it. Each step acts on what is due when it
runs, so a run twice, or late, does the right thing once: a mentor is asked once per version (a
"new_code" link issued since it came into force), and paused once (only while listed), only
after their own time to sign has passed since they were asked. Made-up sample listings are never
asked (their addresses are nobody's), so never paused either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from models import CodeVersion, CodeVersionRound, ListingLink, Mentor, Signature
from services.audit.audit_log import SYSTEM
from services.core.vocabulary import ListingStatus
from services.listings import links
from services.listings.batch_mail import mail_listed
from services.listings.code_of_conduct import CodeOfConduct, record_code_version
from services.listings.links import Purpose
from services.listings.listing_lifecycle import ListingAction, lock_listing, move_listing
from services.mail import outbox
from services.mail.templates import Kind

LISTED = ListingStatus.LISTED.value
SIGN_WITHIN = timedelta(days=30)  # the default of settings.code_sign_within
ASK_BATCH = 100  # listings asked per step: the pages get a turn between
BATCH = 500  # listings paused per step (each a move of its own)
CODE_NOT_SIGNED = "Code not signed"


@dataclass(frozen=True)
class CodeRound:
    """A version of the Code in force: since when, and the day listed mentors sign it by (None:
    the first version ever seen, which nobody is asked to sign again)."""

    code_version_id: int
    sha256: str
    in_force_at: datetime
    sign_by: datetime | None


def start_round(
    session: Session, *, code: CodeOfConduct, now: datetime, within: timedelta = SIGN_WITHIN
) -> CodeRound:
    """The current version's round, put in force now the first time it is seen here."""
    version_id = record_code_version(session, code=code)
    found = current_round(session, code=code)
    if found is not None:
        return found
    earlier = session.scalar(select(CodeVersion.id).where(CodeVersion.id != version_id).limit(1))
    row = CodeVersionRound(code_version_id=version_id, in_force_at=now,
                           sign_by=now + within if earlier is not None else None)  # fmt: skip
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another process put it in force a moment ago
        pass
    found = current_round(session, code=code)
    if found is None:
        raise RuntimeError("the Code's round was neither written nor found")
    return found


def current_round(session: Session, *, code: CodeOfConduct) -> CodeRound | None:
    """The round of this version of the Code, if it is in force yet."""
    row = session.execute(
        select(CodeVersionRound, CodeVersion.sha256)
        .join(CodeVersion, CodeVersion.id == CodeVersionRound.code_version_id)
        .where(CodeVersion.sha256 == code.sha256)
    ).first()  # fmt: skip
    if row is None:
        return None
    r = row[0]
    return CodeRound(r.code_version_id, row[1], r.in_force_at, r.sign_by)


def signed(code_version_id: int) -> ColumnElement[bool]:
    """The mentor (of the row at hand) signed this version."""
    return exists().where(Signature.mentor_id == Mentor.id,
                          Signature.code_version_id == code_version_id)  # fmt: skip


def asked(rnd: CodeRound, *, before: datetime | None = None) -> ColumnElement[bool]:
    """The mentor was sent a link to sign this version (before `before`)."""
    link = ListingLink
    conditions = [link.mentor_id == Mentor.id, link.purpose == Purpose.NEW_CODE.value,
                  link.created_at >= rnd.in_force_at]  # fmt: skip
    if before is not None:
        conditions.append(link.created_at <= before)
    return exists().where(and_(*conditions))


def ask_batch(
    session: Session, *, rnd: CodeRound, now: datetime, within: timedelta = SIGN_WITHIN,
    after: int | None = None, size: int | None = None,
) -> tuple[int, int | None]:  # fmt: skip
    """Mail the next `size` listed mentors who haven't signed this version nor been asked to (after
    id `after`) a link to read and sign it: locked together, each address's mail limit counted,
    every link and mail written at once. How many were asked, and where the next batch starts."""
    if rnd.sign_by is None:
        return 0, None
    size = size or ASK_BATCH
    due = (
        select(Mentor.id)
        .where(Mentor.status == LISTED, Mentor.is_sample.is_(False), Mentor.email.is_not(None),
               ~signed(rnd.code_version_id), ~asked(rnd))
        .order_by(Mentor.id).limit(size)
    )  # fmt: skip
    if after is not None:
        due = due.where(Mentor.id > after)
    found = session.scalars(due).all()
    if not found:
        return 0, None
    mailed = mail_listed(session, ids=found, kind=Kind.NEW_CODE, purpose=Purpose.NEW_CODE, now=now,
                         values={"sign_by": day_in_words((now + within).date())})  # fmt: skip
    return mailed, (found[-1] if len(found) == size else None)


def pause_batch(
    session: Session, *, rnd: CodeRound, now: datetime, within: timedelta = SIGN_WITHIN
) -> int:
    """Pause the listed mentors asked `within` ago or earlier who haven't signed this version, and
    mail each how to come back (one batch); how many."""
    if rnd.sign_by is None or now < rnd.sign_by:
        return 0
    due = session.scalars(
        select(Mentor.id)
        .where(Mentor.status == LISTED, Mentor.is_sample.is_(False),
               ~signed(rnd.code_version_id), asked(rnd, before=now - within))
        .order_by(Mentor.id).limit(BATCH)
    ).all()  # fmt: skip
    paused = 0
    for mentor_id in due:
        mentor = lock_listing(session, mentor_id)
        if mentor.status != LISTED or session.scalar(
            select(Mentor.id).where(Mentor.id == mentor_id, signed(rnd.code_version_id))
        ):
            continue  # moved, or signed, while we waited for the lock
        move_listing(session, mentor, ListingAction.CODE_NOT_SIGNED, actor=SYSTEM, now=now,
                     reason=CODE_NOT_SIGNED)  # fmt: skip
        paused += 1
        if mentor.email:  # how to come back (never held back by the mail limit)
            token = links.issue(session, mentor_id=mentor.id, purpose=Purpose.NEW_CODE, now=now,
                                email=mentor.email)  # fmt: skip
            outbox.queue(session, kind=Kind.PAUSED_CODE_NOT_SIGNED, recipient=mentor.email,
                         now=now, mentor_id=mentor.id,
                         values={"name": mentor.full_name, "token": token})  # fmt: skip
    return paused


def day_in_words(day: date) -> str:
    """e.g. "Thursday 7 January 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"
