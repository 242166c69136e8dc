"""The rule that a typed signature matches the profile's full name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.matching import search_key, signature_matches_name


@pytest.mark.parametrize(
    ("full_name", "typed", "matches"),
    [
        ("Jane Doe", "Jane Doe", True),
        ("Jane Doe", "jane doe", True),
        ("Jane Doe", "JANE DOE", True),
        ("Jane Doe", "  Jane   Doe ", True),
        ("Jane Doe", "Jane\tDoe\n", True),
        ("Jane Doe", "Ｊａｎｅ Ｄｏｅ", True),  # full-width letters: NFKC folds them
        ("José Pérez", "Jose\u0301 Pe\u0301rez", True),  # decomposed accents
        ("Straße", "STRASSE", True),  # case folding, not lower()
        ("Jane Doe", "Jane\u00a0Doe", True),  # no-break space
        ("Jane Doe", "Jane", False),
        ("Jane Doe", "Jane Doe Smith", False),
        ("José Pérez", "Jose Perez", False),  # accents are part of the name
        ("Jane Doe", "Jаne Doe", False),  # Cyrillic а: looks alike, is not the same name
        ("Jane Doe", "JaneDoe", False),
        ("Jane Doe", "", False),
        ("Jane Doe", "   ", False),
        ("", "", False),
    ],
)
def test_signature_matches_the_full_name(full_name: str, typed: str, matches: bool) -> None:
    assert signature_matches_name(full_name=full_name, typed_name=typed) is matches


@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_any_name_typed_with_other_spacing_matches(name: str) -> None:
    typed = "  " + "   ".join(name.split()) + "\t"
    assert signature_matches_name(full_name=name, typed_name=typed)


@given(st.text())
def test_search_key_is_idempotent_and_accent_free(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert key == key.strip()
    assert "  " not in key
