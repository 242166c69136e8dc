"""The directory's search in the URL, one browser history entry per search.

Streamlit's own binding of a widget to the URL (`bind="query-params"`) rewrites the current
history entry on every change (history.replaceState in its frontend, 1.67), so after a few
filter changes Back left the app. Query parameters set by the script become a new entry
instead (history.pushState), and Back or Forward rerun the page with that entry's URL. So the
page follows the URL when it moved without the page (Back, Forward, a shared link: `follow_url`,
before the widgets) and writes it when a widget moved (`keep_url`, after them). What the URL
means is services/directory/url_query.py.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.directory.url_query import DirectorySearch, search_from_query, search_to_query

PARAMS = ("q", "discipline", "seniority", "offer", "country", "city", "language", "open", "recent",
          "sort", "page")  # fmt: skip
SEEN = "directory_url_seen"  # the URL the widgets last followed or wrote
WRITTEN = "directory_url_written"  # the search it holds, as query parameters
FOLLOWED = "directory_url_followed"  # the run in which the widgets followed the URL


def _url() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(st.query_params.get_all(name))) for name in PARAMS)


def follow_url(countries: list[str], cities: Callable[[str], list[str]]) -> None:
    """Before the widgets: when the URL moved without them, they take the search it holds.

    A country without listed mentors, or a city not among the country's, is left out.
    """
    seen = _url()
    st.session_state[FOLLOWED] = st.session_state.get(SEEN) != seen
    if not st.session_state[FOLLOWED]:
        return
    search = search_from_query(dict(seen))
    f = search.mentor_filter
    country = f.country if f.country in countries else None
    city = f.city if country and f.city in cities(country) else None
    st.session_state.update({
        "q": f.keywords, "discipline": list(f.disciplines), "seniority": list(f.seniorities),
        "offer": list(f.offers), "country": country, "city": city,
        "language": list(f.languages), "open": f.open_only, "recent": f.recent_only,
        "sort": f.sort.value,
        "page": search.page,
    })  # fmt: skip
    st.session_state[SEEN] = seen
    st.session_state[WRITTEN] = None  # what the widgets make of it is noted by keep_url


def keep_url(search: DirectorySearch) -> None:
    """After the widgets: a search that changed becomes the URL, and a new history entry.

    In a run that followed the URL nothing is written: a link with something left out keeps
    its address until the mentee changes the search.
    """
    wanted = search_to_query(search)
    if st.session_state.pop(FOLLOWED, False) or st.session_state.get(WRITTEN) is None:
        st.session_state[WRITTEN] = wanted
        return
    if wanted == st.session_state[WRITTEN]:
        return
    if wanted:
        st.query_params.from_dict(wanted)
    else:
        st.query_params.clear()
    st.session_state[WRITTEN] = wanted
    st.session_state[SEEN] = _url()
