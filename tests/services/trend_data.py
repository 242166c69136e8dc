"""Small fixed histories for the trends tests, made through the services the app itself uses."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Report
from services.core.vocabulary import CodeClause
from services.listings.code_of_conduct import current_code
from services.listings.listing_lifecycle import ListingAction
from services.listings.owner import pause_listing
from services.listings.signing import SignatureInput, resume_listing
from services.reports.intake import ReportInput, file_report, request_removal
from services.reports.moderation import act_on_mentor, act_on_report, add_note
from services.reports.report_lifecycle import ReportAction
from tests.factories import factory_moderator, make_profile, sign_up

UTC_ZONE = ZoneInfo("UTC")
LONDON = ZoneInfo("Europe/London")
_clients = itertools.count()


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    """A UTC moment: at("2026-11-03", 9) is 09:00 UTC on that day."""
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


class Listing:
    """A mentor's listing, moved through its lifecycle at given moments."""

    def __init__(self, session: Session, when: datetime, **profile: object) -> None:
        self.session = session
        self.profile = make_profile(**profile)
        result = sign_up(session, self.profile, now=when)
        self.id, self.credential = result.mentor_id, result.credential

    def pause(self, when: datetime) -> Listing:
        pause_listing(self.session, credential=self.credential, now=when)
        return self

    def resume(self, when: datetime) -> Listing:
        signature = SignatureInput(
            agreed=True, typed_name=self.profile.full_name, user_agent="pytest"
        )
        resume_listing(self.session, credential=self.credential, signature=signature,
                       code=current_code(), now=when)  # fmt: skip
        return self

    def take_down(
        self, action: ListingAction, when: datetime, report_id: int | None = None
    ) -> Listing:
        act_on_mentor(self.session, mentor_id=self.id, expected_version=None, action=action,
                      moderator=factory_moderator(self.session), reason="In a test", now=when,
                      report_id=report_id, clause=None if report_id else CodeClause.RESPONSIVE)  # fmt: skip
        return self


def report(session: Session, when: datetime, category: str = "not_responsive", *,
           spam: bool = False) -> int:  # fmt: skip
    """A report about someone not listed, received at `when`; its id."""
    receipt = file_report(session, client_key=f"client-{next(_clients)}", now=when, report=ReportInput(
        named_person="Someone Else", category=category, description="What happened.",
        reporter_role="mentee", honeypot="filled by a bot" if spam else ""))  # fmt: skip
    return int(session.scalar(select(Report.id).where(Report.reference == receipt.reference)) or 0)


def removal_request(session: Session, when: datetime) -> int:
    """A mentor asking to be removed, received at `when`; its id."""
    receipt = request_removal(session, contact=f"gone{next(_clients)}@example.org", message="",
                              client_key=f"client-{next(_clients)}", now=when)  # fmt: skip
    return int(session.scalar(select(Report.id).where(Report.reference == receipt.reference)) or 0)


def act(session: Session, report_id: int, action: ReportAction, when: datetime) -> None:
    """A moderator moves the report at `when`."""
    act_on_report(session, report_id=report_id, expected_version=None, action=action,
                  moderator=factory_moderator(session), now=when)  # fmt: skip


def note(session: Session, report_id: int, when: datetime) -> None:
    add_note(session, report_id=report_id, body="Looked into it.",
             moderator=factory_moderator(session), now=when)  # fmt: skip
