"""The console's Mail page: counts by state, the failed mails with their last error, send again."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEvent, OutboxMail
from services.accounts.auth import add_moderator
from services.mail import outbox
from services.mail.templates import Kind
from tests.conftest import NOW
from tests.pages.conftest import open_app, shown, signed_in

PAGE = "pages/moderation_mail.py"


def test_a_failed_mail_shows_its_error_and_is_sent_again_by_a_moderator(
    app_db: sessionmaker[Session],
) -> None:
    with app_db.begin() as session:
        add_moderator(session, username="alice", password="correct horse battery", now=NOW)
        for n in range(3):
            outbox.queue(session, kind=Kind.TEST, recipient=f"m{n}@example.org", values={}, now=NOW)
        session.execute(update(OutboxMail).where(OutboxMail.recipient == "m0@example.org").values(
            state="failed", tries=8, last_error="550 5.1.1 <m0@example.org>: no such user"))  # fmt: skip
    app = signed_in(open_app(PAGE), "alice", "correct horse battery")
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Waiting to be sent": "2", "Being sent": "0", "Sent": "0", "Failed": "1"}
    [table] = app.dataframe
    assert table.value.iloc[0]["error"] == "550 5.1.1 <m0@example.org>: no such user"
    app = next(b for b in app.button if b.label == "Send again").click().run()
    assert "Queued again" in shown(app, "success")[0]
    with app_db() as session:
        mail = session.scalars(select(OutboxMail).where(OutboxMail.recipient == "m0@example.org")).one()
        assert (mail.state, mail.tries) == ("queued", 0)
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "mail_sent_again"))
    assert {m.label: m.value for m in app.metric}["Failed"] == "0"


def test_with_nothing_failed_the_page_says_so(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        add_moderator(session, username="alice", password="correct horse battery", now=NOW)
    app = signed_in(open_app(PAGE), "alice", "correct horse battery")
    assert not app.exception and "No mail has failed." in [m.value for m in app.markdown]
