"""A directory search as a URL and back: labels people read, codes accepted, the rest dropped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.core.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority
from services.directory.mentor_search import MentorFilter
from services.directory.query import Sort
from services.directory.url_query import DirectorySearch, search_from_query, search_to_query


def test_a_search_reads_in_its_url_by_the_labels_people_see() -> None:
    search = DirectorySearch(
        MentorFilter(keywords="data", disciplines=("brand",), country="FR", city="Paris",
                     languages=("fr", "en"), open_only=True, recent_only=True, sort=Sort.NAME),
        page=3)  # fmt: skip
    assert search_to_query(search) == {
        "q": ["data"], "discipline": ["Brand marketing"], "country": ["France"], "city": ["Paris"],
        "language": ["French", "English"], "open": ["true"], "recent": ["true"],
        "sort": ["Name A-Z"], "page": ["3"],
    }  # fmt: skip


def test_the_landing_view_has_no_query_at_all() -> None:
    assert search_to_query(DirectorySearch(MentorFilter())) == {}


def test_codes_and_labels_in_any_case_both_open_the_search() -> None:
    by_code = search_from_query({"discipline": ["brand"], "country": ["fr"], "language": ["pt"]})
    by_label = search_from_query({"discipline": ["BRAND MARKETING"], "country": ["France"],
                                  "language": ["Portuguese"]})  # fmt: skip
    assert by_label.mentor_filter.disciplines == ("brand",)
    assert by_label.mentor_filter.country == "FR" and by_label.mentor_filter.languages == ("pt",)
    assert by_code.mentor_filter.disciplines == ("brand",)


def test_what_doesnt_fit_is_dropped_never_an_error() -> None:
    search = search_from_query({
        "discipline": ["not-a-discipline", "Social media", "Social media"], "country": ["Atlantis"],
        "city": ["Paris"], "page": ["-3"], "open": ["perhaps"], "sort": ["chaos"],
        "seniority": ["senior", "<script>"], "unknown": ["x"],
    })  # fmt: skip
    f = search.mentor_filter
    assert f.disciplines == ("social",) and f.seniorities == ("senior",)
    assert (f.country, f.city, f.open_only, f.sort, search.page) == (None, None, False, Sort.RECENT, 1)


searches = st.builds(
    DirectorySearch,
    st.builds(
        MentorFilter,
        keywords=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).map(str.strip),
        disciplines=st.lists(st.sampled_from([d.value for d in Discipline]), unique=True).map(tuple),
        seniorities=st.lists(st.sampled_from([s.value for s in Seniority]), unique=True).map(tuple),
        offers=st.lists(st.sampled_from([o.value for o in Offer]), unique=True).map(tuple),
        country=st.none() | st.sampled_from(sorted(COUNTRIES)),
        languages=st.lists(st.sampled_from(sorted(LANGUAGES)), unique=True).map(tuple),
        open_only=st.booleans(),
        recent_only=st.booleans(),
        sort=st.sampled_from(list(Sort)),
    ),
    st.integers(min_value=1, max_value=500),
)


@given(searches)
def test_every_search_survives_the_round_trip_through_its_url(search: DirectorySearch) -> None:
    assert search_from_query(search_to_query(search)) == search
