"""A directory search as a URL, and back: what a shared link or the browser's Back button carries.

Choices travel by the labels people read ("?discipline=Brand+marketing&country=France"), so a
link reads like the search; the codes are accepted too. Anything outside the app's own lists
is dropped, never an error: an old or edited link still opens the directory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from services.core.vocabulary import (
    COUNTRIES,
    LANGUAGES,
    Discipline,
    LabelledEnum,
    Offer,
    Seniority,
)
from services.directory.mentor_search import SORT_LABELS, MentorFilter
from services.directory.query import Sort

MAX_VALUE = 200  # characters of one parameter kept; the keyword box itself allows fewer
Params = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class DirectorySearch:
    """What the URL asks for: the filter and the page of results."""

    mentor_filter: MentorFilter
    page: int = 1


def _codes(labels: Mapping[str, str]) -> Callable[[str], str | None]:
    by_label = {label.casefold(): code for code, label in labels.items()}
    return lambda value: value if value in labels else by_label.get(value.casefold())


def _enum_labels(enum: type[LabelledEnum]) -> dict[str, str]:
    return {member.value: member.label for member in enum}


LABELS: dict[str, dict[str, str]] = {
    "discipline": _enum_labels(Discipline), "seniority": _enum_labels(Seniority),
    "offer": _enum_labels(Offer), "language": dict(LANGUAGES), "country": dict(COUNTRIES),
    "sort": {sort.value: label for sort, label in SORT_LABELS.items()},
}  # fmt: skip
CODE_OF = {name: _codes(labels) for name, labels in LABELS.items()}


def _many(params: Params, name: str) -> tuple[str, ...]:
    found = (CODE_OF[name](value[:MAX_VALUE]) for value in params.get(name, ()))
    return tuple(dict.fromkeys(code for code in found if code))


def _one(params: Params, name: str) -> str | None:
    values = params.get(name, ())
    return values[-1][:MAX_VALUE] if values else None


def search_from_query(params: Params) -> DirectorySearch:
    """The search a URL's query parameters ask for, with whatever doesn't fit dropped."""
    country = _one(params, "country")
    country = CODE_OF["country"](country) if country else None
    page = _one(params, "page") or "1"
    mentor_filter = MentorFilter(
        keywords=_one(params, "q") or "",
        disciplines=_many(params, "discipline"),
        seniorities=_many(params, "seniority"),
        offers=_many(params, "offer"),
        country=country,
        city=(_one(params, "city") or None) if country else None,
        languages=_many(params, "language"),
        open_only=(_one(params, "open") or "").casefold() == "true",
        recent_only=(_one(params, "recent") or "").casefold() == "true",
        sort=Sort(CODE_OF["sort"](_one(params, "sort") or "") or Sort.RECENT),
    )
    return DirectorySearch(mentor_filter, int(page) if page.isdigit() and int(page) > 0 else 1)


def search_to_query(search: DirectorySearch) -> dict[str, list[str]]:
    """The query parameters of a search: only what is chosen, by label, in the form's order."""
    f = search.mentor_filter
    query: dict[str, list[str]] = {
        "q": [f.keywords] if f.keywords else [],
        "discipline": [LABELS["discipline"][c] for c in f.disciplines],
        "seniority": [LABELS["seniority"][c] for c in f.seniorities],
        "offer": [LABELS["offer"][c] for c in f.offers],
        "country": [LABELS["country"][f.country]] if f.country else [],
        "city": [f.city] if f.city else [],
        "language": [LABELS["language"][c] for c in f.languages],
        "open": ["true"] if f.open_only else [],
        "recent": ["true"] if f.recent_only else [],
        "sort": [LABELS["sort"][f.sort]] if f.sort is not Sort.RECENT else [],
        "page": [str(search.page)] if search.page > 1 else [],
    }
    return {name: values for name, values in query.items() if values}
