"""The public directory page, as a mentee uses it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from services.core import step_aside
from services.core.vocabulary import ListingStatus
from tests.factories import make_mentor, sign_up
from tests.pages.conftest import DASHBOARD, card_names, card_texts, open_app, shown
from ui import a11y


def count_line(app: AppTest) -> str:
    return next(
        m.value for m in app.markdown if re.match(r"^(More than )?[\d,]+ mentors? match", m.value)
    )


def url_values(app: AppTest, name: str) -> list[str]:
    value = app.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


@pytest.fixture
def three_mentors(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        make_mentor(
            session, full_name="Ada Brand", disciplines=("brand",), country="FR", city="Paris"
        )
        make_mentor(
            session, full_name="Bo Media", disciplines=("media_planning_buying",), country="GB"
        )
        make_mentor(session, full_name="Cy Social", disciplines=("social",), country="GB",
                    open_to_new_mentees=False)  # fmt: skip
        make_mentor(session, full_name="Paused Person", status=ListingStatus.PAUSED)


def test_directory_lists_listed_mentors_with_a_count(three_mentors: None) -> None:
    app = open_app()
    assert not app.exception
    assert sorted(card_names(app)) == ["Ada Brand", "Bo Media", "Cy Social"]
    assert count_line(app) == "3 mentors match."


def test_choosing_filters_narrows_the_results(three_mentors: None) -> None:
    app = open_app()
    app.multiselect(key="discipline").set_value(["brand", "social"]).run()
    assert sorted(card_names(app)) == ["Ada Brand", "Cy Social"]
    app.checkbox(key="open").set_value(True).run()
    assert card_names(app) == ["Ada Brand"]
    assert count_line(app) == "1 mentor matches."


def filters_label(app: AppTest) -> str:
    return next(e.label for e in app.expander if e.label.startswith("Filters"))


def test_the_folded_filters_say_how_many_are_chosen(three_mentors: None) -> None:
    # On a phone the filters start folded (ui/a11y.js): their heading still tells what is set.
    app = open_app()
    assert filters_label(app) == "Filters"
    app.text_input(key="q").set_value("brand").run()  # the search box is not among them
    assert filters_label(app) == "Filters"
    app.multiselect(key="discipline").set_value(["brand", "social"]).run()
    assert filters_label(app) == "Filters · 1 chosen"
    app.checkbox(key="open").set_value(True).run()
    assert filters_label(app) == "Filters · 2 chosen"
    next(b for b in app.button if b.label == "Clear all").click().run()
    assert filters_label(app) == "Filters"


def test_a_shared_url_restores_the_same_search(three_mentors: None) -> None:
    # Choices travel in the URL by their labels, so a shared link reads like the search.
    app = open_app(country="United Kingdom", open="true")
    assert app.selectbox(key="country").value == "GB"
    assert app.checkbox(key="open").value is True
    assert card_names(app) == ["Bo Media"]


def test_each_new_search_is_written_to_the_url_and_back_restores_the_one_before(
    three_mentors: None,
) -> None:
    app = open_app()
    app.multiselect(key="discipline").set_value(["brand", "social"]).run()
    assert url_values(app, "discipline") == ["Brand marketing", "Social media"]
    app.selectbox(key="country").set_value("FR").run()
    assert url_values(app, "country") == ["France"]
    assert card_names(app) == ["Ada Brand"]
    # Back: the browser reruns the page with the URL of the search before.
    del app.query_params["country"]
    app.run()
    assert app.selectbox(key="country").value is None
    assert app.multiselect(key="discipline").value == ["brand", "social"]
    assert sorted(card_names(app)) == ["Ada Brand", "Cy Social"]
    assert "country" not in app.query_params  # following the URL writes nothing back
    app.query_params.clear()  # and Back again, to the landing view
    app.run()
    assert app.multiselect(key="discipline").value == []
    assert len(card_names(app)) == 3


@pytest.mark.parametrize(
    "query",
    [
        {"discipline": "not-a-discipline"},
        {"country": "ZZ"},
        {"city": "Atlantis"},
        {"page": "-3"},
        {"page": "many"},
        {"open": "perhaps"},
        {"sort": "chaos"},
        {"seniority": ["senior", "<script>"]},
        {"q": "%' OR 1=1 --"},
    ],
)
def test_bad_or_stale_url_parameters_are_ignored(
    three_mentors: None, query: dict[str, str]
) -> None:
    app = open_app(**query)
    assert not app.exception
    if "q" in query:
        assert card_names(app) == []
    else:
        assert len(card_names(app)) >= 1


def test_clear_all_resets_every_filter(three_mentors: None) -> None:
    app = open_app(country="France", discipline="Brand marketing")
    assert card_names(app) == ["Ada Brand"]
    next(b for b in app.button if b.label == "Clear all").click().run()
    assert len(card_names(app)) == 3
    assert app.selectbox(key="country").value is None


def test_no_match_shows_a_helpful_empty_state(three_mentors: None) -> None:
    app = open_app(q="astronaut")
    assert card_names(app) == []
    assert "No mentors match" in shown(app, "info")[0]
    assert count_line(app) == "0 mentors match."


def test_mentor_text_with_markdown_and_html_is_shown_literally(
    app_db: sessionmaker[Session],
) -> None:
    name = "Zoë :red[Red] $x^2$ **Bold** <b>x</b>"
    bio = "Line one [link](javascript:alert(1))\n<script>alert(1)</script>\n![](https://example.com/t.png)"
    with app_db.begin() as session:
        sign_up(session, full_name=name, headline="# Not a heading", bio=bio,
                availability_note=":blue-background[busy] www.example.com")  # fmt: skip
    app = open_app()
    assert card_names(app) == [name.split(" (")[0]]
    [card] = [text.replace("  \n", "\n") for text in card_texts(app)]
    assert "Line one [link](javascript:alert(1))\n<script>alert(1)</script>\n![](https://example.com/t.png)" in card
    assert "# Not a heading" in card
    assert "Availability: :blue-background[busy] www.example.com" in card
    raw = next(m.value for m in app.markdown if m.value.startswith("### "))
    assert "](javascript" not in raw and "![](" not in raw and "<script>" not in raw  # all escaped


def test_pagination_shows_twenty_mentors_a_page(app_db: sessionmaker[Session]) -> None:
    with app_db.begin() as session:
        for _ in range(23):
            make_mentor(session)
    app = open_app()
    assert len(card_names(app)) == 20
    app.pagination[0].select(2).run()
    assert len(card_names(app)) == 3


def test_sample_data_is_announced(app_db: sessionmaker[Session]) -> None:
    from services.listings.code_of_conduct import current_code
    from services.samples.mentors import insert_sample_mentors
    from tests.conftest import NOW

    with app_db.begin() as session:
        insert_sample_mentors(session, count=5, code=current_code(), now=NOW)
    app = open_app()
    assert "sample data" in app.warning[0].value
    assert card_texts(app) and all("Sample profile: this person is made up." in t for t in card_texts(app))


def test_real_mentors_carry_no_sample_data_notice(three_mentors: None) -> None:
    app = open_app()
    assert not app.warning
    assert not any("Sample profile" in m.value for m in app.markdown)


def test_a_card_says_when_its_mentor_last_confirmed_being_available(
    app_db: sessionmaker[Session],
) -> None:
    from datetime import UTC, datetime

    with app_db.begin() as session:
        sign_up(session, full_name="Nora November", now=datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    [card] = card_texts(open_app())
    assert "Confirmed available in November 2026" in card


def test_only_mentors_who_confirmed_lately_and_the_link_keeps_it(
    app_db: sessionmaker[Session],
) -> None:
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC)  # the page reads the real clock
    with app_db.begin() as session:
        make_mentor(session, full_name="Said Yes Lately", listed_at=today - timedelta(days=20))
        make_mentor(session, full_name="Silent Since Spring", listed_at=today - timedelta(days=200))
    app = open_app()
    assert card_names(app) == ["Said Yes Lately", "Silent Since Spring"]
    app.checkbox(key="recent").set_value(True).run()
    assert card_names(app) == ["Said Yes Lately"]
    assert url_values(app, "recent") == ["true"]
    assert filters_label(app) == "Filters · 1 chosen"
    shared = open_app(recent="true")
    assert shared.checkbox(key="recent").value is True
    assert card_names(shared) == ["Said Yes Lately"]


def test_a_rerun_counts_as_running_for_background_work_until_it_ends(
    app_db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    mount = a11y.mount
    monkeypatch.setattr(a11y, "mount", lambda: (seen.append(step_aside.reruns_running()), mount()))

    at = AppTest.from_file(DASHBOARD, default_timeout=30).run()

    assert not at.exception
    assert seen == [1]  # the relay and the clock wait for it (services/core/step_aside.py)
    assert step_aside.reruns_running() == 0
