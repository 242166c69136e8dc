"""Find a mentor: the public directory. Each search is a URL (ui/directory_url.py): it can be
shared, and Back and Forward move through a mentee's searches."""

from __future__ import annotations

import streamlit as st

from services.core.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority
from services.directory import mentor_search
from services.directory.keywords import KEYWORD_EXAMPLES, SEARCH_LABEL
from services.directory.mentor_search import COUNT_CAP, SORT_LABELS, MentorFilter, Sort
from services.directory.url_query import DirectorySearch
from ui import a11y, directory_data
from ui.cards import card_list
from ui.db import read_or
from ui.directory_url import follow_url, keep_url
from ui.search_noting import note_search

SHOWN_PAGE = "directory_shown_page"
FILTERS_KEY = "directory_filters"  # ui/a11y.js folds it on a phone
CHOSEN_FILTERS = (
    "discipline", "seniority", "offer", "country", "city", "language", "open", "recent",
)  # fmt: skip
FILTER_DEFAULTS: dict[str, object] = {
    "q": "", "discipline": [], "seniority": [], "country": None, "city": None, "language": [],
    "offer": [], "open": False, "recent": False, "sort": Sort.RECENT.value,
}  # fmt: skip


def _filters_label() -> str:
    """The filters' heading says how many are chosen, so a folded one still tells."""
    chosen = sum(
        1 for key in CHOSEN_FILTERS if st.session_state.get(key) not in (None, [], False, "")
    )
    return f"Filters · {chosen} chosen" if chosen else "Filters"


def _back_to_first_page() -> None:
    st.session_state["page"] = 1


def _clear_filters() -> None:
    for key, value in FILTER_DEFAULTS.items():
        st.session_state[key] = value
    st.session_state["page"] = 1


def _filter_widgets(countries: list[str]) -> MentorFilter:
    on_change = _back_to_first_page
    keywords = st.text_input(
        SEARCH_LABEL, key="q", on_change=on_change,
        placeholder="e.g. " + ", ".join(KEYWORD_EXAMPLES),
    )  # fmt: skip
    # On a phone ui/a11y.js folds this once when it appears, so the first mentors show on the
    # first screen; on a wider screen it stays open.
    filters = st.expander(_filters_label(), expanded=True, key=FILTERS_KEY)
    a11y.fold_on_phone(FILTERS_KEY)
    left, middle, right = filters.columns(3)
    disciplines = left.multiselect(
        "Discipline", [d.value for d in Discipline], format_func=lambda c: Discipline(c).label,
        key="discipline", on_change=on_change, placeholder="Any discipline",
    )  # fmt: skip
    seniorities = middle.multiselect(
        "Seniority", [s.value for s in Seniority], format_func=lambda c: Seniority(c).label,
        key="seniority", on_change=on_change, placeholder="Any seniority",
    )  # fmt: skip
    offers = right.multiselect(
        "What they offer", [o.value for o in Offer], format_func=lambda c: Offer(c).label,
        key="offer", on_change=on_change, placeholder="Anything",
    )  # fmt: skip
    left, middle, right = filters.columns(3)
    country = left.selectbox(
        "Country", countries, index=None, format_func=lambda c: COUNTRIES.get(c, c),
        key="country", on_change=on_change, placeholder="Any country",
    )  # fmt: skip
    city = middle.selectbox(
        "City", read_or([], directory_data.cities, country) if country else [], index=None, key="city",
        on_change=on_change,
        placeholder="Any city" if country else "Pick a country first",
    )  # fmt: skip
    languages = right.multiselect(
        "Language", list(LANGUAGES), format_func=lambda c: LANGUAGES[c],
        key="language", on_change=on_change, placeholder="Any language",
    )  # fmt: skip
    left, middle, right = filters.columns([2, 2, 1], vertical_alignment="bottom")
    open_only = left.checkbox(
        "Only mentors open to new mentees", key="open", on_change=on_change
    )
    recent_only = left.checkbox(
        "Only mentors who confirmed in the last 3 months", key="recent", on_change=on_change,
        help="Mentors confirm they are available when they join, edit or resume their listing, "
        "and when we ask them every three months.",
    )  # fmt: skip
    sort = middle.selectbox(
        "Sort by", [s.value for s in Sort], format_func=lambda s: SORT_LABELS[Sort(s)],
        key="sort", on_change=on_change,
    )  # fmt: skip
    right.button("Clear all", on_click=_clear_filters)
    return MentorFilter(
        keywords=keywords or "",
        disciplines=tuple(disciplines),
        seniorities=tuple(seniorities),
        country=country,
        city=city,
        languages=tuple(languages),
        offers=tuple(offers),
        open_only=open_only,
        recent_only=recent_only,
        sort=Sort(sort or Sort.RECENT.value),
    )


def _count_text(total: int) -> str:
    if total > COUNT_CAP:
        return f"More than {COUNT_CAP:,} mentors match. Add a filter to narrow the list down."
    return f"{total:,} mentor matches." if total == 1 else f"{total:,} mentors match."


def _empty_state(mentor_filter: MentorFilter) -> None:
    st.info(
        "No mentors match all of these filters. Try removing a filter or two"
        + (", or search for a shorter or more general word." if mentor_filter.keywords else ".")
        + " New mentors join all the time, so it is worth looking again later."
    )
    if not mentor_filter.is_empty():
        st.button("Clear all filters", on_click=_clear_filters, key="clear_empty")


st.title("Find a mentor", anchor=False)
st.markdown(
    "Mentors in advertising and marketing who volunteer their time for students and young "
    "talent. Find someone whose experience fits what you want to learn, then reach out to them "
    "on LinkedIn."
)
with st.expander("What to expect"):
    st.markdown(
        "- We Are Next doesn't match people: you choose a mentor and write to them yourself.\n"
        "- Reach out with a clear ask: who you are, what you'd like help with, and how much of "
        "their time it needs (a one-off question, a portfolio review, regular chats).\n"
        "- Mentors are volunteers. They reply when they can, and some say here that they are "
        "busy for a while.\n"
        "- Mentors give advice and perspective. They don't find you a job, introduce you to "
        "their network unless they offer to, or give money.\n"
        "- Every mentor has signed our Code of Conduct. If something goes wrong, please report it."
    )
if read_or(False, directory_data.shows_sample_data):
    st.warning(
        "This directory is showing **sample data**: the mentors below are made up for trying "
        "the app out. Their LinkedIn links lead nowhere."
    )

countries = read_or([], directory_data.countries)
follow_url(countries, lambda country: read_or([], directory_data.cities, country))
mentor_filter = _filter_widgets(countries)
total = read_or(None, directory_data.match_count, mentor_filter)
if total is None:
    a11y.stop()  # the notice says the directory is unavailable; the filters stay as they are
note_search(mentor_filter, total)  # anonymously, in batches: what mentees look for and don't find
pages = mentor_search.page_count(total)

with st.container(key="directory_top"):
    st.header("Mentors", anchor=False)
    with st.container(key="directory_count"):  # a polite live region: changes are announced
        st.markdown(_count_text(total))
a11y.live("directory_count")
results = st.container()
page = st.pagination(pages, key="page") if pages > 1 else 1
keep_url(DirectorySearch(mentor_filter, page))  # Back and Forward move through the searches
if st.session_state.get(SHOWN_PAGE, page) != page:  # after "Next page", start reading at the top
    a11y.focus("directory_top")
st.session_state[SHOWN_PAGE] = page
cards = read_or([], directory_data.page_cards, mentor_filter, page, total)
with results:
    if not cards:
        _empty_state(mentor_filter)
    card_list(cards, key="mentor_results")
