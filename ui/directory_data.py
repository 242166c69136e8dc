"""The directory's reads, cached briefly and shared by every visitor of this process.

Defined here, once per process, rather than in the page script (which Streamlit runs again on
every rerun, redefining and re-hashing its cached functions). A mentee's filter change that
another mentee made a moment ago costs no query at all; a change to a listing through the app
clears these caches at once (ui/actions.py), other processes see it within `TTL_S`.
"""

from __future__ import annotations

from dataclasses import astuple

import streamlit as st

from services.core.vocabulary import COUNTRIES
from services.directory import mentor_search
from services.directory.mentor_search import MentorFilter
from ui.cards import card_markdown
from ui.db import reading

TTL_S = 30


@st.cache_data(ttl=60, show_spinner=False)
def countries() -> list[str]:
    """Countries with listed mentors, by name."""
    with reading() as session:
        codes = mentor_search.listed_countries(session)
    return sorted(codes, key=lambda code: COUNTRIES.get(code, code))


@st.cache_data(ttl=60, show_spinner=False)
def cities(country: str) -> list[str]:
    """The cities of a country that have listed mentors."""
    with reading() as session:
        return mentor_search.listed_cities(session, country=country)


@st.cache_data(ttl=60, show_spinner=False)
def shows_sample_data() -> bool:
    """True when the directory holds made-up sample mentors."""
    with reading() as session:
        return mentor_search.shows_sample_data(session)


def match_count(mentor_filter: MentorFilter) -> int:
    """How many listed mentors match (capped), cached briefly."""
    return _count(astuple(mentor_filter))


def page_cards(mentor_filter: MentorFilter, page: int, total: int) -> list[tuple[int, str]]:
    """One page of matches as (mentor id, the card's Markdown), cached briefly."""
    return _page(astuple(mentor_filter), page, total)


@st.cache_data(ttl=TTL_S, max_entries=2000, show_spinner=False)
def _count(values: tuple[object, ...]) -> int:
    with reading() as session:
        return mentor_search.count_matches(session, mentor_filter=_filter(values))


@st.cache_data(ttl=TTL_S, max_entries=2000, show_spinner=False)
def _page(values: tuple[object, ...], page: int, total: int) -> list[tuple[int, str]]:
    with reading() as session:
        cards = mentor_search.find_page(session, mentor_filter=_filter(values), page=page, total=total)
    return [(card.id, card_markdown(card)) for card in cards]


def _filter(values: tuple[object, ...]) -> MentorFilter:
    return MentorFilter(*values)  # type: ignore[arg-type]
