"""What every lifecycle shares: a transition table, and the rules of reading it.

A lifecycle (services/listings/listing_lifecycle.py, services/reports/report_lifecycle.py) names its actions and
gives each one a `Transition`: the states it may start from, the state it leads to, and who may
take it. `check` refuses a move the table doesn't allow; `allowed` is what pages ask to decide
which buttons to show. The tables are data, so docs/ARCHITECTURE.md and the tests read them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Base
from services.core.refusals import NotAllowedNow
from services.core.vocabulary import ActorKind, LabelledEnum

State = TypeVar("State", bound=LabelledEnum)
ActionT = TypeVar("ActionT", bound=LabelledEnum)
Row = TypeVar("Row", bound=Base)


class Target(Enum):
    """Where a transition leads when it is not one fixed state."""

    STAY = "stay"  # the state doesn't change (an edit, an assignment, a note)
    PREVIOUS = "previous"  # back to the state before a take-down (restore)


@dataclass(frozen=True)
class Transition(Generic[State]):
    """From which states (None: not created yet), to which state, and who may make the move."""

    sources: frozenset[State | None]
    target: State | Target
    actors: frozenset[ActorKind]

    def allows(self, state: State | None, actor: ActorKind) -> bool:
        return state in self.sources and actor in self.actors


def transition(
    sources: Iterable[State | None], target: State | Target, *actors: ActorKind
) -> Transition[State]:
    """A row of a transition table, written the way it reads: from these states, to that one, by whom."""
    return Transition(frozenset(sources), target, frozenset(actors))


def check(
    table: Mapping[ActionT, Transition[State]],
    action: ActionT,
    *,
    state: State | None,
    actor: ActorKind,
    what: str,
) -> Transition[State]:
    """The transition for `action`, or NotAllowedNow saying why it can't be taken from `state`."""
    move = table[action]
    if actor not in move.actors:
        raise NotAllowedNow(f"{what}: {action.label.lower()} is not something you can do here.")
    if state not in move.sources:
        now_in = state.label.lower() if state is not None else "not created yet"
        raise NotAllowedNow(f"{what} can't be {action.label.lower()}: it is {now_in}.")
    return move


def lock(session: Session, model: type[Row], row_id: int, *, missing: str) -> Row:
    """The row, locked for this transaction and read fresh (a waiting writer sees the winner's
    change). FOR NO KEY UPDATE on PostgreSQL: rows that merely refer to it (an audit row, an
    event) don't wait for it, so two moderators queue instead of deadlocking."""
    query = (
        select(model)
        .where(model.id == row_id)  # type: ignore[attr-defined]
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    row: Row | None = session.scalars(query).first()
    if row is None:
        raise NotAllowedNow(missing)
    return row


def allowed(
    table: Mapping[ActionT, Transition[State]], *, state: State | None, actor: ActorKind
) -> list[ActionT]:
    """The actions `actor` may take from `state`, in the table's order."""
    return [action for action, move in table.items() if move.allows(state, actor)]
