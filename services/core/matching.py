"""How text is compared: search keys for the directory and the rule that a typed signature matches.

A search key is what the directory stores and what a mentee's words are turned into, so a search
ignores case, accents and the way a Latin letter is spelled, the same on SQLite and PostgreSQL:
the keys are computed here, in Python, and stored. The rules, in order:

1. the text is cleaned (services.core.text: controls and invisible characters go), case-folded
   (ß becomes ss) and put in NFKC form (ligatures such as ﬁ, full-width and other compatibility
   forms become their plain letters);
2. every non-ASCII Latin letter, with a diacritic, stroke, ligature or of its own (é, ø, Ł, æ,
   đ, œ, þ, ı, ŋ...), and every non-ASCII dash or quotation mark, becomes its ASCII spelling
   (AnyAscii: ø -> o, æ -> ae, þ -> th, ’ -> ');
3. a combining mark on a Latin letter is dropped; every other script keeps its letters and marks
   as they are, so Cyrillic, Greek, Arabic, Chinese... are searched as themselves;
4. the result is case-folded again, put in NFC form and single-spaced.

Keys stored in a column of limited size (`name_key`, `city_key`) are cut to fit: they sort and
find mentors, they identify nobody, so a cut costs at most the order of two very long names.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from anyascii import anyascii

from services.core.text import clean_text, collapse_whitespace

NAME_KEY_LENGTH = 120  # mentors.name_key
CITY_KEY_LENGTH = 100  # mentors.city_key
FOLDED_PUNCTUATION = ("Pd", "Pi", "Pf")  # dashes and quotation marks: O’Brien finds O'Brien


@lru_cache(maxsize=8192)
def _fold(char: str) -> tuple[str, bool]:
    """A non-ASCII character's search spelling, and whether it is a Latin letter."""
    if unicodedata.category(char) == "Cf":  # joiners that clean_text keeps: they join nothing here
        return "", False
    if unicodedata.name(char, "").startswith("LATIN "):
        return anyascii(char), True
    if unicodedata.category(char) in FOLDED_PUNCTUATION:
        return anyascii(char), False
    return char, False


def search_key(text: str) -> str:
    """Lowercase, accent-free, single-spaced text: what the directory stores and searches."""
    folded: list[str] = []
    after_latin = False
    for char in unicodedata.normalize("NFKC", clean_text(text).casefold()):
        if char.isascii():
            folded.append(char)
            after_latin = char.isalpha()
        elif unicodedata.combining(char) or unicodedata.category(char).startswith("M"):
            if not after_latin:
                folded.append(char)
        else:
            spelling, after_latin = _fold(char)
            folded.append(spelling)
    return collapse_whitespace(unicodedata.normalize("NFC", "".join(folded).casefold()))


def name_key(full_name: str) -> str:
    """The search key of a mentor's name, cut to fit mentors.name_key (for sorting and the picker)."""
    return search_key(full_name)[:NAME_KEY_LENGTH].rstrip()


def city_key(city: str | None) -> str | None:
    """The search key of a city, cut to fit mentors.city_key; None when there is no city."""
    return search_key(city or "")[:CITY_KEY_LENGTH].rstrip() or None


def mentor_search_text(*parts: str | None) -> str:
    """What the keyword box searches (name, headline, company, bio) as one search key."""
    return search_key(" ".join(part for part in parts if part))


def signature_key(name: str) -> str:
    """A name as the signature rule compares it: cleaned (joiners too), NFKC, case-folded, single-spaced."""
    cleaned = clean_text(name).replace("\u200c", "").replace("\u200d", "")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", cleaned).casefold())
    return collapse_whitespace(folded)


def signature_matches_name(*, full_name: str, typed_name: str) -> bool:
    """True when the typed signature is the profile's full name, give or take case and spacing."""
    typed = signature_key(typed_name)
    return bool(typed) and typed == signature_key(full_name)


def contains_pattern(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, its own % and _ taken literally (ESCAPE '\\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
