"""The append-only audit log: every change of a listing or a report, every sign-in, with who and why.

Every row joins a hash chain when its transaction commits (services/evidence/chain.py), so a
row changed or deleted later shows (`python -m commands.verify_audit`).

Transitions of a listing or a report write their audit row through their lifecycle (actions
named `listing.<event>` and `report.<event>`); what is not a transition (sign-ins, accounts,
refused attempts) is named by `Action`. Rows written before the lifecycles existed keep their old
action names, which `action_label` still reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from models import AuditEvent
from services.core.vocabulary import ActorKind
from services.evidence import chain


class Action(StrEnum):
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    LOGGED_OUT = "logged_out"
    SESSION_EXPIRED = "session_expired"
    MODERATOR_ADDED = "moderator_added"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - an action name, not a password
    # A moderator's action that was refused because someone else had changed its target first.
    ATTEMPT_REFUSED = "attempt_refused"
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled"
    SECOND_FACTOR_REMOVED = "second_factor_removed"
    SECOND_FACTOR_FAILED = "second_factor_failed"
    RECOVERY_CODE_USED = "recovery_code_used"
    MAIL_SENT_AGAIN = "mail_sent_again"
    CONFLICT_DECLARED = "conflict_declared"
    CODE_SIGNED = "code_signed"  # a listed mentor signed a new version of the Code
    PERIOD_PUBLISHED = "period_published"  # the public transparency report (services/evidence)


ACTION_LABELS = {
    Action.LOGIN_SUCCEEDED: "Signed in",
    Action.LOGIN_FAILED: "Failed sign-in",
    Action.LOGGED_OUT: "Signed out",
    Action.SESSION_EXPIRED: "Session ended (idle)",
    Action.MODERATOR_ADDED: "Moderator account added",
    Action.PASSWORD_RESET: "Password reset",
    Action.ATTEMPT_REFUSED: "Attempt refused (changed meanwhile)",
    Action.SECOND_FACTOR_ENROLLED: "Second factor set up",
    Action.SECOND_FACTOR_REMOVED: "Second factor removed",
    Action.SECOND_FACTOR_FAILED: "Wrong second-factor code",
    Action.RECOVERY_CODE_USED: "Recovery code used",
    Action.MAIL_SENT_AGAIN: "Failed mail sent again",
    Action.CONFLICT_DECLARED: "Conflict of interest declared",
    Action.CODE_SIGNED: "Signed a new version of the Code",
    Action.PERIOD_PUBLISHED: "Transparency report published",
    # Names used before the lifecycles (kept in old rows).
    "signed_up": "Listing: signed up", "resubmitted": "Listing: re-submitted",
    "paused": "Listing: paused", "resumed": "Listing: resumed", "edited": "Listing: edited",
    "deleted": "Listing: deleted", "mentor_removed": "Listing: removed",
    "mentor_banned": "Listing: banned", "mentor_restored": "Listing: restored",
    "report_filed": "Report: received", "removal_requested": "Report: removal request received",
    "report_status_changed": "Report: status changed", "report_assigned": "Report: assigned",
    "report_note_added": "Report: note added",
}  # fmt: skip


@dataclass(frozen=True)
class Actor:
    """Who did something: the mentor, a named moderator, the public, or the system."""

    kind: ActorKind
    moderator_id: int | None = None
    label: str | None = None  # what to call them when there is no account (e.g. a name tried)


MENTOR = Actor(ActorKind.MENTOR)
PUBLIC = Actor(ActorKind.PUBLIC)
SYSTEM = Actor(ActorKind.SYSTEM)


def entry(
    *,
    action: str,
    actor: Actor,
    now: datetime,
    mentor_id: int | None = None,
    report_id: int | None = None,
    reason: str | None = None,
    detail: str | None = None,
) -> dict[str, Any]:
    """One audit row's columns: what `record` adds, and what the lifecycles' bulk paths insert."""
    return {
        "occurred_at": now,
        "actor_kind": actor.kind.value,
        "moderator_id": actor.moderator_id,
        "actor_label": actor.label[:60] if actor.label else None,
        "action": str(action),
        "mentor_id": mentor_id,
        "report_id": report_id,
        "reason": reason,
        "detail": detail[:500] if detail else None,
    }


def record(
    session: Session,
    *,
    action: str,
    actor: Actor,
    now: datetime,
    mentor_id: int | None = None,
    report_id: int | None = None,
    reason: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one audit row in the caller's transaction, so it stands or falls with the change."""
    record_entry(session, entry(action=action, actor=actor, now=now, mentor_id=mentor_id,
                                report_id=report_id, reason=reason, detail=detail))  # fmt: skip


def record_entry(session: Session, row: dict[str, Any]) -> None:
    """Append one row made by `entry` (what a lifecycle's door does beside its event row); it
    joins the hash chain when the transaction commits (services/evidence/chain.py)."""
    session.add(AuditEvent(**row))
    chain.mark_pending(session)


def record_many(session: Session, entries: list[dict[str, Any]]) -> None:
    """Append many rows made by `entry` at once (the lifecycles' bulk paths), in this transaction."""
    if entries:
        session.execute(insert(AuditEvent).execution_options(render_nulls=True), entries)
        chain.mark_pending(session)


def record_attempt(session: Session, *, attempt: dict[str, object], now: datetime) -> None:
    """Write a refused attempt (a refusal's `attempt`) after its own transaction was rolled back."""
    record(session, now=now, **attempt)  # type: ignore[arg-type]
