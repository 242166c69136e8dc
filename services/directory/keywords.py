"""What the directory's one search box finds: the words of a listing that a mentee may type.

People type names, places, disciplines, languages and topics into the same box, so a listing's
search key holds its name, headline, company and bio, and also its city, its country (in
English and as the country calls itself: "Germany" and "Deutschland"), its disciplines, its
languages and what it offers, by their labels. The key is folded like every search key
(services/core/matching.py), so case, accents and Latin spellings don't matter.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import cache

import pycountry

from services.core.matching import mentor_search_text
from services.core.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer

SEARCH_LABEL = "Search by name, role, company, place, discipline, language or topic"
# The placeholder of the search box: each example finds mentors in the sample data (a test checks).
KEYWORD_EXAMPLES = ("copywriter", "Paris", "Spanish", "pitching")

# The language a country names itself in, where its own name differs from the English one.
# Translations come with pycountry (ISO 3166 names in each language).
OWN_LANGUAGE = {
    "AR": "es", "AT": "de", "BE": "nl", "BG": "bg", "BO": "es", "BR": "pt", "CH": "de",
    "CL": "es", "CN": "zh_CN", "CO": "es", "CR": "es", "CU": "es", "CZ": "cs", "DE": "de",
    "DK": "da", "DO": "es", "DZ": "ar", "EC": "es", "EE": "et", "EG": "ar", "ES": "es",
    "FI": "fi", "FR": "fr", "GR": "el", "GT": "es", "HK": "zh_HK", "HN": "es", "HR": "hr",
    "HU": "hu", "ID": "id", "IL": "he", "IN": "hi", "IR": "fa", "IS": "is", "IT": "it",
    "JO": "ar", "JP": "ja", "KR": "ko", "KW": "ar", "LB": "ar", "LT": "lt", "LV": "lv",
    "MA": "ar", "MX": "es", "MY": "ms", "NI": "es", "NL": "nl", "NO": "nb", "PA": "es",
    "PE": "es", "PK": "ur", "PL": "pl", "PT": "pt", "PY": "es", "QA": "ar", "RO": "ro",
    "RS": "sr", "RU": "ru", "SA": "ar", "SE": "sv", "SI": "sl", "SK": "sk", "SV": "es",
    "TH": "th", "TN": "ar", "TR": "tr", "TW": "zh_TW", "UA": "uk", "UY": "es", "VE": "es",
    "VN": "vi", "AE": "ar", "BD": "bn", "TZ": "sw", "KE": "sw", "PH": "tl",
}  # fmt: skip


@cache
def own_country_name(code: str) -> str | None:
    """The country's name in its own language ("Deutschland" for DE), or None where unknown."""
    language, country = OWN_LANGUAGE.get(code), pycountry.countries.get(alpha_2=code)
    if language is None or country is None:
        return None
    try:
        names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:  # no translation shipped for this language
        return None
    own = names.gettext(country.name)
    return own if own != country.name else None


def listing_search_text(
    *,
    full_name: str,
    headline: str | None,
    company: str | None,
    bio: str | None,
    city: str | None,
    country: str | None,
    disciplines: Iterable[str],
    languages: Iterable[str],
    offers: Iterable[str],
) -> str:
    """A listing's search key: every word of it the search box should find, folded."""
    codes = country or ""
    return mentor_search_text(
        full_name, headline, company, bio, city,
        COUNTRIES.get(codes), own_country_name(codes) if codes else None,
        *(Discipline.of(code).label for code in disciplines),
        *(LANGUAGES.get(code, "") for code in languages),
        *(Offer.of(code).label for code in offers),
    )  # fmt: skip
