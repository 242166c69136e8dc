"""The append-only audit log: every change of a listing or a report, every sign-in, with who and why."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from models import AuditEvent


class Action(StrEnum):
    # A mentor's own changes to their listing.
    SIGNED_UP = "signed_up"
    RESUBMITTED = "resubmitted"
    PAUSED = "paused"
    RESUMED = "resumed"
    EDITED = "edited"
    DELETED = "deleted"
    # Reports and requests from the public.
    REPORT_FILED = "report_filed"
    REMOVAL_REQUESTED = "removal_requested"
    # Moderators.
    REPORT_STATUS_CHANGED = "report_status_changed"
    REPORT_ASSIGNED = "report_assigned"
    REPORT_NOTE_ADDED = "report_note_added"
    MENTOR_REMOVED = "mentor_removed"
    MENTOR_BANNED = "mentor_banned"
    MENTOR_RESTORED = "mentor_restored"
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    LOGGED_OUT = "logged_out"
    SESSION_EXPIRED = "session_expired"
    MODERATOR_ADDED = "moderator_added"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - an action name, not a password


class Actor(StrEnum):
    MENTOR = "mentor"
    MODERATOR = "moderator"
    PUBLIC = "public"
    SYSTEM = "system"


def record(
    session: Session,
    *,
    action: Action,
    actor: Actor,
    now: datetime,
    moderator_id: int | None = None,
    actor_label: str | None = None,
    mentor_id: int | None = None,
    report_id: int | None = None,
    reason: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one audit row in the caller's transaction, so it stands or falls with the change."""
    session.add(
        AuditEvent(
            occurred_at=now,
            actor_kind=actor.value,
            moderator_id=moderator_id,
            actor_label=actor_label,
            action=action.value,
            mentor_id=mentor_id,
            report_id=report_id,
            reason=reason,
            detail=detail[:500] if detail else None,
        )
    )
