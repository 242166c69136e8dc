"""The signing page: read the Code, fill in the profile, sign with a typed name."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Mentor, Signature
from services.listings.code_of_conduct import current_code
from services.mail.templates import Kind
from tests.factories import mailed, sign_up
from tests.pages.conftest import field_errors, open_app, shown

PAGE = "pages/become_a_mentor.py"
BIO = "I **love** <b>bold</b> ideas :red[really]\n![pixel](https://tracker.example/p.png)\n$x$"


def fill_in(app: AppTest, **overrides: object) -> AppTest:
    values: dict[str, object] = {
        "signup_full_name": "Zoë Martin", "signup_pronouns": "she/her", "signup_headline": "Brand Strategist",
        "signup_company": "Kindred", "signup_seniority": "senior", "signup_disciplines": ["strategy"],
        "signup_country": "FR", "signup_city": "Paris", "signup_languages": ["fr", "en"],
        "signup_offers": ["portfolio_reviews"], "signup_bio": BIO,
        "signup_linkedin_url": "linkedin.com/in/zoe-martin", "signup_email": "zoe@example.org",
        "signup_agreed": True, "signup_typed_name": "zoë  martin",
    }  # fmt: skip
    values.update(overrides)
    for key, value in values.items():
        app.session_state[key] = value
    return app


def submit(app: AppTest) -> AppTest:
    return next(b for b in app.button if b.label == "Sign and send me the link").click().run()


def mentors(app_db: sessionmaker[Session]) -> int:
    with app_db() as session:
        return session.scalar(select(func.count()).select_from(Mentor)) or 0


def test_the_page_shows_the_code_verbatim_and_the_signing_labels(
    app_db: sessionmaker[Session],
) -> None:
    app = open_app(PAGE)
    code = current_code()
    shown = "\n".join(m.value for m in app.markdown)
    assert code.body in shown
    assert "please [report it here](report)." in shown
    assert [c.label for c in app.checkbox][-1] == code.agreement_label
    assert app.text_input(key="signup_typed_name").label == code.signature_label


def test_signing_asks_to_confirm_from_the_mail_and_stores_what_was_typed(
    app_db: sessionmaker[Session],
) -> None:
    app = submit(fill_in(open_app(PAGE)))
    assert not app.exception
    assert "Check your inbox" in app.success[0].value
    assert [t.value for t in app.text] == ["zoe@example.org"]  # plain text, never Markdown
    assert not app.code  # the private code comes with the confirmation, not before
    with app_db() as session:
        mentor = session.scalars(select(Mentor)).one()
        assert (mentor.status, mentor.bio) == ("unconfirmed", BIO)  # stored exactly as typed
        assert session.scalar(select(Signature.typed_name)) == "zoë  martin"
        mail = mailed(session, "zoe@example.org")
        assert mail is not None and mail.mentor_id == mentor.id


def test_an_error_keeps_everything_typed_and_says_where(app_db: sessionmaker[Session]) -> None:
    app = submit(fill_in(open_app(PAGE), signup_typed_name="Zoe Martin",
                         signup_linkedin_url="https://example.com/in/zoe", signup_email="zoe-at-example"))  # fmt: skip
    [summary] = shown(app, "error")
    assert summary.startswith("Please fix 3 things.")
    assert "[LinkedIn profile address](#wan-field-signup_linkedin_url)" in summary
    messages = field_errors(app)
    assert len(messages) == 3
    assert any("not a LinkedIn address" in m for m in messages) and any("email address" in m for m in messages)
    assert any("doesn't match the full name" in m for m in messages)
    assert app.text_input(key="signup_full_name").value == "Zoë Martin"
    assert app.text_area(key="signup_bio").value == BIO
    assert app.multiselect(key="signup_languages").value == ["fr", "en"]
    assert app.checkbox(key="signup_agreed").value is True
    assert mentors(app_db) == 0


def test_the_error_summary_lists_the_problems_in_the_order_of_the_form(
    app_db: sessionmaker[Session],
) -> None:
    app = submit(open_app(PAGE))
    [summary] = shown(app, "error")
    linked = re.findall(r"^- \[[^\]]+\]\(#wan-field-(\w+)\): (.*)$", summary, flags=re.MULTILINE)
    assert [message for _key, message in linked] == field_errors(app)  # as the fields show them
    keys = [key for key, _message in linked]
    assert keys.index("signup_seniority") < keys.index("signup_disciplines")
    assert mentors(app_db) == 0


def test_an_email_in_use_gets_the_same_answer_as_a_new_one_and_changes_nothing(
    app_db: sessionmaker[Session],
) -> None:
    with app_db.begin() as session:
        sign_up(session, email="zoe@example.org", headline="The owner's words")
    app = submit(fill_in(open_app(PAGE)))
    assert not app.exception
    assert "Check your inbox" in app.success[0].value  # nothing here says it is taken
    assert mentors(app_db) == 1
    with app_db() as session:
        assert session.scalar(select(Mentor.headline)) == "The owner's words"
        assert mailed(session, "zoe@example.org", Kind.ALREADY_LISTED) is not None
