"""Follow my report, as a reporter uses it: the code from the receipt opens the case; a wrong one
says so next to the field and keeps what was typed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import Report
from models.base import utcnow
from services.accounts.auth import add_moderator
from services.reports.intake import ReportInput, file_report
from services.reports.moderation import act_on_report
from services.reports.report_lifecycle import ReportAction
from tests.pages.conftest import field_errors, open_app

PAGE = "pages/follow_my_report.py"


def ask(app: AppTest, reference: str, code: str) -> AppTest:
    app.text_input(key="follow_reference").input(reference)
    app.text_input(key="follow_code").input(code)
    return next(b for b in app.button if b.label == "Show my case").click().run()


def texts(app: AppTest) -> list[str]:
    return [t.value for t in app.text]


def test_the_receipt_shows_the_case_code_and_the_page_follows_the_case(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        receipt = file_report(session, client_key="r", now=utcnow(), report=ReportInput(
            named_person="Someone **bold**", category="asking_for_payment",
            description="Asked for money.", reporter_role="mentee"))  # fmt: skip
        alice = add_moderator(session, username="alice", password="correct horse battery", now=utcnow())
        report_id = session.scalar(select(Report.id))
        act_on_report(session, report_id=report_id, expected_version=None,
                      action=ReportAction.RESOLVE_WITHOUT_ACTION, moderator=alice, now=utcnow(),
                      reporter_message="Thanks: we **talked** to them.\n<b>Second line</b>")  # fmt: skip
    app = ask(open_app(PAGE), receipt.reference, receipt.case_code)
    assert not app.exception
    assert f"Report {receipt.reference}" in [h.value for h in app.subheader]
    assert "Where it is: Decided" in texts(app) and "Decision: no action needed" in texts(app)
    assert "Thanks: we **talked** to them.\n<b>Second line</b>" in texts(app)  # as typed, never Markdown
    assert app.text_input(key="follow_code").value == ""  # the code doesn't stay on the screen


def test_a_wrong_code_is_named_next_to_the_field_and_the_reference_stays(
    app_db: sessionmaker[Session],
) -> None:
    app = ask(open_app(PAGE), "WAN-NOSUCH", "ABCD-EFGH-JKLM")
    assert not app.exception
    assert field_errors(app) == ["That reference and case code don't match a report. Check both and try again."]
    assert app.text_input(key="follow_reference").value == "WAN-NOSUCH"
    assert not app.subheader or all("Report" not in h.value for h in app.subheader)
