"""The rule that a typed signature matches the profile's full name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.core.matching import (
    CITY_KEY_LENGTH,
    NAME_KEY_LENGTH,
    city_key,
    name_key,
    search_key,
    signature_matches_name,
)
from services.core.text import clean_line


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
        ("Jane Doe", "Ja\u200bne\u202e Doe\x00", True),  # invisible characters are not the name
        ("نیک\u200cنام", "نیکنام", True),  # a joiner kept in the name, not typed: the same name
        ("क्\u200dष", "क्ष", True),
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


@given(st.text(min_size=1).filter(clean_line))  # a name of invisible characters only is no name
def test_any_name_typed_with_other_spacing_matches(name: str) -> None:
    typed = "  " + "   ".join(name.split()) + "\t"
    assert signature_matches_name(full_name=name, typed_name=typed)


@given(st.text())
def test_search_key_is_idempotent_and_accent_free(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert key == key.strip()
    assert "  " not in key


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Søren Ødegård", "soren odegard"),
        ("Łukasz Żółć", "lukasz zolc"),
        ("Ægir Dæhlie", "aegir daehlie"),
        ("Straße", "strasse"),
        ("Đorđe Đoković", "dorde dokovic"),
        ("Œuvre", "oeuvre"),
        ("Þórdís Guðmundsdóttir", "thordis gudmundsdottir"),
        ("Işıl Yılmaz", "isil yilmaz"),
        ("İstanbul", "istanbul"),
        ("Nguyễn Thị Ánh", "nguyen thi anh"),
        ("Ǆemal", "dzemal"),
        ("ﬁnance ＡＤ", "finance ad"),  # ligature and full-width letters
        ("O’Brien – Agency", "o'brien - agency"),  # typographic apostrophe and dash
        ("Ami\u20dde", "amie"),  # an enclosing mark, combining class 0: still a mark on a letter
    ],
)
def test_every_latin_letter_folds_to_what_a_mentee_types(written: str, typed: str) -> None:
    assert search_key(written) == search_key(typed) == typed


@pytest.mark.parametrize(
    ("written", "key"),
    [("Москва", "москва"), ("张伟", "张伟"), ("محمد علي", "محمد علي"), ("Ελένη", "ελένη"),
     ("हिन्दी", "हिन्दी"), ("Søren 张伟", "soren 张伟")],
)  # fmt: skip
def test_other_scripts_are_searched_as_themselves(written: str, key: str) -> None:
    assert search_key(written) == key


@pytest.mark.parametrize("grows", ["ß", "ﷺ", "ﬃ", "㍿", "Ǆ"])
def test_stored_keys_fit_their_columns_however_much_the_text_grows(grows: str) -> None:
    assert len(search_key(grows * 120)) > 120
    assert len(name_key(grows * 120)) <= NAME_KEY_LENGTH
    assert len(city_key(grows * 100) or "") <= CITY_KEY_LENGTH
    assert name_key(grows * 120) == search_key(grows * 120)[:NAME_KEY_LENGTH].rstrip()


def test_invisible_characters_never_split_a_search_word() -> None:
    assert search_key("Ja\u200bne\u00ad D\u200doe\u202e") == "jane doe"


def test_a_name_or_city_cut_to_fit_its_column_does_not_end_in_a_space() -> None:
    written = "Abc " * 40  # both cuts (120 and 100 characters) fall on a space
    assert name_key(written) == ("abc " * 30).rstrip()
    assert city_key(written) == ("abc " * 25).rstrip()


def test_no_city_is_stored_as_no_city() -> None:
    assert city_key(None) is None
    assert city_key("") is None
    assert city_key(" \u200b ") is None

