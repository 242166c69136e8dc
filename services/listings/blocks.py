"""Who may not be listed: the email addresses and LinkedIn profiles a ban blocks, and the check a
sign-up or an edit makes before it takes an identity.

A ban blocks the banned listing's email and LinkedIn profile (`block_identities`, the ban's
effect in services/listings/listing_lifecycle.py); a restore lifts exactly the blocks of the
listing it restores (`lift_blocks`). A lifted block stays as a row, with when it was lifted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from models import BlockedIdentity, Mentor

EMAIL, LINKEDIN = "email", "linkedin"


def block_identities(session: Session, mentor: Mentor, now: datetime) -> None:
    """Keep this listing's email and LinkedIn profile from being listed again, until lifted."""
    for kind, value in ((EMAIL, mentor.email_key), (LINKEDIN, mentor.linkedin_key)):
        if value:
            session.add(
                BlockedIdentity(kind=kind, value_key=value, mentor_id=mentor.id, created_at=now)
            )


def lift_blocks(session: Session, mentor: Mentor, now: datetime) -> None:
    """Lift the blocks this listing's ban made (and no other listing's)."""
    session.execute(
        update(BlockedIdentity)
        .where(BlockedIdentity.mentor_id == mentor.id, BlockedIdentity.lifted_at.is_(None))
        .values(lifted_at=now)
        .execution_options(synchronize_session=False)
    )


def blocked_kinds(session: Session, *, email_key: str, linkedin_key: str) -> set[str]:
    """Which of these identities ("email", "linkedin") a ban blocks now."""
    rows = session.scalars(
        select(BlockedIdentity.kind).where(
            BlockedIdentity.lifted_at.is_(None),
            or_(
                (BlockedIdentity.kind == EMAIL) & (BlockedIdentity.value_key == email_key),
                (BlockedIdentity.kind == LINKEDIN) & (BlockedIdentity.value_key == linkedin_key),
            ),
        )
    )
    return set(rows)


def identity_taken(
    session: Session, *, email_key: str, linkedin_key: str, other_than: int | None = None
) -> bool:
    """True when another listing holds this email or LinkedIn profile, or a ban blocks either."""
    held = select(Mentor.id).where(
        or_(Mentor.email_key == email_key, Mentor.linkedin_key == linkedin_key)
    )
    if other_than is not None:
        held = held.where(Mentor.id != other_than)
    blocked = select(BlockedIdentity.id).where(
        BlockedIdentity.lifted_at.is_(None),
        or_(
            (BlockedIdentity.kind == EMAIL) & (BlockedIdentity.value_key == email_key),
            (BlockedIdentity.kind == LINKEDIN) & (BlockedIdentity.value_key == linkedin_key),
        ),
    )
    return session.execute(held.union_all(blocked).limit(1)).first() is not None
