"""Conflicts of interest: a moderator declares a conflict with a mentor, and a reporter may keep
named moderators off their case (by the display names the report form shows; confidential).

For the moderator concerned, the mentor and every case about them, or the case, are absent from
every console query: the conditions here go into the SQL of the queue and its counts, the report,
the roster, the mentor's file, the audit log and the CSV export (`viewer`, the moderator reading).
Any action on such a case or mentor is refused (`check_may_act`) with the same words as one that
doesn't exist, so the moderator never learns that a reporter named them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    Mentor,
    Moderator,
    ModeratorConflict,
    OutboxMail,
    Report,
    ReportExclusion,
)
from services.accounts.auth import ModeratorIdentity
from services.audit import audit_log
from services.core.refusals import InvalidSubmission, NotAllowedNow
from services.listings.listing_lifecycle import lock_listing

GONE = "This case doesn't exist, or isn't open to you. Nothing was done."
REPORTER_MAILS = ("report_acknowledged", "report_decided")  # services/reports/follow_up.py
MAX_EXCLUDED = 10


def _conflicted_mentors(viewer: int) -> Select[int]:
    return select(ModeratorConflict.mentor_id).where(ModeratorConflict.moderator_id == viewer)


def _excluded_reports(viewer: int) -> Select[int]:
    return select(ReportExclusion.report_id).where(ReportExclusion.moderator_id == viewer)


def visible_reports(viewer: int | None) -> ColumnElement[bool]:
    """On Report: the cases `viewer` may see (all of them for None: commands and tests)."""
    if viewer is None:
        return and_(True)
    return and_(or_(Report.mentor_id.is_(None), Report.mentor_id.not_in(_conflicted_mentors(viewer))),
                Report.id.not_in(_excluded_reports(viewer)))  # fmt: skip


def visible_mentors(viewer: int | None) -> ColumnElement[bool]:
    """On Mentor: the mentors `viewer` may see."""
    if viewer is None:
        return and_(True)
    return Mentor.id.not_in(_conflicted_mentors(viewer))


def visible_audit(viewer: int | None) -> ColumnElement[bool]:
    """On AuditEvent: the rows `viewer` may read (none about a hidden mentor or case)."""
    if viewer is None:
        return and_(True)
    hidden_cases = select(Report.id).where(~visible_reports(viewer))
    return and_(or_(AuditEvent.mentor_id.is_(None), AuditEvent.mentor_id.not_in(_conflicted_mentors(viewer))),
                or_(AuditEvent.report_id.is_(None), AuditEvent.report_id.not_in(hidden_cases)))  # fmt: skip


def visible_mail(viewer: int | None) -> ColumnElement[bool]:
    """On OutboxMail: the mails `viewer` may see in the console (none to or about a hidden mentor,
    none to the reporter of a hidden case)."""
    if viewer is None:
        return and_(True)
    hidden_references = select(Report.reference).where(~visible_reports(viewer))
    return and_(
        or_(OutboxMail.mentor_id.is_(None), OutboxMail.mentor_id.not_in(_conflicted_mentors(viewer))),
        or_(OutboxMail.kind.not_in(REPORTER_MAILS),
            OutboxMail.values["reference"].as_string().not_in(hidden_references)),
    )  # fmt: skip


def check_may_act(session: Session, moderator_id: int, *, report_id: int | None = None,
                  mentor_id: int | None = None) -> None:  # fmt: skip
    """Refuse (as if it didn't exist) an action on a case or mentor hidden from this moderator."""
    if mentor_id is not None and session.scalar(select(exists().where(
        ModeratorConflict.moderator_id == moderator_id, ModeratorConflict.mentor_id == mentor_id,
    ))):  # fmt: skip
        raise NotAllowedNow(GONE)
    if report_id is not None and session.scalar(select(exists().where(
        Report.id == report_id, ~visible_reports(moderator_id),
    ))):  # fmt: skip
        raise NotAllowedNow(GONE)


def declare_conflict(
    session: Session, *, mentor_id: int, moderator: ModeratorIdentity, now: datetime
) -> None:
    """This moderator has a conflict of interest with this mentor, from now on (audited)."""
    mentor = lock_listing(session, mentor_id)
    try:
        with session.begin_nested():
            session.add(ModeratorConflict(moderator_id=moderator.id, mentor_id=mentor.id, declared_at=now))
    except IntegrityError:
        return  # declared already (another tab)
    audit_log.record(session, action=audit_log.Action.CONFLICT_DECLARED, actor=moderator.actor, now=now,
                     mentor_id=mentor.id, detail="Conflict of interest declared")  # fmt: skip


def may_handle(session: Session, *, report_id: int) -> set[int]:
    """The active moderators this case is not hidden from (to assign it to), in one query."""
    about = select(Report.mentor_id).where(Report.id == report_id).scalar_subquery()
    conflicted = select(ModeratorConflict.moderator_id).where(ModeratorConflict.mentor_id == about)
    excluded = select(ReportExclusion.moderator_id).where(ReportExclusion.report_id == report_id)
    return set(session.scalars(select(Moderator.id).where(
        Moderator.disabled_at.is_(None), Moderator.id.not_in(conflicted), Moderator.id.not_in(excluded))))  # fmt: skip


def excludable(session: Session) -> dict[int, str]:
    """The moderators a reporter may keep off a case: active ones with a display name, by name
    (none while there is only one moderator: someone has to handle the case)."""
    active = session.scalar(select(func.count()).select_from(Moderator).where(Moderator.disabled_at.is_(None)))
    if (active or 0) < 2:
        return {}
    rows = session.execute(
        select(Moderator.id, Moderator.display_name)
        .where(Moderator.disabled_at.is_(None), Moderator.display_name.is_not(None))
        .order_by(Moderator.display_name, Moderator.id)
    )  # fmt: skip
    return {int(moderator_id): str(name) for moderator_id, name in rows.all()}


def check_exclusions(session: Session, chosen: Sequence[int]) -> list[str]:
    """Problems with the moderators a reporter chose to keep off their case (empty when fine)."""
    if not chosen:
        return []
    offered = excludable(session)
    if any(c not in offered for c in chosen) or len(set(chosen)) > MAX_EXCLUDED:
        return ["Please choose from the moderators listed."]
    active = session.scalars(select(Moderator.id).where(Moderator.disabled_at.is_(None))).all()
    if set(active) <= set(chosen):
        return ["At least one moderator must be able to handle your report: please leave one out."]
    return []


def keep_off(session: Session, *, report_id: int, moderator_ids: Sequence[int]) -> None:
    """Record the moderators the reporter kept off this case (checked by check_exclusions)."""
    for moderator_id in sorted(set(moderator_ids)):
        session.add(ReportExclusion(report_id=report_id, moderator_id=moderator_id))


def set_display_name(session: Session, *, username: str, display_name: str) -> None:
    """What reporters see of this moderator ("" takes them off the report form)."""
    name = " ".join(display_name.split())
    if len(name) > 60:
        raise InvalidSubmission({"display_name": "Please keep the display name to 60 characters."})
    moderator = session.scalars(select(Moderator).where(Moderator.username == username)).one_or_none()
    if moderator is None:
        raise InvalidSubmission({"username": "There is no moderator with this name."})
    moderator.display_name = name or None
