"""The evidence as people meet it: "Check a receipt" (public), the receipts on Manage my listing,
and the audit log page's chain head and last check (moderators)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from models.base import utcnow
from services.accounts.auth import add_moderator
from services.evidence import receipts
from services.evidence.verify import JOB_NAME, check_daily
from services.jobs.catalogue import JOBS
from services.jobs.clock import claim, ensure_jobs, finish
from tests.factories import make_profile, sign_up
from tests.pages.conftest import field_errors, open_app, shown, signed_in

PAGE = "pages/check_a_receipt.py"
PASSWORD = "correct horse battery"


def check(app, code: str):  # type: ignore[no-untyped-def]
    app.text_input(key="receipt_code").input(code)
    return next(b for b in app.button if b.label == "Check").click().run()


def listed_with_receipt(app_db: sessionmaker[Session]) -> tuple[str, str]:
    with app_db.begin() as session:
        mine = sign_up(session, make_profile(full_name="Nadia **Bold**"), now=utcnow())
        receipt = receipts.latest_receipt(session, mentor_id=mine.mentor_id)
    assert receipt is not None
    return mine.credential, receipt.verification_code


def test_a_right_code_matches_and_a_wrong_one_does_not(app_db: sessionmaker[Session]) -> None:
    _, code = listed_with_receipt(app_db)
    app = check(open_app(PAGE), code.lower())
    assert not app.exception
    assert shown(app, "success") == ["This code matches a signature we hold."]
    app = check(app, "ZZZZ-ZZZZ-ZZZZ")
    assert shown(app, "warning") == ["No signature we hold matches this code. Check it for typing mistakes."]
    assert not shown(app, "success")
    assert app.text_input(key="receipt_code").value == "ZZZZ-ZZZZ-ZZZZ"  # kept to fix a typo


def test_an_empty_code_is_an_error_next_to_the_field(app_db: sessionmaker[Session]) -> None:
    app = check(open_app(PAGE), "  ")
    assert not app.exception
    assert field_errors(app) == ["Please type the verification code from the receipt."]
    assert not shown(app, "success") and not shown(app, "warning")


def test_too_many_checks_from_one_address_are_stopped_next_to_the_field(app_db: sessionmaker[Session]) -> None:
    app = open_app(PAGE)
    for _ in range(receipts.CHECKS_PER_CLIENT.allowed):
        app = check(app, "ABCD-EFGH-JKMN")
    app = check(app, "ABCD-EFGH-JKMN")
    assert not app.exception
    assert len(field_errors(app)) == 1 and "try again" in field_errors(app)[0].lower()


def test_manage_my_listing_offers_each_receipt_as_a_pdf(app_db: sessionmaker[Session]) -> None:
    credential, code = listed_with_receipt(app_db)
    app = open_app("pages/manage_listing.py")
    app.text_input(key="manage_code_input").input(credential)
    app = next(b for b in app.button if b.label == "Open my listing").click().run()
    assert not app.exception
    assert "Your signatures" in [h.value for h in app.subheader]
    buttons = [b for b in app.get("download_button") if "Receipt of" in b.proto.label]
    assert len(buttons) == 1 and "Code version 1" in buttons[0].proto.label


def test_the_audit_log_shows_the_chain_head_and_the_last_check(app_db: sessionmaker[Session]) -> None:
    listed_with_receipt(app_db)
    with app_db.begin() as session:
        add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
    app = signed_in(open_app("pages/moderation_audit.py"), "alice", PASSWORD)
    assert not app.exception
    texts = [t.value for t in app.text]
    # sign-up, confirmation, the account added, its sign-in
    assert any(t.startswith("Head: position 4 (row 4)") for t in texts), texts
    assert "Not checked yet: the clock checks it within a day of the app starting." in texts
    with app_db.begin() as session:
        head = session.execute(text("SELECT row_hash FROM audit_events ORDER BY chain_seq DESC LIMIT 1")).scalar()
    assert head in [c.value for c in app.code]
    # the clock's check finds it intact, then (a row changed by the owner) broken
    with app_db.begin() as session:
        ensure_jobs(session, JOBS, now=utcnow())
    said = check_daily(app_db, contact_email=None, now=utcnow())
    with app_db.begin() as session:
        assert claim(session, name=JOB_NAME, now=utcnow(), holder="test")
        finish(session, name=JOB_NAME, holder="test", now=utcnow(), outcome="done", detail=said,
               next_run_at=utcnow())  # fmt: skip
    app.run()
    assert any("chain is intact" in t for t in (t.value for t in app.text))
    assert not shown(app, "error")
