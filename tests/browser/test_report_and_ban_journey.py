"""A mentee reports a mentor; a moderator reads the report and bans them; the ban holds. In a real
browser: the directory no longer lists them, and a new visitor can't sign up again with their
email or their LinkedIn profile."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Mentor, OutboxMail, Report
from models.base import utcnow
from services.accounts import auth
from services.core.vocabulary import ListingStatus
from services.reports.intake import ReportCategory, ReportInput, file_report
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    Site,
    assert_no_exception,
    card_names,
    choose_option,
    fill_sign_up_form,
    go_to,
    open_app,
    save_screenshot,
    search_directory,
    sign_in,
    wait_for_app_run,
)
from tests.factories import make_mentor

pytestmark = pytest.mark.browser

MENTOR = "Victor Banning"
MENTOR_CHOICE = f"{MENTOR} (Senior Copywriter, Northbound Creative, London)"  # as the report form lists him
LINKEDIN = "https://www.linkedin.com/in/victor-banning"
EMAIL = "victor@example.org"
OTHER = "Nadia Staysput"
MODERATOR = "alice"
PASSWORD = "correct horse battery"
CATEGORY = "Asking for payment or compensation of any kind (section 3)"
WHAT_HAPPENED = "He asked me for 50 euros before he would look at my portfolio."
REFERENCE = re.compile(r"WAN-[A-Z2-9]{4}-[A-Z2-9]{4}")


@dataclass(frozen=True)
class Seeded:
    mentor_id: int


def seed(session: Session) -> Seeded:
    mentor_id = make_mentor(
        session, full_name=MENTOR, email=EMAIL, linkedin_url=LINKEDIN
    )
    make_mentor(session, full_name=OTHER)
    auth.add_moderator(session, username=MODERATOR, password=PASSWORD, now=utcnow())
    return Seeded(mentor_id=mentor_id)


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer) -> AppServer:
    return module_app_server_factory(seed=seed)


def pick_radio(page: Page, question: str, answer: str) -> None:
    """Click the answer's label in the radio group asking `question`, as a person would."""
    group = page.get_by_role("radiogroup", name=question)
    group.get_by_text(answer, exact=True).click()
    expect(group.get_by_role("radio", name=answer, exact=True)).to_be_checked()


def file_the_report(app: AppServer, page: Page, *, email: str = "") -> str:
    """The mentee's part: find the mentor, say what happened (with an address to hear back at,
    if given), send; returns the reference."""
    open_app(page, app.url("/"))
    go_to(page, "Report a violation")
    search = page.get_by_label("Search for the mentor", exact=True)
    search.fill("victor")
    search.press("Enter")
    wait_for_app_run(page)
    choose_option(page, "Mentor", MENTOR_CHOICE)
    pick_radio(page, "What part of the Code of Conduct was broken?", CATEGORY)
    page.get_by_label("What happened", exact=True).fill(WHAT_HAPPENED)
    pick_radio(page, "Were you the mentee, or did you witness it?", "I was the mentee")
    if email:
        page.get_by_label("Your email, if you'd like us to follow up (optional)", exact=True).fill(email)
    page.get_by_role("button", name="Send report").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    success = page.get_by_test_id("stAlertContainer").filter(has_text="Your reference is")
    expect(success).to_contain_text("Your report has reached the moderators.")
    found = REFERENCE.search(success.inner_text())
    assert found, success.inner_text()
    return found.group()


def sign_in_as_moderator(app: Site, page: Page) -> None:
    """At the server's sign-in form; it leads on to the report queue."""
    sign_in(page, app, MODERATOR, PASSWORD)


def test_a_reported_mentor_is_banned_and_stays_out(
    app: AppServer, page: Page, browser: Browser
) -> None:
    reference = file_the_report(app, page)

    # A moderator signs in and lands on the queue, the report first.
    sign_in_as_moderator(app, page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Report queue", level=1)).to_be_visible()
    expect(page.get_by_role("combobox", name="Open a report", exact=True)).to_have_value(
        re.compile(rf"^{reference} · {re.escape(CATEGORY.removesuffix(' (section 3)'))}")
    )
    expect(main.get_by_role("heading", name=reference, exact=False)).to_be_visible()
    expect(main.get_by_text(WHAT_HAPPENED, exact=True)).to_be_visible()
    expect(main.get_by_text("Reporter: I was the mentee", exact=False)).to_be_visible()
    save_screenshot(page, "report-queue-open")

    # Ban, with a reason for the audit log.
    main.get_by_role("button", name="Ban", exact=True).click()
    wait_for_app_run(page)
    page.get_by_label("Reason (goes into the audit log)", exact=True).fill(
        f"Asked a mentee for money ({reference})."
    )
    page.get_by_role("button", name="Confirm: ban").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(main.get_by_text("Ban: done", exact=False)).to_be_visible()
    expect(main.get_by_role("button", name="Restore", exact=True)).to_be_visible()
    # The report stays open, resolved by the ban.
    expect(main.get_by_role("heading", name=reference, exact=False)).to_be_visible()
    expect(main.get_by_text("Resolved: action taken", exact=False).first).to_be_visible()
    with app.writer() as session:
        mentor = session.get(Mentor, app.seeded.mentor_id)
        assert mentor is not None and mentor.status == ListingStatus.BANNED.value
        reason = session.scalar(
            select(AuditEvent.reason).where(
                AuditEvent.action == "listing.banned", AuditEvent.mentor_id == mentor.id
            )
        )
        assert reason == f"Asked a mentee for money ({reference})."

    # The directory no longer lists him; the other mentor is still there.
    open_app(page, app.url("/"))
    search_directory(page, MENTOR)
    assert card_names(page) == []
    search_directory(page, OTHER)
    assert card_names(page) == [OTHER]

    # A new visitor can't list his email again, nor his LinkedIn profile, each with something
    # new beside it; the refusal is calm and the same for both.
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        newcomer = visitor.new_page()
        for attempt, (email, linkedin) in {
            "email": (EMAIL.upper(), "https://www.linkedin.com/in/someone-quite-new"),
            "linkedin": ("victor.new@example.org", LINKEDIN.replace("www.", "fr.") + "/"),
        }.items():  # fmt: skip
            refused_sign_up(app, newcomer, email=email, linkedin=linkedin)
            save_screenshot(newcomer, f"signup-refused-after-ban-{attempt}")
        search_directory(newcomer, MENTOR)
        assert card_names(newcomer) == []
    finally:
        visitor.close()
    with app.writer() as session:
        assert session.scalar(select(func.count()).select_from(Mentor)) == 2  # nobody new listed
        to = [EMAIL.upper(), "victor.new@example.org"]  # what a ban blocks is never mailed
        assert session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.recipient.in_(to))) == 0


def refused_sign_up(app: AppServer, page: Page, *, email: str, linkedin: str) -> None:
    """A fresh visit to Become a mentor, the form filled and sent: the answer any sign-up gets."""
    open_app(page, app.url("/"))
    go_to(page, "Become a mentor")
    fill_sign_up_form(page, name="Victor Again", email=email, linkedin=linkedin)
    page.get_by_role("button", name="Sign and send me the link").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    answer = page.locator(".st-key-signup_done")
    expect(answer).to_contain_text("Check your inbox")  # what any address is told
    expect(answer).not_to_contain_text("ban")  # it reveals nothing
    open_app(page, app.url("/"))


def test_on_the_mentors_page_remove_then_restore_changes_only_that_mentor(
    app: AppServer, page: Page
) -> None:
    with app.writer.begin() as session:
        others = [make_mentor(session, full_name=name) for name in ("Ana Aro", "Ben Berg", "Cai Chu")]
        target = others[1]
    sign_in_as_moderator(app, page)
    go_to(page, "Moderation: mentors")
    main = page.get_by_test_id("stMain")
    choose_option(page, "Open a mentor", f"Ben Berg · #{target}")
    main.get_by_role("button", name="Remove", exact=True).click()
    wait_for_app_run(page)
    expect(main.get_by_text("Remove: Ben Berg?", exact=False)).to_be_visible()  # names its target
    page.get_by_label("Reason (goes into the audit log)", exact=True).fill("Rude to a mentee.")
    # From the roster no report names the part of the Code: the moderator chooses it.
    choose_option(page, "The part of the Code of Conduct this enforces",
                  "Section 2: respectful and accepting of everyone")  # fmt: skip
    page.get_by_role("button", name="Confirm: remove").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(main.get_by_text("Remove: done for Ben Berg.", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Open a mentor", exact=True)).to_have_value(f"Ben Berg · #{target}")
    main.get_by_role("button", name="Restore", exact=True).click()
    wait_for_app_run(page)
    page.get_by_label("Reason (goes into the audit log)", exact=True).fill("My mistake.")
    page.get_by_role("button", name="Confirm: restore").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(main.get_by_text("Restore: done for Ben Berg.", exact=True)).to_be_visible()
    save_screenshot(page, "mentors-page-after-restore")
    with app.writer() as session:
        acted_on = session.execute(
            select(AuditEvent.mentor_id, AuditEvent.action)
            .where(AuditEvent.action.in_(("listing.removed", "listing.restored")),
                   AuditEvent.mentor_id.in_(others))
            .order_by(AuditEvent.id)
        ).all()  # fmt: skip
        assert [tuple(row) for row in acted_on] == [(target, "listing.removed"), (target, "listing.restored")]
        statuses = session.scalars(select(Mentor.status).where(Mentor.id.in_(others)))
        assert set(statuses) == {ListingStatus.LISTED.value}


def test_a_case_never_carries_the_choices_made_on_the_one_opened_before(
    app: AppServer, page: Page
) -> None:
    cases: dict[str, str] = {}  # mentor -> the case's entry in "Open a report"
    with app.writer.begin() as session:
        auth.add_moderator(session, username="bob", password=PASSWORD, now=utcnow())
        for n, name in enumerate(("Case Anna", "Case Bruno")):
            mentor_id = make_mentor(session, full_name=name)
            receipt = file_report(session, client_key=f"case-{n}", now=utcnow(), report=ReportInput(
                mentor_id=mentor_id, category=ReportCategory.NOT_RESPONSIVE.value,
                description=f"No reply from {name}.", reporter_role="mentee"))  # fmt: skip
            report_id = session.scalar(select(Report.id).where(Report.reference == receipt.reference))
            cases[name] = (f"{receipt.reference} · {ReportCategory.NOT_RESPONSIVE.label} · {name}"
                           f" · #{report_id}")  # fmt: skip
    sign_in_as_moderator(app, page)
    main = page.get_by_test_id("stMain")
    # The oldest report opens first: Case Anna's.
    expect(page.get_by_role("combobox", name="Open a report")).to_have_value(cases["Case Anna"])
    expect(main.get_by_text("No reply from Case Anna.", exact=True)).to_be_visible()
    choose_option(page, "Assigned to", "bob")  # chosen on case A, never assigned
    page.get_by_label("Add a note (only moderators see it)", exact=True).fill("About Anna only")
    choose_option(page, "Open a report", cases["Case Bruno"])
    expect(main.get_by_text("No reply from Case Bruno.", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Assigned to")).to_have_value("Nobody")
    expect(page.get_by_label("Add a note (only moderators see it)", exact=True)).to_have_value("")
    assert_no_exception(page)
    save_screenshot(page, "report-queue-second-case")
