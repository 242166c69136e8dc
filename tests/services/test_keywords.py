"""The one search box finds what people type: names and roles, places, disciplines, languages, offers."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from commands.start import SAMPLE_MENTORS
from services.directory.keywords import KEYWORD_EXAMPLES, own_country_name
from services.directory.mentor_search import MentorFilter, search_mentors
from services.listings.code_of_conduct import current_code
from services.listings.owner import edit_listing
from services.samples.mentors import insert_sample_mentors
from tests.conftest import NOW
from tests.factories import make_mentor, make_profile, sign_up


def found(session: Session, words: str) -> list[str]:
    result = search_mentors(session, mentor_filter=MentorFilter(keywords=words))
    return [card.full_name for card in result.mentors]


@pytest.mark.parametrize(
    "words",
    ["Ana Ferreira", "copywriter", "Lisboa", "Portugal", "Portuguese",
     "portugues", "Creative / copywriting", "portfolio", "book reviews", "FADO"],
)  # fmt: skip
def test_a_listing_is_found_by_every_kind_of_word_people_type(session: Session, words: str) -> None:
    make_mentor(session, full_name="Ana Ferreira", headline="Senior Copywriter", country="PT",
                city="Lisboa", languages=("pt", "en"), offers=("portfolio_reviews",),
                disciplines=("creative_copywriting",), bio="Fado lover.")  # fmt: skip
    make_mentor(session, full_name="Other Person", headline="Media planner", country="DE",
                city="Berlin", languages=("de",), offers=("one_off_questions",),
                disciplines=("media_planning_buying",), bio="")  # fmt: skip
    assert found(session, words) == ["Ana Ferreira"]


def test_a_country_is_found_by_its_own_name_and_its_english_one(session: Session) -> None:
    make_mentor(session, full_name="Jonas Weber", country="DE", city="Köln", languages=("de",))
    for words in ("Germany", "Deutschland", "koln", "German"):
        assert found(session, words) == ["Jonas Weber"], words
    assert own_country_name("DE") == "Deutschland"
    assert own_country_name("GB") is None  # its own name is the English one


def test_an_edit_changes_what_the_listing_is_found_by(session: Session) -> None:
    result = sign_up(session, make_profile(full_name="Mia Lund", country="SE", city="Malmö",
                                           languages=("sv",)))  # fmt: skip
    assert found(session, "Sverige") == ["Mia Lund"]
    edit_listing(session, credential=result.credential, now=NOW,
                 profile=make_profile(full_name="Mia Lund", country="NO", city="Oslo",
                                      languages=("no",), email="mia@example.org",
                                      linkedin_url="https://www.linkedin.com/in/mia-lund"))  # fmt: skip
    assert found(session, "Sverige") == []
    assert found(session, "Norge") == found(session, "Norwegian") == ["Mia Lund"]


def test_every_example_in_the_search_box_finds_sample_mentors(session: Session) -> None:
    insert_sample_mentors(session, count=SAMPLE_MENTORS, code=current_code(), now=NOW)
    for example in KEYWORD_EXAMPLES:
        assert found(session, example), f"{example!r} finds nobody in the sample directory"


@pytest.mark.parametrize("words", ['"big idea"', 'idea"', '"""', '"big'])
def test_double_quotes_typed_in_the_search_are_searched_for_like_any_character(
    session: Session, words: str
) -> None:
    make_mentor(session, full_name="Quoted Mentor", bio='Known as the "big idea" person.')
    make_mentor(session, full_name="Plain Mentor", bio="Known as the big idea person.")
    expected = [] if words == '"""' else ["Quoted Mentor"]
    assert found(session, words) == expected


def test_a_short_word_beside_long_ones_must_match_too(session: Session) -> None:
    """Words under three letters are not in the full-text index; they still narrow the search."""
    make_mentor(session, full_name="Ana Ferreira", headline="Senior UX writer")
    make_mentor(session, full_name="Ana Costa", headline="Senior copywriter")
    assert found(session, "ana ux") == ["Ana Ferreira"]
    assert found(session, "ux senior") == ["Ana Ferreira"]


def test_a_search_reads_its_first_eight_words(session: Session) -> None:
    """Each word is one more condition; eight are plenty, and a pasted paragraph costs no more."""
    eight = "alpha bravo charlie delta echo foxtrot golf hotel"
    make_mentor(session, full_name="Eight Words", bio=eight)
    assert found(session, eight) == ["Eight Words"]
    assert found(session, eight + " zulu") == ["Eight Words"]  # the ninth word is not read
    assert found(session, "zulu " + eight) == []
