"""The stored history replayed against the transition tables: what tests check sample data with.

Each listing's and each report's events are replayed in order from "not created yet": every
event must be a move its table allows, from the state the previous one left, to the state the
table says, by the actor the table names; and the row must be where its last event left it,
with one version per move that bumps it. Independent of the doors' own code on purpose.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import BlockedIdentity, ListingEvent, Mentor, Report, ReportEvent
from services.core.transitions import Target
from services.core.vocabulary import ActorKind
from services.listings.listing_lifecycle import TRANSITIONS as LISTING
from services.listings.listing_lifecycle import ListingAction
from services.reports.report_lifecycle import TRANSITIONS as REPORT
from services.reports.report_lifecycle import ReportAction

TAKEN_DOWN = ("removed", "banned")
CLOSED = ("resolved_action", "resolved_no_action", "dismissed")


def _histories(session: Session, model: Any, owner: str) -> dict[int, list[Any]]:
    histories: dict[int, list[Any]] = defaultdict(list)
    for event in session.scalars(select(model).order_by(model.occurred_at, model.id)):
        histories[getattr(event, owner)].append(event)
    return histories


def _replay(
    table: dict, action: Any, state: str | None, event: Any, previous: str | None
) -> list[str]:  # type: ignore[type-arg]
    """What is wrong with one event, given the state before it (and before a take-down)."""
    move = table[action]
    sources = {s.value if s else None for s in move.sources}
    where = f"{event.__tablename__} {event.id} ({event.kind} by {event.actor_kind})"
    problems = []
    if ActorKind.of(event.actor_kind) not in move.actors:
        problems.append(f"{where}: the table says {sorted(a.value for a in move.actors)}")
    if state not in sources or event.from_status != state:
        problems.append(f"{where}: from {event.from_status}, but the row was {state}")
    target = {Target.STAY: state, Target.PREVIOUS: previous}.get(
        move.target, getattr(move.target, "value", None)
    )
    if event.to_status != target:
        problems.append(f"{where}: to {event.to_status}, the table says {target}")
    return problems


def listing_history_problems(session: Session) -> list[str]:
    """Every way the listings' events, rows and blocks disagree with the listing's table."""
    problems: list[str] = []
    histories = _histories(session, ListingEvent, "mentor_id")
    blocks: dict[int, list[BlockedIdentity]] = defaultdict(list)
    for block in session.scalars(select(BlockedIdentity)):
        blocks[block.mentor_id].append(block)
    for mentor in session.scalars(select(Mentor)):
        state: str | None = None
        previous: str | None = None  # where a restore goes back to
        for event in histories[mentor.id]:
            problems += _replay(LISTING, ListingAction.of(event.kind), state, event, previous)
            if event.to_status in TAKEN_DOWN and state not in TAKEN_DOWN:
                previous = state
            state = event.to_status
        where = f"mentor {mentor.id}"
        if (mentor.status, mentor.version) != (state, len(histories[mentor.id])):
            problems.append(f"{where} is {mentor.status} v{mentor.version}; its events say "
                            f"{state} v{len(histories[mentor.id])}")  # fmt: skip
        if mentor.status in TAKEN_DOWN and mentor.status_before_takedown != previous:
            problems.append(
                f"{where}: taken down from {previous}, row says {mentor.status_before_takedown}"
            )
        active = {(b.kind, b.value_key) for b in blocks[mentor.id] if b.lifted_at is None}
        wanted = {
            (k, v) for k, v in (("email", mentor.email_key), ("linkedin", mentor.linkedin_key)) if v
        }
        if active != (wanted if mentor.status == "banned" else set()):
            problems.append(f"{where} ({mentor.status}) has active blocks {sorted(active)}")
    return problems


def report_history_problems(session: Session) -> list[str]:
    """Every way the reports' events and rows disagree with the report's table."""
    problems: list[str] = []
    histories = _histories(session, ReportEvent, "report_id")
    for report in session.scalars(select(Report)):
        state: str | None = None
        bumps, resolved, acted = 0, None, None
        for event in histories[report.id]:
            action = ReportAction.of(event.kind)
            problems += _replay(REPORT, action, state, event, None)
            if event.to_status in CLOSED and state not in CLOSED:
                resolved = event.occurred_at
            elif event.to_status not in CLOSED:
                resolved = None
            if event.actor_kind == ActorKind.MODERATOR.value:
                acted = acted or event.occurred_at
            state = event.to_status
            bumps += action is not ReportAction.ADD_NOTE
        row = (report.status, report.version, report.resolved_at, report.first_action_at)
        if row != (state, bumps, resolved, acted):
            problems.append(
                f"report {report.id} is {row}; its events say {(state, bumps, resolved, acted)}"
            )
    return problems
