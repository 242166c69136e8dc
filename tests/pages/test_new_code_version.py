"""Manage my listing when the Code has changed: what changed, shown as text, and the same box and
typed name as at sign-up; mistakes said next to their field, with what was typed kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Signature
from models.base import utcnow
from services.accounts.auth import add_moderator
from services.evidence.code_versions import start_round
from services.listings import code_of_conduct, links
from services.listings.code_of_conduct import current_code, parse_code
from services.listings.links import Purpose
from tests.factories import sign_up
from tests.pages.conftest import DASHBOARD, field_errors, open_app, shown, signed_in
from tests.pages.test_moderation import PASSWORD

PAGE = "pages/manage_listing.py"
NEW_LINE = "No ghosting allowed, ever. <b>Bold?</b> **Not bold**"


def click(app: AppTest, label: str) -> AppTest:
    return next(b for b in app.button if b.label == label).click().run()


@pytest.fixture
def new_version(app_db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> int:
    """Jane signed the Code as shipped; then it changed, and the new version is in force."""
    old = current_code()
    new = parse_code(old.text.replace("No ghosting allowed.", NEW_LINE))
    with app_db.begin() as session:
        mine = sign_up(session, full_name="Jane Doe", now=utcnow() - timedelta(days=3))
        start_round(session, code=old, now=utcnow() - timedelta(days=3))
        start_round(session, code=new, now=utcnow() - timedelta(days=1))
    monkeypatch.setattr(code_of_conduct, "current_code", lambda: new)
    return mine.mentor_id


def opened(app_db: sessionmaker[Session], mentor_id: int) -> AppTest:
    """Manage my listing as the mailed link leaves it: an owner session for this listing."""
    with app_db.begin() as session:
        credential = links.issue(session, mentor_id=mentor_id, purpose=Purpose.OWNER_SESSION,
                                 now=utcnow())  # fmt: skip
    app = open_app(PAGE)
    app.session_state["manage_credential"] = credential
    return app.run()


def test_the_changes_show_as_plain_text_and_mistakes_are_said_next_to_their_field(
    app_db: sessionmaker[Session], new_version: int
) -> None:
    app = opened(app_db, new_version)
    assert [s.value for s in app.subheader][:1] == ["Our Code of Conduct has changed"]
    changed = [t.value for t in app.text]
    assert any(t.startswith("+ ") and t.endswith(NEW_LINE) for t in changed)  # as written: no Markdown, no HTML
    assert any(t.startswith("- ") and "No ghosting allowed." in t for t in changed)
    app.text_input(key="newcode_typed_name").input("Someone Else")
    app = click(app, "Sign the new Code")
    assert field_errors(app) == [
        "Please tick the box to agree to the Code of Conduct.",
        "The name you typed doesn't match the full name in your profile. Type it as it appears "
        "there (capitals and extra spaces don't matter).",
    ]
    assert app.text_input(key="newcode_typed_name").value == "Someone Else"  # kept
    app.checkbox(key="newcode_agreed").check()
    app.text_input(key="newcode_typed_name").input("  jane DOE")
    app = click(app, "Sign the new Code")
    assert not field_errors(app) and not app.exception
    assert "you have signed the new Code" in shown(app, "success")[0]
    assert "Our Code of Conduct has changed" not in [s.value for s in app.subheader]
    with app_db() as session:
        occasions = session.scalars(select(Signature.occasion).where(Signature.mentor_id == new_version))
        assert sorted(occasions) == ["new_version", "sign_up"]


def test_the_roster_shows_who_signed_which_version_and_who_has_not_yet(
    app_db: sessionmaker[Session], new_version: int
) -> None:
    with app_db.begin() as session:
        add_moderator(session, username="alice", password=PASSWORD, now=utcnow())
        sign_up(session, full_name="Late Signer", now=utcnow() - timedelta(days=3))
    app = signed_in(AppTest.from_file(DASHBOARD, default_timeout=30).run(), "alice", PASSWORD)
    app.switch_page("pages/moderation_mentors.py").run()
    assert not app.exception
    assert [e.label for e in app.expander][-1:] == ["Code of Conduct: who signed which version"]
    versions, waiting = (frame.value for frame in app.dataframe[-2:])
    assert list(versions["signed"]) == [0, 2]  # newest first: nobody signed the new one yet
    assert str(versions["version"].iloc[0]).endswith("(current)")
    assert sorted(waiting["name"]) == ["Jane Doe", "Late Signer"]
    assert any("2 listed mentors haven't signed the current version yet" in m.value for m in app.markdown)
