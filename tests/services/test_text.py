"""Cleaning what people type: invisible and control characters go, every script stays."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.core.text import JOINERS, VISIBLE_FORMAT, clean_line, clean_paragraphs, clean_text

SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
KEPT_FORMAT = {*JOINERS, *VISIBLE_FORMAT, *(chr(c) for c in range(0xE0020, 0xE0080))}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jane\x00 Doe", "Jane Doe"),  # NUL: PostgreSQL refuses it
        ("Jane\x07\x1b[31m Doe\x7f\x9b", "Jane[31m Doe"),  # bell, escape, DEL, a C1 control
        ("\u202eeoD enaJ", "eoD enaJ"),  # right-to-left override: would read backwards
        ("Jane \u2066Doe\u2069 \u200f\u200e\u061c", "Jane Doe"),  # isolates and marks
        ("Ja\u200bne\u2060 D\ufeffoe\u00ad", "Jane Doe"),  # zero-width space, joiner, BOM, soft hyphen
        ("hi\U000e0068\U000e0069 there", "hi there"),  # tag characters smuggling text
        ("Jane\u200dDoe", "JaneDoe"),  # a joiner between Latin letters joins nothing
        ("\u200dJane\u200c", "Jane"),  # nor at the edges
        ("\u200dИван Петров", "Иван Петров"),  # not even when the text ends in a letter it could join
        ("Dev\u200d\U0001f4bb", "Dev\U0001f4bb"),  # nor between a Latin letter and an emoji
        ("\U0001f469\u200d\U0001f4bb Dev", "\U0001f469\u200d\U0001f4bb Dev"),  # an emoji first
        ("Dev \U0001f469\u200d\U0001f4bb", "Dev \U0001f469\u200d\U0001f4bb"),  # woman technologist
        ("\U0001f3f3\ufe0f\u200d\U0001f308", "\U0001f3f3\ufe0f\u200d\U0001f308"),  # rainbow flag
        (f"From {SCOTLAND}", f"From {SCOTLAND}"),  # a flag made of tag characters
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
        ("क्\u200dष", "क्\u200dष"),  # Devanagari half form
        ("Zoë Ørsted-Łukasiewicz", "Zoë Ørsted-Łukasiewicz"),
        ("Иван Петров 张伟 محمد علي יוסף", "Иван Петров 张伟 محمد علي יוסף"),
        ("\u0600\u0661\u0662", "\u0600\u0661\u0662"),  # an Arabic number sign is visible: kept
    ],
)  # fmt: skip
def test_invisible_and_control_characters_go_and_text_in_any_script_stays(
    typed: str, stored: str
) -> None:
    assert clean_line(typed) == stored


def test_one_line_fields_turn_line_breaks_and_tabs_into_single_spaces() -> None:
    assert clean_line(" Jane\t\r\nDoe\u2028\x0b\x1f Smith ") == "Jane Doe Smith"


def test_a_one_line_value_kept_untrimmed_still_has_no_tab_or_line_break() -> None:
    assert clean_text(" Jane\tDoe\n") == " Jane Doe "


def test_multi_line_fields_keep_line_breaks_and_tabs() -> None:
    typed = "  First line\r\nSecond\tline\rThird\u2029Fourth\x00\n\n"
    assert clean_paragraphs(typed) == "First line\nSecond\tline\nThird\nFourth"


def test_multi_line_fields_turn_the_unit_separator_into_a_space() -> None:
    assert clean_paragraphs("Role\x1fCopywriter") == "Role Copywriter"


@given(st.text())
def test_cleaning_leaves_no_control_or_invisible_character(text: str) -> None:
    for cleaned in (clean_line(text), clean_paragraphs(text)):
        assert not any(
            unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\n" for char in cleaned
        )
        assert all(unicodedata.category(char) != "Cf" or char in KEPT_FORMAT for char in cleaned)
    assert "\t" not in clean_line(text) and "\n" not in clean_line(text)


@given(st.text())
def test_cleaning_twice_changes_nothing(text: str) -> None:
    for multiline in (False, True):
        once = clean_text(text, multiline=multiline)
        assert clean_text(once, multiline=multiline) == once
    assert clean_line(clean_line(text)) == clean_line(text)


@given(st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "S", "Zs"])))
def test_visible_text_is_stored_as_typed(text: str) -> None:
    assert clean_text(text) == text
