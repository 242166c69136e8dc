"""How text is compared: search keys for the directory and the rule that a typed signature matches."""

from __future__ import annotations

import unicodedata


def collapse_whitespace(text: str) -> str:
    """Trim and turn every run of whitespace into one space."""
    return " ".join(text.split())


def search_key(text: str) -> str:
    """Lowercase, accent-free, single-spaced text: what the directory stores and searches.

    The same function is applied to what mentors wrote and to what mentees type, so the search is
    case- and accent-insensitive on SQLite and PostgreSQL alike, with no database extension.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return collapse_whitespace(stripped.casefold())


def signature_key(name: str) -> str:
    """A name as the signature rule compares it: NFKC, case-folded, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return collapse_whitespace(folded)


def signature_matches_name(*, full_name: str, typed_name: str) -> bool:
    """True when the typed signature is the profile's full name, give or take case and spacing."""
    typed = signature_key(typed_name)
    return bool(typed) and typed == signature_key(full_name)


def contains_pattern(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, its own % and _ taken literally (ESCAPE '\\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
