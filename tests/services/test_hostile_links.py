"""Whatever anyone types into "Email me a link", or sends as a link's token: a clear refusal or
the neutral answer, never an unexpected exception, never a row or a mail on refusal."""

from __future__ import annotations

from hypothesis import given
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ListingLink, OutboxMail
from services.core.refusals import InvalidSubmission
from services.listings import confirmation, links, manage_links
from services.listings.address_change import confirm_new_address
from services.listings.links import LinkRefused, LinkState, Purpose
from tests.conftest import NOW
from tests.factories import sign_up
from tests.services.test_hostile_input import PROPERTY, TEXT, savepoint


def rows(session: Session) -> tuple[int, int]:
    count = func.count()
    return (session.scalar(select(count).select_from(OutboxMail)) or 0,
            session.scalar(select(count).select_from(ListingLink)) or 0)  # fmt: skip


@PROPERTY
@given(email=TEXT)
def test_asking_for_a_link_with_any_text_is_answered_or_named_and_mails_nobody_else(
    session: Session, email: str
) -> None:
    with savepoint(session):
        sign_up(session, email="owner@example.org")
        before = rows(session)
        try:
            manage_links.request_link(session, email=email, client_key="hostile", now=NOW)
        except InvalidSubmission as problem:
            assert set(problem.errors) == {"email"}
            assert rows(session) == before
            return
        recipients = set(session.scalars(select(OutboxMail.recipient)))
        assert recipients <= {"owner@example.org"}  # only a listing's own address is ever mailed


@PROPERTY
@given(token=TEXT)
def test_any_token_opens_nothing_and_changes_nothing(session: Session, token: str) -> None:
    with savepoint(session):
        sign_up(session)
        before = rows(session)
        for use in (
            lambda: confirmation.confirm_sign_up(session, token=token, now=NOW),
            lambda: manage_links.open_from_link(session, token=token, now=NOW),
            lambda: confirm_new_address(session, token=token, now=NOW),
        ):
            try:
                use()
            except LinkRefused as refused:
                assert refused.state is LinkState.UNKNOWN
            else:
                raise AssertionError("a made-up token was accepted")
        confirmation.send_new_link(session, token=token, now=NOW)  # says nothing, sends nothing
        assert links.look(session, token=token, purpose=Purpose.OWNER_SESSION, now=NOW) is None
        assert rows(session) == before
