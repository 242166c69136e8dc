"""Leadership's trends page in Chromium, on the sample setup's year of history: seen, screenshotted,
used with the keyboard alone, and read as a screen reader gets it.

The screenshots are for people to look at: test-artifacts/trends-page-1280x800.png,
trends-page-390x844.png and trends-page-12-months.png. The tests check what leadership notices
first (the figures, every chart drawn, titles that fit, no error, nothing before signing in),
that axe-core finds no serious or critical issue on any console page with nothing excused, that
every keyboard stop on the trends page is visible and shows where focus is, that "Show data" keeps
focus, and what a screen reader is told of the cards, their sparklines and the tables.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from models import DirectorySearch
from models.base import utcnow
from services.accounts.auth import add_moderator
from services.listings.code_of_conduct import current_code
from services.samples.mentors import insert_sample_mentors
from services.samples.year import insert_sample_year
from tests.browser.keyboard import focus_from_top, tab_until
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    assert_no_exception,
    fill_sign_in_form,
    go_to,
    save_screenshot,
    wait_for_app_run,
    write_artifact,
)
from tests.browser.test_accessibility import FAILING_IMPACTS, axe_scan
from tests.browser.test_focus_visible import MARGIN, capture, indicator_pixels

pytestmark = pytest.mark.browser

MODERATOR = "leader"
PASSWORD = "correct horse battery"
CHARTS = 18  # 6 on reports, 2 on enforcement, 3 + 4 on the collective, 2 on searches, 1 on the workload
CARDS = 24
# A search whose words look like Markdown and HTML, made often and finding nobody: the page lists
# it among the frequent searches that found few mentors, and must show it exactly as typed.
TYPED = "**bold** :red[x] <b>hi</b> ![](http://127.0.0.1:9/t.png)"
CONSOLE = ["Moderation: trends", "Moderation: report queue", "Moderation: mentors",
           "Moderation: audit log"]  # fmt: skip
MAX_STOPS = 160


def seed_sample_year(session: Session) -> None:
    now = utcnow()
    insert_sample_mentors(session, count=120, code=current_code(), now=now)
    moderator = add_moderator(session, username=MODERATOR, password=PASSWORD, now=now)
    insert_sample_year(session, now=now, moderator_id=moderator.id)
    session.add_all(
        DirectorySearch(day=datetime.now(UTC).date(), keywords=TYPED, filter_key="lookalike",
                        results=0)
        for _ in range(40)
    )  # fmt: skip


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer) -> AppServer:
    return module_app_server_factory(seed=seed_sample_year)


def test_the_trends_page_shows_nothing_before_signing_in(app: AppServer, page: Page) -> None:
    page.goto(app.url("/moderation-trends"))  # the server sends it to the sign-in form first
    expect(page.get_by_role("heading", name="Moderator sign-in")).to_be_visible()
    assert page.url == app.url("/sign-in", next="/moderation-trends")
    expect(page.get_by_test_id("stMetricValue")).to_have_count(0)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)


def sign_in_to_trends(app: AppServer, page: Page) -> None:
    """Follow a bookmark of the trends page: the sign-in form, then the page itself."""
    page.goto(app.url("/moderation-trends"))
    fill_sign_in_form(page, MODERATOR, PASSWORD)
    page.wait_for_url(app.url("/moderation-trends"))
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached")
    wait_for_app_run(page)
    assert_no_exception(page)
    # the page is drawn: 18 charts load their code after the run (over 10 s on a loaded machine)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(CHARTS, timeout=30_000)
    page.wait_for_load_state("networkidle")
    # After a full page load (the sign-in form leads here) the sparklines can draw after the a11y
    # component's first pass: wait for it to have named each one and hidden its inner marks.
    page.wait_for_function(_SPARKLINES_NAMED)


_SPARKLINES_NAMED = """() => {
    const charts = [...document.querySelectorAll('[data-testid=stMetricChart]')];
    return charts.length > 0 && charts.every((chart) => chart.getAttribute('role') === 'img'
        && [...chart.children].every((inner) => inner.getAttribute('aria-hidden') === 'true'));
}"""


# Each chart's title and subtitle lines: how many there are, and how far they reach past the
# right edge of the chart (0 when they fit).
_TITLES = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')]
    .map((svg) => {
        const right = svg.getBoundingClientRect().right;
        const lines = [...svg.querySelectorAll('.role-title-text text, .role-title-subtitle text')]
            .map((t) => ({ text: t.textContent, over: t.getBoundingClientRect().right - right,
                           tspans: t.querySelectorAll('tspan').length }));
        return lines;
    })"""


def assert_titles_fit(page: Page) -> None:
    """Every chart's title and subtitle are one line each, within the chart."""
    for lines in page.evaluate(_TITLES):
        assert len(lines) == 2, lines  # the title, and the subtitle on one line
        assert all(line["over"] <= 0 and line["tspans"] <= 1 for line in lines), lines


def open_every_figures_table(page: Page) -> None:
    for summary in page.get_by_text(re.compile("^The figures: ")).all():
        summary.click()
    expect(page.get_by_test_id("stTable").first).to_be_visible()
    page.wait_for_timeout(300)  # the page's script marks tables that scroll


# The tables that don't fit their box, and the figures tables whose first cell (a date) breaks
# over lines (the transparency preview's first cells are parts of the Code: they may wrap).
_TABLES_FIT = """() => [...document.querySelectorAll('[data-testid=stTable] table')].filter((t) => {
    const first = document.createRange();
    first.selectNodeContents(t.querySelector('tbody td p'));
    const dated = (t.getAttribute('aria-label') || '').endsWith(': the figures');
    return t.parentElement.scrollWidth > t.parentElement.clientWidth + 1
        || (dated && first.getClientRects().length > 1);
}).map((t) => t.getAttribute('aria-label'))"""
# Tables that scroll sideways (on a phone) without a keyboard stop and a name.
_SCROLLING_UNREACHABLE = """() => [...document.querySelectorAll('[data-testid=stTable] table')]
    .map((t) => t.parentElement)
    .filter((box) => box.scrollWidth > box.clientWidth + 1)
    .filter((box) => box.getAttribute('tabindex') !== '0' || !box.getAttribute('aria-label'))
    .map((box) => box.querySelector('table').getAttribute('aria-label'))"""


def test_leadership_sees_a_year_of_trends_at_a_glance(app: AppServer, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_to_trends(app, page)
    expect(page.get_by_role("heading", name="Trends and metrics")).to_be_visible()
    expect(page.get_by_test_id("stMetricValue")).to_have_count(CARDS)
    charts = page.get_by_test_id("stVegaLiteChart")
    for chart in charts.all():  # drawn, not an empty frame
        expect(chart.locator("canvas, svg").first).to_be_visible()
    assert_titles_fit(page)
    save_screenshot(page, "trends-page-1280x800", max_height=12000)
    page.get_by_role("radio", name="Last 12 months").click()
    wait_for_app_run(page)
    assert_no_exception(page)
    expect(page.get_by_text("(364 days, by week")).to_be_visible()
    # A figures table holds every week in the page (a screen reader reaches each row) ...
    open_every_figures_table(page)
    table = page.get_by_role("table", name="Reports received: the figures")
    expect(table.get_by_role("columnheader", name="Week received")).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(52)
    # ... and every table fits the page: no column cut, no date broken over two lines.
    assert page.evaluate(_TABLES_FIT) == [], "tables wider than the page or with broken dates"
    save_screenshot(page, "trends-page-12-months", max_height=20000)


def test_on_a_phone_the_charts_fit_and_axe_finds_nothing_serious(app: AppServer, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_to_trends(app, page)
    assert_titles_fit(page)
    violations, _ = axe_scan(page, "trends-page-phone")
    assert not [f.describe() for f in violations if f.impact in FAILING_IMPACTS]
    save_screenshot(page, "trends-page-390x844", max_height=20000)
    # Wide tables scroll sideways on a phone: the keyboard reaches them, and they are named.
    open_every_figures_table(page)
    assert page.evaluate(_SCROLLING_UNREACHABLE) == []
    violations, _ = axe_scan(page, "trends-page-phone-figures")
    assert not [f.describe() for f in violations if f.impact in FAILING_IMPACTS]


def test_the_range_can_be_chosen_with_the_keyboard_alone(app: AppServer, page: Page) -> None:
    sign_in_to_trends(app, page)
    focus_from_top(page)
    # The range's presets are one Tab stop; the arrows move between them.
    tab_until(page, lambda stop: stop.role == "radio", max_tabs=40)
    twelve_months = page.get_by_role("radio", name="Last 12 months")
    for _ in range(4):
        if twelve_months.evaluate("e => e === document.activeElement"):
            break
        expect(page.get_by_role("radiogroup", name="Range").locator(":focus")).to_have_count(1)
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    wait_for_app_run(page)
    expect(page.get_by_role("radio", name="Last 12 months")).to_be_checked()
    expect(page.get_by_text("(364 days, by week")).to_be_visible()


@pytest.mark.parametrize("title", CONSOLE)
def test_no_console_page_has_a_serious_accessibility_finding_and_none_is_excused(
    app: AppServer, page: Page, title: str
) -> None:
    sign_in_to_trends(app, page)
    if title != "Moderation: trends":
        go_to(page, title)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # tables and charts load their code after the run
    state = "console-" + title.split(": ")[1].replace(" ", "-")
    violations, _ = axe_scan(page, state)
    serious = [f.describe() for f in violations if f.impact in FAILING_IMPACTS]
    assert not serious, f"test-artifacts/accessibility/{state}.txt:\n" + "\n".join(serious)


# The focused element's box, how opaque it is on screen (its own opacity times its ancestors'),
# and its name; the element is kept to focus it again after the unfocused shot.
_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const host = el.matches('input') && el.closest('.react-aria-ComboBox > [role="group"]') || el;
    const r = host.getBoundingClientRect();
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) opacity *= parseFloat(getComputedStyle(n).opacity);
    window.__wanFocused = el;
    const name = (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 70);
    return {x: r.x, y: r.y, width: r.width, height: r.height, opacity, name};
}"""


def test_every_keyboard_stop_of_the_trends_page_is_visible_and_shows_focus(
    app: AppServer, page: Page
) -> None:
    """Before, 63 of 110 stops were chart and table toolbar buttons drawn at opacity 0."""
    sign_in_to_trends(app, page)
    page.mouse.move(0, 0)
    focus_from_top(page)
    viewport = page.viewport_size or {"width": 1280, "height": 900}
    seen: list[str] = []
    faint: list[str] = []
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        box = page.evaluate(_FOCUSED)
        if box is None or (seen and box["name"] == seen[0]):
            break  # past the last stop
        seen.append(box["name"])
        if box["opacity"] < 0.99:
            faint.append(f"{box['name']!r}: drawn at opacity {box['opacity']:.2f}")
            continue
        x, y = max(0.0, box["x"] - MARGIN), max(0.0, box["y"] - MARGIN)
        clip = {"x": x, "y": y, "width": min(box["width"] + 2 * MARGIN, viewport["width"] - x),
                "height": min(box["height"] + 2 * MARGIN, viewport["height"] - y)}  # fmt: skip
        if clip["width"] < 4 or clip["height"] < 4:
            faint.append(f"{box['name']!r}: not on screen when focused")
            continue
        page.wait_for_timeout(60)  # transitions of the ring and the toolbar
        focused = capture(page, clip)
        page.evaluate("() => document.activeElement.blur()")
        page.wait_for_timeout(60)
        unfocused = capture(page, clip)
        page.evaluate("() => window.__wanFocused.focus()")
        needed = 2 * (min(box["width"], clip["width"]) + min(box["height"], clip["height"]))
        found = indicator_pixels(focused, unfocused)
        if found < needed:
            faint.append(f"{box['name']!r}: {found} px at 3:1 or more, {needed:.0f} needed")
    write_artifact("accessibility/focus-trends.txt",
                   "\n".join([f"{len(seen)} stops", *seen, "", "faint:", *faint]) + "\n")  # fmt: skip
    toolbar = [name for name in seen if name.startswith(("Show data: ", "Fullscreen: "))]
    assert len(toolbar) == 2 * CHARTS, seen  # each chart's toolbar is reached, named by its chart
    assert not faint, "focus hard to see on the trends page:\n" + "\n".join(faint)


def test_show_data_keeps_focus_on_the_chart_toolbar(app: AppServer, page: Page) -> None:
    sign_in_to_trends(app, page)
    focus_from_top(page)
    tab_until(page, lambda stop: stop.name.startswith("Show data: Reports received"), max_tabs=40)
    page.keyboard.press("Enter")
    back = page.get_by_role("button", name=re.compile("^Show chart: Reports received"))
    expect(back).to_be_focused()
    expect(page.locator("[data-testid=stElementToolbar]:focus-within")).to_have_css("opacity", "1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile("^Show data: Reports received"))).to_be_focused()


def test_a_screen_reader_hears_each_card_its_change_with_a_sign_and_its_sparkline_by_figures(
    app: AppServer, page: Page
) -> None:
    sign_in_to_trends(app, page)
    cards = page.get_by_test_id("stMetric")
    expect(cards).to_have_count(CARDS)
    for card in cards.all():
        sparkline = card.get_by_role("img")
        expect(sparkline).to_have_count(1)
        label = card.get_by_test_id("stMetricLabel").inner_text().strip()
        expect(sparkline).to_have_accessible_name(re.compile(
            rf"^{re.escape(label)}( in (hours|days))?, week by week from "
            r"\d{4}-\d\d-\d\d: ([\d.,]+|none)(, ([\d.,]+|none))*$"
            # a share is two levels, not a series
            rf"|^{re.escape(label)}: \d+% at the start of the range, \d+% at its end$"))  # fmt: skip
        delta = card.get_by_test_id("stMetricDelta")
        text = delta.inner_text().strip()
        assert re.fullmatch(r"[+-][\d,]+(\.\d (h|days)| points)?|0", text), text
        way = "no change" if text == "0" else "up" if text.startswith("+") else "down"
        expect(delta).to_have_accessible_description(re.compile(f"^{way} from the 84 days before$"))


def test_searched_words_are_shown_as_typed_never_as_markdown(app: AppServer, page: Page) -> None:
    sign_in_to_trends(app, page)
    searches = page.get_by_test_id("stTable").filter(has_text="Times searched")
    cell = searches.locator("tbody tr").first.locator("td").first
    assert cell.inner_text().replace("\u2060", "") == f'"{TYPED}"'
    expect(searches.locator("strong, b, img, span[style*='color']")).to_have_count(0)
