"""A mentee finds a mentor in the public directory, in a real browser."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from models import Mentor
from services.core.vocabulary import ListingStatus
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import (
    assert_no_exception,
    card_names,
    choose_option,
    open_app,
    save_screenshot,
)
from tests.conftest import NOW
from tests.factories import make_mentor

pytestmark = pytest.mark.browser

# name -> (pronouns, disciplines, country, city); listed newest first in this order.
LISTED = {
    "Amélie Laurent": ("she/her", ("brand",), "FR", "Paris"),
    "Bastien Moreau": ("he/him", ("brand", "strategy"), "FR", "Lyon"),
    "Dana Whitfield": ("", ("brand",), "GB", "London"),
    "Chidi Okafor": ("he/him", ("social",), "NG", "Lagos"),
    "Eiko Tanaka": ("", ("media_planning_buying",), "JP", "Tokyo"),
    "Felipe Souza": ("they/them", ("content",), "BR", "São Paulo"),
}
PAUSED = "Paula Pausée"  # French and in brand marketing too: only her status keeps her out
FRENCH = ["Amélie Laurent", "Bastien Moreau"]
BRAND = ["Amélie Laurent", "Bastien Moreau", "Dana Whitfield"]


def seed_directory(session: Session) -> dict[str, str]:
    """The mentors above, plus one paused; returns each listed mentor's stored LinkedIn URL.

    Amélie's LinkedIn slug is not ASCII, so it is stored percent-encoded: her link must carry
    exactly the stored address.
    """
    linkedin: dict[str, str] = {}
    for days, (name, (pronouns, disciplines, country, city)) in enumerate(LISTED.items(), 1):
        mentor_id = make_mentor(
            session,
            full_name=name,
            pronouns=pronouns,
            disciplines=disciplines,
            country=country,
            city=city,
            linkedin_url=f"https://www.linkedin.com/in/{name.split()[0].lower()}-test-{days}",
            listed_at=NOW - timedelta(days=days),
        )
        mentor = session.get(Mentor, mentor_id)
        assert mentor is not None and mentor.linkedin_url
        linkedin[name] = mentor.linkedin_url
    make_mentor(
        session,
        full_name=PAUSED,
        disciplines=("brand",),
        country="FR",
        city="Paris",
        status=ListingStatus.PAUSED,
    )
    return linkedin


@pytest.fixture(scope="module")
def directory(module_app_server_factory: StartServer) -> AppServer:
    """One server for the whole module: these tests do not depend on a fresh one."""
    return module_app_server_factory(seed=seed_directory)


def expect_count(page: Page, count: int) -> None:
    text = "1 mentor matches." if count == 1 else f"{count} mentors match."
    expect(page.get_by_text(text, exact=True)).to_be_visible()


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_a_mentee_filters_the_directory_and_reaches_out(directory: AppServer, page: Page) -> None:
    linkedin: dict[str, str] = directory.seeded
    open_app(page, directory.url("/"))
    assert_no_exception(page)
    expect_count(page, len(LISTED))
    assert card_names(page) == sorted(LISTED)
    expect(page.get_by_text(PAUSED)).to_have_count(0)

    choose_option(page, "Discipline", "Brand marketing")
    expect_count(page, len(BRAND))
    assert card_names(page) == BRAND
    assert query(page) == {"discipline": ["Brand marketing"]}

    choose_option(page, "Country", "France")
    expect_count(page, len(FRENCH))
    assert card_names(page) == FRENCH
    assert_no_exception(page)
    # The search lives in the URL, by the labels people read, so it can be shared.
    assert query(page) == {"discipline": ["Brand marketing"], "country": ["France"]}

    # The card is a list item named by its heading; its link says whose profile it opens.
    card = page.get_by_role("listitem", name="Amélie Laurent")
    link = card.get_by_role(
        "link", name="Reach out to Amélie Laurent on LinkedIn (opens in a new tab)"
    )
    expect(link).to_have_attribute("href", linkedin["Amélie Laurent"])
    expect(link).to_have_attribute("target", "_blank")
    assert "noreferrer" in (link.get_attribute("rel") or "")
    save_screenshot(page, "directory-filtered")

    # Clicking opens LinkedIn in a new tab (answered locally: nothing leaves this machine).
    page.context.route("https://www.linkedin.com/**", lambda route: route.fulfill(body="LinkedIn"))
    with page.context.expect_page() as new_tab:
        link.click()
    assert new_tab.value.url == linkedin["Amélie Laurent"]
    assert page.url.startswith(directory.base_url)  # the directory stays open in its own tab


def test_a_shared_search_url_shows_the_same_mentors(directory: AppServer, page: Page) -> None:
    open_app(page, directory.url("/", country="France"))
    assert_no_exception(page)
    expect(page.get_by_role("combobox", name="Country")).to_have_value("France")
    expect_count(page, len(FRENCH))
    assert card_names(page) == FRENCH
    expect(page.get_by_text(PAUSED)).to_have_count(0)
    save_screenshot(page, "directory-shared-url")


def test_a_bad_url_shows_every_mentor_and_no_error(directory: AppServer, page: Page) -> None:
    open_app(page, directory.url("/", country="Atlantis", page="zzz"))
    assert_no_exception(page)
    expect_count(page, len(LISTED))
    assert card_names(page) == sorted(LISTED)
    expect(page.get_by_role("combobox", name="Country")).to_have_value("")
    save_screenshot(page, "directory-bad-url")


def test_back_and_forward_move_through_the_mentees_searches(
    directory: AppServer, page: Page
) -> None:
    page.goto("about:blank")  # the page before the app: Back must never land here
    open_app(page, directory.url("/"))
    expect_count(page, len(LISTED))
    choose_option(page, "Discipline", "Brand marketing")
    expect_count(page, len(BRAND))
    choose_option(page, "Country", "France")
    expect_count(page, len(FRENCH))

    page.go_back()
    expect_count(page, len(BRAND))
    assert query(page) == {"discipline": ["Brand marketing"]}
    expect(page.get_by_role("combobox", name="Country")).to_have_value("")
    assert card_names(page) == BRAND
    page.go_back()
    expect_count(page, len(LISTED))
    assert query(page) == {}
    page.go_forward()
    expect_count(page, len(BRAND))
    assert query(page) == {"discipline": ["Brand marketing"]}
    page.go_forward()
    expect_count(page, len(FRENCH))
    expect(page.get_by_role("combobox", name="Country")).to_have_value("France")
    assert_no_exception(page)
    save_screenshot(page, "directory-after-back-and-forward")
