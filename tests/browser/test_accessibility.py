"""Accessibility of the public pages: axe-core in Chromium, and the keyboard alone.

axe-core (bundled with the `axe-playwright-python` package) runs on every public page, on the
directory with filters applied (so multiselect tags show) and in a phone-sized window, on Become
a mentor after an empty submit (so the error messages show) and on the report form with the date
picker open. A test
fails on any "serious" or "critical" violation, except the few listed in EXCLUSIONS: findings
inside Streamlit's own widgets that no theme, config or call of ours can change. Each exclusion
names one rule and one element (a CSS selector the offending element must be inside), never a
whole rule. Lesser findings ("moderate", "minor") and axe's "needs review" results are reported,
not failed on.

Every scan writes its full findings to test-artifacts/accessibility/<state>.txt and a screenshot
beside it. AXE_CORE_JS=/path/to/axe.min.js runs another axe-core build instead of the bundled one.

The keyboard tests start from the top of the page and press Tab only, recording every stop, so a
failure shows where focus went instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy.orm import Session

from models import Mentor
from tests.browser.keyboard import DESCRIBE_FOCUS, focus_from_top, named, tab_until
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    ARTIFACTS,
    assert_no_exception,
    open_app,
    past_first_visit,
    save_screenshot,
    wait_for_app_run,
    whole_page_in_view,
    write_artifact,
)
from tests.conftest import NOW
from tests.factories import make_mentor

pytestmark = pytest.mark.browser

REPORTS = ARTIFACTS / "accessibility"
FAILING_IMPACTS = ("critical", "serious")
# Tab presses allowed to reach a control from the top of the page (needed now: 19 and 36).
MAX_TABS_DIRECTORY = 40
MAX_TABS_SIGN_UP = 60

# --- What we excuse, and why ----------------------------------------------------------------------


@dataclass(frozen=True)
class Exclusion:
    rule: str
    inside: str  # CSS selector: only a finding on this element or inside it is excused
    why: str


EXCLUSIONS: tuple[Exclusion, ...] = (
    # The date_input calendar pop-up (st.date_input on /report, drawn only while open). Its month
    # and year pickers are buttons showing "November" / "2026" but named "month" / "year" by
    # Streamlit (aria-label), so axe-core 4.14 reports them; the bundled 4.12 does not check this
    # yet. No argument of st.date_input or config option changes these buttons (we
    # checked each); screen readers still announce "month, November".
    Exclusion(
        "label-content-name-mismatch",
        "[data-testid='stDateInputCalendar'] header",
        "Streamlit's calendar names its month/year buttons 'month'/'year'",
    ),
)
# Not excused, because nothing needs it or because it is ours to fix:
# - the main menu's pop-up: `client.toolbarMode = "minimal"` (config.toml) removes the menu;
# - the sidebar menu's invalid list markup (rules "list" and "listitem" on
#   <ul data-testid="stSidebarNavItems">): Streamlit draws it so only when st.navigation gets
#   sections in the sidebar, which is dashboard.py's choice. `position="top"` (with the public
#   pages under the section "") or a flat page list clears it.


# --- Running axe and reading its findings -------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    help: str
    target: str
    html: str
    summary: str
    excused_by: str | None
    needs_review: bool = False

    @property
    def fails(self) -> bool:
        return self.impact in FAILING_IMPACTS and not self.excused_by and not self.needs_review

    def describe(self) -> str:
        if self.needs_review:
            verdict = "needs review"
        elif self.excused_by:
            verdict = f"excused: {self.excused_by}"
        else:
            verdict = "FAILS" if self.fails else "reported"
        html = " ".join(self.html.split())
        html = html if len(html) <= 240 else html[:237] + "..."
        summary = " ".join(self.summary.split())
        return (
            f"- [{self.impact}] {self.rule} ({verdict}): {self.help}\n"
            f"    target: {self.target}\n    html:   {html}\n    why:    {summary}"
        )


def _axe() -> Axe:
    path = os.environ.get("AXE_CORE_JS")
    return Axe.from_file(path) if path else Axe()  # type: ignore[return-value]


AXE = _axe()

_INSIDE = "([target, selector]) => !!document.querySelector(target)?.closest(selector)"


def _excused_by(page: Page, rule: str, target: list[Any]) -> str | None:
    if len(target) != 1 or not isinstance(target[0], str):
        return None  # inside an iframe or a shadow root: nothing of ours is excused there
    for exclusion in EXCLUSIONS:
        if exclusion.rule == rule and page.evaluate(_INSIDE, [target[0], exclusion.inside]):
            return exclusion.why
    return None


def axe_scan(page: Page, state: str) -> tuple[list[Finding], list[Finding]]:
    """axe's violations and its "needs review" results; the report goes to a file."""
    with whole_page_in_view(page):
        response = AXE.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
        violations = findings(page, response["violations"])
        review = findings(page, response["incomplete"], needs_review=True)
    version = response["testEngine"]["version"]
    write_report(f"{state}.txt", report(state, violations, review, version=version))
    save_screenshot(page, f"accessibility/{state}")
    return violations, review


def findings(
    page: Page, results: list[dict[str, Any]], *, needs_review: bool = False
) -> list[Finding]:
    """One Finding per element axe named (while the page is as axe saw it)."""
    return [
        Finding(
            rule=result["id"],
            impact=node.get("impact") or result.get("impact") or "unknown",
            help=result["help"],
            target=" >>> ".join(map(str, node["target"])),
            html=node.get("html", ""),
            summary=node.get("failureSummary") or "",
            excused_by=None if needs_review else _excused_by(page, result["id"], node["target"]),
            needs_review=needs_review,
        )
        for result in results
        for node in result["nodes"]
    ]


def write_report(name: str, text: str) -> None:
    write_artifact(f"accessibility/{name}", text)


def report(state: str, violations: list[Finding], review: list[Finding], *, version: str) -> str:
    failing = [f for f in violations if f.fails]
    lines = [
        f"axe-core {version} on '{state}': {len(violations)} violation node(s), "
        f"{len(failing)} failing (serious/critical, not excused)."
    ]
    lines += [f.describe() for f in sorted(violations, key=_severity)]
    if review:
        lines.append(f"\nNeeds review (axe could not decide; not failed on): {len(review)} node(s)")
        lines += [f.describe() for f in sorted(review, key=_severity)]
    return "\n".join(lines) + "\n"


def _severity(finding: Finding) -> tuple[int, str]:
    order = ["critical", "serious", "moderate", "minor"]
    rank = order.index(finding.impact) if finding.impact in order else len(order)
    return rank, finding.rule


# --- The app, seeded with a few mentors -----------------------------------------------------------


def seed_mentors(session: Session) -> None:
    """Mentors whose cards show every variant: pronouns or not, busy, not open, sample."""
    people = [
        ("Amélie Laurent", "she/her", ("brand",), "FR", "Paris", True, ""),
        ("Chidi Okafor", "he/him", ("social", "strategy"), "NG", "Lagos", False, "Back in March"),
        ("Dana Whitfield", "", ("brand", "content"), "GB", "London", True, "Slower replies"),
        ("Eiko Tanaka", "they/them", ("media_planning_buying",), "JP", "Tokyo", True, ""),
    ]
    for days, (name, pronouns, disciplines, country, city, open_, note) in enumerate(people, 1):
        mentor_id = make_mentor(
            session,
            full_name=name,
            pronouns=pronouns,
            disciplines=disciplines,
            country=country,
            city=city,
            open_to_new_mentees=open_,
            availability_note=note,
            linkedin_url=f"https://www.linkedin.com/in/{name.split()[0].lower()}-a11y-{days}",
            listed_at=NOW - timedelta(days=days),
        )
        if name == "Eiko Tanaka":  # one sample profile: the directory then shows its warning
            mentor = session.get(Mentor, mentor_id)
            assert mentor is not None
            mentor.is_sample = True


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer, browser: Browser) -> AppServer:
    """One seeded server for the module, already past its first visit of `/`.

    A fresh server runs the legacy `pages/` mode until some session has run dashboard.py (see
    docs/ARCHITECTURE.md): a first request to /report then shows "Page not found" over the page.
    """
    return past_first_visit(module_app_server_factory(seed=seed_mentors), browser)


# --- Page states to scan ----------------------------------------------------------------------------


def settle(page: Page, ready: Locator) -> None:
    """Wait until the page is drawn: widgets load their code after the script has finished."""
    expect(ready).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert_no_exception(page)


def directory(page: Page, app: AppServer) -> None:
    open_app(page, app.url("/"))
    settle(page, page.get_by_role("link", name=re.compile("^Reach out to .* on LinkedIn")).first)


def directory_filtered(page: Page, app: AppServer) -> None:
    """Filters applied through the URL (as a shared search): two tags, the switch on."""
    query = {"discipline": "Brand marketing", "language": "English", "open": "true"}
    open_app(page, app.url("/", **query))
    expect(page.get_by_text("2 mentors match.", exact=True)).to_be_visible()
    for tag in ("Brand marketing", "English"):
        expect(page.get_by_role("button", name=f"Remove {tag}")).to_be_visible()
    expect(page.get_by_label("Only mentors open to new mentees", exact=True)).to_be_checked()
    settle(page, page.get_by_role("link", name=re.compile("^Reach out to .* on LinkedIn")).first)


def directory_phone(page: Page, app: AppServer) -> None:
    """A phone-sized window: the menu folds away, the filters stack."""
    page.set_viewport_size({"width": 390, "height": 844})
    directory(page, app)


def become_a_mentor(page: Page, app: AppServer) -> None:
    open_app(page, app.url("/become-a-mentor"))
    settle(page, page.get_by_role("button", name="Sign and send me the link"))


def become_a_mentor_errors(page: Page, app: AppServer) -> None:
    become_a_mentor(page, app)
    page.get_by_role("button", name="Sign and send me the link").click()
    wait_for_app_run(page)
    settle(page, page.get_by_text("Please fix", exact=False))


def manage_listing(page: Page, app: AppServer) -> None:
    open_app(page, app.url("/manage-my-listing"))
    settle(page, page.get_by_role("button", name="Please remove me"))


def code_of_conduct(page: Page, app: AppServer) -> None:
    open_app(page, app.url("/code-of-conduct"))
    settle(page, page.get_by_role("link", name="report it here"))


def report_a_violation(page: Page, app: AppServer) -> None:
    open_app(page, app.url("/report"))
    settle(page, page.get_by_role("button", name="Send report"))


def follow_my_report_errors(page: Page, app: AppServer) -> None:
    open_app(page, app.url("/follow-my-report"))
    page.get_by_label("Reference").fill("WAN-NOSUCH")
    page.get_by_label("Case code").fill("ABCD-EFGH-JKLM")
    page.get_by_role("button", name="Show my case").click()
    settle(page, page.get_by_text("don't match a report", exact=False).first)


def report_calendar_open(page: Page, app: AppServer) -> None:
    report_a_violation(page, app)
    page.get_by_test_id("stDateInputCalendarButton").click()
    expect(page.get_by_role("grid")).to_be_visible()


def how_we_enforce(page: Page, app: AppServer) -> None:
    open_app(page, app.url("/how-we-enforce-the-code"))
    page.get_by_role("heading", name="Violations (section 3 of the Code)").wait_for()


def reports_and_outcomes(page: Page, app: AppServer) -> None:
    open_app(page, app.url("/reports-and-outcomes"))
    settle(page, page.get_by_text("No period has been published yet.", exact=False))


def check_a_receipt_answered(page: Page, app: AppServer) -> None:
    open_app(page, app.url("/check-a-receipt"))
    page.get_by_label("Verification code").fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name="Check").click()
    settle(page, page.get_by_text("No signature we hold matches", exact=False).first)


STATES: dict[str, Callable[[Page, AppServer], None]] = {
    "directory": directory,
    "directory-filtered": directory_filtered,
    "directory-phone": directory_phone,
    "become-a-mentor": become_a_mentor,
    "become-a-mentor-errors": become_a_mentor_errors,
    "manage-my-listing": manage_listing,
    "code-of-conduct": code_of_conduct,
    "report": report_a_violation,
    "report-calendar-open": report_calendar_open,
    "follow-my-report-errors": follow_my_report_errors,
    "how-we-enforce-the-code": how_we_enforce,
    "check-a-receipt-answered": check_a_receipt_answered,
    "reports-and-outcomes": reports_and_outcomes,
}


@pytest.mark.parametrize("state", list(STATES))
def test_no_serious_axe_violations(app: AppServer, page: Page, state: str) -> None:
    STATES[state](page, app)
    violations, review = axe_scan(page, state)
    failing = [f for f in violations if f.fails]
    if failing:
        pytest.fail(
            f"{len(failing)} serious/critical accessibility violation node(s) on '{state}' "
            f"(full report: test-artifacts/accessibility/{state}.txt):\n"
            + "\n".join(f.describe() for f in sorted(violations, key=_severity))
            + (f"\n(and {len(review)} 'needs review' node(s), in the report)" if review else ""),
            pytrace=False,
        )


# --- The keyboard alone -------------------------------------------------------------------------------

DIRECTORY_CONTROLS = [
    "Search by name, role, company, place, discipline, language or topic",
    "Discipline",
    "Seniority",
    "What they offer",
    "Country",
    "Language",
    "Only mentors open to new mentees",
    "Sort by",
    "Clear all",
    "Reach out to",
]


def _is(stop_name: str, control: str) -> bool:
    """The stop is this control (a stop's name is cut at 60 characters: the search box's label
    is longer)."""
    return stop_name.startswith(control) or (len(stop_name) >= 50 and control.startswith(stop_name))


def test_keyboard_reaches_search_filters_and_linkedin(app: AppServer, page: Page) -> None:
    directory(page, app)
    focus_from_top(page)
    stops = tab_until(page, named("Reach out to", prefix=True), max_tabs=MAX_TABS_DIRECTORY)
    reached = {stop.name: n for n, stop in reversed(list(enumerate(stops, 1)))}
    trail = "\n".join(f"{n:3}. {stop}" for n, stop in enumerate(stops, 1))
    write_report("keyboard-directory.txt", trail + "\n")
    missing = [c for c in DIRECTORY_CONTROLS if not any(_is(n, c) for n in reached)]
    assert not missing, f"never focused by Tab: {missing}; focus went:\n{trail}"
    # In DOM order: the search box first, the filters next, the cards last.
    order = [
        min(n for name, n in reached.items() if _is(name, c)) for c in DIRECTORY_CONTROLS
    ]
    assert order == sorted(order), f"unexpected Tab order:\n{trail}"
    # Focus is on the first card's link (the newest mentor), the one a keyboard user follows.
    expect(page.locator(":focus")).to_have_attribute("href", re.compile(r"-a11y-1$"))
    save_screenshot(page, "accessibility/keyboard-linkedin-focused")


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_keyboard_submits_become_a_mentor_and_sees_errors(
    app: AppServer, page: Page, key: str
) -> None:
    become_a_mentor(page, app)
    focus_from_top(page)
    stops = tab_until(page, named("Sign and send me the link"), max_tabs=MAX_TABS_SIGN_UP)
    trail = "\n".join(f"{n:3}. {stop}" for n, stop in enumerate(stops, 1))
    page.keyboard.press(key)
    wait_for_app_run(page)
    assert_no_exception(page)
    # The summary at the top of the form (role="alert": screen readers announce it) has focus ...
    summary = page.get_by_role("alert").filter(has_text="Please fix")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Everything you typed is still here.")
    expect(page.locator(".st-key-wan_summary_signup")).to_be_focused()
    # ... and each field is marked invalid and described by its own message under it.
    full_name = page.get_by_label("Full name", exact=True)
    expect(full_name).to_have_attribute("aria-invalid", "true")
    expect(full_name).to_have_accessible_description(re.compile("Please enter your full name"))
    after = page.evaluate(DESCRIBE_FOCUS)
    write_report(
        f"keyboard-become-a-mentor-{key.lower()}.txt", f"{trail}\nfocus after {key}: {after}\n"
    )
    save_screenshot(page, f"accessibility/keyboard-become-errors-{key.lower()}")
