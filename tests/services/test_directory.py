"""The directory search: what a mentee filtering the page gets back."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from models import Mentor
from services.audit.audit_log import MENTOR
from services.core.vocabulary import ListingStatus
from services.directory.mentor_search import COUNT_CAP, MentorFilter, Sort, search_mentors
from services.listings.listing_lifecycle import ListingAction, move_listing
from tests.conftest import NOW
from tests.factories import make_mentor


def names(session: Session, mentor_filter: MentorFilter, **kwargs: int) -> list[str]:
    result = search_mentors(session, mentor_filter=mentor_filter, **kwargs)
    return [card.full_name for card in result.mentors]


@pytest.fixture
def collective(session: Session) -> Session:
    """Five listed mentors who differ in every filterable way, and one of each hidden status."""
    day = timedelta(days=1)
    make_mentor(
        session,
        full_name="Amélie Durand",
        headline="Directrice de création",
        company="Agence Lumière",
        disciplines=("creative_copywriting", "brand"),
        seniority="director",
        country="FR",
        city="Paris",
        languages=("fr", "en"),
        offers=("portfolio_reviews",),
        bio="Campagnes intégrées.",
        listed_at=NOW - 5 * day,
    )
    make_mentor(
        session,
        full_name="Ben Okafor",
        headline="Media Planner",
        company="Open Field Media",
        disciplines=("media_planning_buying",),
        seniority="mid_level",
        country="NG",
        city="Lagos",
        languages=("en", "yo"),
        offers=("one_off_questions",),
        open_to_new_mentees=False,
        bio="Programmatic and OOH.",
        listed_at=NOW - 4 * day,
    )
    make_mentor(
        session,
        full_name="Chloé Martin",
        headline="Brand Strategist",
        company="Kindred",
        disciplines=("strategy", "brand"),
        seniority="senior",
        country="FR",
        city="Lyon",
        languages=("fr",),
        offers=("long_term_mentorship", "interview_prep"),
        bio="Ex-Publicis planner.",
        listed_at=NOW - 3 * day,
    )
    make_mentor(
        session,
        full_name="Dev Patel",
        headline="Head of Growth",
        company="Kite Mobility",
        disciplines=("growth_performance",),
        seniority="vp",
        country="GB",
        city="London",
        languages=("en", "hi"),
        offers=("career_switching", "one_off_questions"),
        bio="From finance to marketing.",
        listed_at=NOW - 2 * day,
    )
    make_mentor(
        session,
        full_name="eve Zhang",
        headline="Social Lead",
        company="",
        disciplines=("social", "content"),
        seniority="senior",
        country="GB",
        city="london",
        languages=("en", "zh"),
        offers=("portfolio_reviews", "interview_prep"),
        bio="Creator partnerships at scale.",
        listed_at=NOW - 1 * day,
    )
    for status in (ListingStatus.PAUSED, ListingStatus.REMOVED, ListingStatus.BANNED):
        make_mentor(
            session,
            full_name=f"Hidden {status.value}",
            status=status,
            disciplines=("brand",),
            country="FR",
            city="Paris",
            listed_at=NOW,
        )
    return session  # fmt: skip


EVERYONE = ["eve Zhang", "Dev Patel", "Chloé Martin", "Ben Okafor", "Amélie Durand"]


def test_empty_filter_lists_every_listed_mentor_most_recently_confirmed_first(collective: Session) -> None:
    assert names(collective, MentorFilter()) == EVERYONE


def test_paused_removed_and_banned_mentors_never_appear(collective: Session) -> None:
    result = search_mentors(collective, mentor_filter=MentorFilter(keywords="hidden"))
    assert result.total == 0
    assert result.mentors == []


@pytest.mark.parametrize(
    ("mentor_filter", "expected"),
    [
        (MentorFilter(disciplines=("brand",)), ["Chloé Martin", "Amélie Durand"]),
        (MentorFilter(disciplines=("social", "strategy")), ["eve Zhang", "Chloé Martin"]),
        (MentorFilter(seniorities=("senior",)), ["eve Zhang", "Chloé Martin"]),
        (MentorFilter(seniorities=("vp", "mid_level")), ["Dev Patel", "Ben Okafor"]),
        (MentorFilter(country="FR"), ["Chloé Martin", "Amélie Durand"]),
        (MentorFilter(country="GB", city="LONDON"), ["eve Zhang", "Dev Patel"]),
        (MentorFilter(languages=("fr",)), ["Chloé Martin", "Amélie Durand"]),
        (MentorFilter(languages=("yo", "hi")), ["Dev Patel", "Ben Okafor"]),
        (MentorFilter(offers=("interview_prep",)), ["eve Zhang", "Chloé Martin"]),
        (MentorFilter(open_only=True), ["eve Zhang", "Dev Patel", "Chloé Martin", "Amélie Durand"]),
        (MentorFilter(keywords="growth"), ["Dev Patel"]),
        (MentorFilter(keywords="kindred"), ["Chloé Martin"]),
        (MentorFilter(keywords="programmatic"), ["Ben Okafor"]),
    ],
    ids=lambda value: "" if isinstance(value, list) else repr(value)[:60],
)
def test_each_filter_alone_narrows_the_list(
    collective: Session, mentor_filter: MentorFilter, expected: list[str]
) -> None:
    assert names(collective, mentor_filter) == expected


def test_filters_combine_with_and_between_fields(collective: Session) -> None:
    mentor_filter = MentorFilter(
        country="FR", disciplines=("brand",), languages=("en",), offers=("portfolio_reviews",)
    )
    assert names(collective, mentor_filter) == ["Amélie Durand"]
    everything = MentorFilter(
        keywords="strategist", disciplines=("strategy",), seniorities=("senior",), country="FR",
        city="Lyon", languages=("fr",), offers=("interview_prep",), open_only=True,
    )  # fmt: skip
    assert names(collective, everything) == ["Chloé Martin"]
    assert names(collective, MentorFilter(country="FR", seniorities=("vp",))) == []


@pytest.mark.parametrize("keywords", ["amelie", "AMÉLIE", "Ame\u0301lie", "  amélie   durand "])
def test_keyword_search_ignores_case_and_accents(collective: Session, keywords: str) -> None:
    assert names(collective, MentorFilter(keywords=keywords)) == ["Amélie Durand"]


def test_every_keyword_must_match_somewhere(collective: Session) -> None:
    assert names(collective, MentorFilter(keywords="brand kindred")) == ["Chloé Martin"]
    assert names(collective, MentorFilter(keywords="brand lagos")) == []
    assert names(collective, MentorFilter(keywords="xx")) == []  # a word nobody wrote


@pytest.mark.parametrize("keywords", ["%", "_", "\\", "100%"])
def test_like_wildcards_in_keywords_are_taken_literally(collective: Session, keywords: str) -> None:
    assert names(collective, MentorFilter(keywords=keywords)) == []


@pytest.mark.parametrize("keywords", ["\\", "d\\"])
def test_a_backslash_in_keywords_finds_the_mentor_who_wrote_one(collective: Session, keywords: str) -> None:
    make_mentor(collective, full_name="Fay Quill", company="Sound\\Vision")
    assert names(collective, MentorFilter(keywords=keywords)) == ["Fay Quill"]


def test_sorting_by_name_ignores_case_and_accents(collective: Session) -> None:
    by_name = names(collective, MentorFilter(sort=Sort.NAME))
    assert by_name == ["Amélie Durand", "Ben Okafor", "Chloé Martin", "Dev Patel", "eve Zhang"]


def test_pages_split_the_results_and_out_of_range_pages_clamp(collective: Session) -> None:
    first = search_mentors(collective, mentor_filter=MentorFilter(), page=1, per_page=2)
    third = search_mentors(collective, mentor_filter=MentorFilter(), page=3, per_page=2)
    beyond = search_mentors(collective, mentor_filter=MentorFilter(), page=99, per_page=2)
    before = search_mentors(collective, mentor_filter=MentorFilter(), page=0, per_page=2)
    assert (first.total, first.pages) == (5, 3)
    assert [c.full_name for c in first.mentors] == EVERYONE[:2]
    assert [c.full_name for c in third.mentors] == EVERYONE[4:]
    assert beyond.page == 3 and beyond.mentors == third.mentors
    assert before.page == 1 and before.mentors == first.mentors


def test_cards_carry_tags_and_never_an_email(collective: Session) -> None:
    card = search_mentors(collective, mentor_filter=MentorFilter(keywords="amelie")).mentors[0]
    assert card.disciplines == ("brand", "creative_copywriting")
    assert card.languages == ("en", "fr")
    assert card.offers == ("portfolio_reviews",)
    assert card.linkedin_url and card.linkedin_url.startswith("https://www.linkedin.com/in/")
    assert not hasattr(card, "email")


def test_broad_counts_stop_at_the_cap(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("services.directory.mentor_search.COUNT_CAP", 3)
    for _ in range(5):
        make_mentor(session)
    result = search_mentors(session, mentor_filter=MentorFilter(), per_page=2)
    assert result.total == 4  # the cap plus one: "more than 3"
    assert COUNT_CAP == 1000


@pytest.mark.parametrize(
    ("keywords", "city"),
    [("soren odegard", "lodz"), ("Søren Ødegård", "ŁÓDŹ"), ("ODEGARD", "Lodz")],
)
def test_a_mentee_who_types_without_special_letters_finds_the_mentor(
    session: Session, keywords: str, city: str
) -> None:
    make_mentor(session, full_name="Søren Ødegård", city="Łódź", country="PL")
    make_mentor(session, full_name="Soren Other", city="Lyon", country="FR")
    assert names(session, MentorFilter(keywords=keywords)) == ["Søren Ødegård"]
    assert names(session, MentorFilter(country="PL", city=city)) == ["Søren Ødegård"]


def test_values_that_grow_when_folded_are_stored_and_found_on_every_database(
    session: Session,
) -> None:
    make_mentor(
        session, full_name="ﷺ" * 120, headline="ﬃ" * 120, city="ß" * 100, bio="Æ" * 1200
    )  # each key is longer than the column it would overflow if it were not cut to fit
    assert names(session, MentorFilter(keywords="ﬃﬃ aeae")) == ["ﷺ" * 120]
    assert names(session, MentorFilter(city="SS" * 100)) == ["ﷺ" * 120]
    assert names(session, MentorFilter(sort=Sort.NAME)) == ["ﷺ" * 120]


@pytest.mark.parametrize(
    ("hostile", "visible"),
    [("a\x00b", "ab"), ("\u202ebrand\u202c", "brand"), ("Lon\u200bdon", "London"),
     ("%_\\", "%_\\"), ("x" * 100_000, "x" * 100_000), ("https://x.example/?q=\x00", "https://x.example/?q=")],
)  # fmt: skip
def test_hostile_values_in_any_filter_field_are_searched_as_their_visible_text(
    collective: Session, hostile: str, visible: str
) -> None:
    for field in ("keywords", "country", "city"):
        assert names(collective, MentorFilter(**{field: hostile})) == names(
            collective, MentorFilter(**{field: visible})
        )
    for field in ("disciplines", "seniorities", "languages", "offers"):
        assert names(collective, MentorFilter(**{field: (hostile, "en")})) == names(
            collective, MentorFilter(**{field: (visible, "en")})
        )


def test_every_sample_mentor_has_a_valid_linkedin_address_whatever_their_name() -> None:
    from services.listings.profile import canonical_linkedin_url
    from services.samples.mentors import generate_mentors

    for sample in generate_mentors(3000, now=NOW):
        assert canonical_linkedin_url(sample.profile.linkedin_url) == sample.profile.linkedin_url


def names_for(session: Session, keywords: str, **filters: object) -> list[str]:
    found = search_mentors(session, mentor_filter=MentorFilter(keywords=keywords, **filters))  # type: ignore[arg-type]
    return sorted(card.full_name for card in found.mentors)


def test_short_and_long_words_and_quotes_combine_in_one_search(session: Session) -> None:
    make_mentor(session, full_name="Al Ng", headline="UX Lead", company='The "Quote" Studio')
    make_mentor(session, full_name="Alma Ngata", headline="Producer", company="Kite")
    assert names_for(session, "ux lead") == ["Al Ng"]  # a two-letter word and a longer one
    assert names_for(session, '"quote"') == ["Al Ng"]  # quotes are text, not search syntax
    assert names_for(session, "al ng") == ["Al Ng", "Alma Ngata"]
    assert names_for(session, "producer", country="GB") == ["Alma Ngata"]  # with a place driving
    assert names_for(session, "quote OR kite") == []  # no search operators: every word must match


def test_the_keyword_index_follows_edits_and_erasures(session: Session) -> None:
    from services.listings.owner import delete_listing, edit_listing
    from tests.factories import make_profile, sign_up

    mine = sign_up(session, full_name="Rafa Before", headline="Copywriter")
    assert names_for(session, "before") == ["Rafa Before"]
    edit_listing(session, credential=mine.credential, now=NOW,
                 profile=make_profile(full_name="Rafa Afterwards", headline="Copywriter"))  # fmt: skip
    assert names_for(session, "before") == [] and names_for(session, "afterwards") == ["Rafa Afterwards"]
    delete_listing(session, credential=mine.credential, now=NOW)
    assert names_for(session, "afterwards") == []


def test_a_mentor_who_says_they_are_still_available_comes_first_by_default(
    session: Session,
) -> None:
    long_ago = make_mentor(session, full_name="Long Ago", listed_at=NOW - timedelta(days=300))
    make_mentor(session, full_name="Last Month", listed_at=NOW - timedelta(days=30))
    make_mentor(session, full_name="Never Answers", listed_at=NOW - timedelta(days=200))
    assert names(session, MentorFilter()) == ["Last Month", "Never Answers", "Long Ago"]
    answer_still_available(session, long_ago, now=NOW - timedelta(days=1))
    assert names(session, MentorFilter()) == ["Long Ago", "Last Month", "Never Answers"]


@pytest.mark.parametrize(
    ("confirmed_days_ago", "shown"), [(0, True), (89, True), (90, True), (91, False), (400, False)]
)
def test_confirmed_in_the_last_3_months_counts_whole_days(
    session: Session, confirmed_days_ago: int, shown: bool
) -> None:
    # NOW is noon: 90 days before it is still "the last 3 months" all that day.
    make_mentor(session, full_name="Checked", listed_at=NOW - timedelta(days=confirmed_days_ago))
    make_mentor(session, full_name="Fresh", listed_at=NOW)
    recent = search_mentors(session, mentor_filter=MentorFilter(recent_only=True), now=NOW)
    assert [card.full_name for card in recent.mentors] == ["Fresh"] + (["Checked"] if shown else [])
    assert recent.total == (2 if shown else 1)


def test_the_recent_filter_combines_with_the_others_and_with_the_name_order(
    session: Session,
) -> None:
    for name, days, country in (("Zoe Fresh", 3, "FR"), ("Al Fresh", 10, "FR"),
                                ("Old Timer", 120, "FR"), ("Gb Fresh", 2, "GB")):  # fmt: skip
        make_mentor(session, full_name=name, country=country, listed_at=NOW - timedelta(days=days))
    found = search_mentors(
        session, mentor_filter=MentorFilter(country="FR", recent_only=True, sort=Sort.NAME), now=NOW
    )
    assert [card.full_name for card in found.mentors] == ["Al Fresh", "Zoe Fresh"]


def answer_still_available(session: Session, mentor_id: int, *, now: datetime) -> None:
    """The mentor answers "Yes, I'm still available" through the listing's door."""
    mentor = session.get_one(Mentor, mentor_id)
    move_listing(session, mentor, ListingAction.CONFIRM_AVAILABLE, actor=MENTOR, now=now)
