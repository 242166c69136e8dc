"""The rules a mentor's profile must meet, with the messages people see."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.listings.profile import (
    KEY_LENGTHS,
    LIMITS,
    InvalidLinkedInUrl,
    canonical_linkedin_url,
    email_key,
    is_safe_linkedin_url,
    linkedin_key,
    validate_profile,
)
from tests.factories import make_profile


def test_a_complete_profile_is_accepted_and_trimmed() -> None:
    clean, errors = validate_profile(
        make_profile(full_name="  Jane   Doe ", company="", email="Jane@Example.org ")
    )
    assert errors == {}
    assert clean is not None
    assert clean.full_name == "Jane Doe"
    assert clean.company is None
    assert clean.email == "Jane@Example.org"
    assert clean.email_key == "jane@example.org"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"full_name": ""}, "full_name", "full name"),
        ({"full_name": "x" * 121}, "full_name", "120 characters"),
        ({"headline": "   "}, "headline", "job title"),
        ({"bio": "b" * 1201}, "bio", "1200 characters"),
        ({"availability_note": "n" * 201}, "availability_note", "200 characters"),
        ({"disciplines": ()}, "disciplines", "at least one"),
        ({"disciplines": ("astrology",)}, "disciplines", "from the list"),
        ({"seniority": ""}, "seniority", "seniority"),
        ({"country": "XX"}, "country", "country"),
        ({"languages": ()}, "languages", "at least one"),
        ({"offers": ()}, "offers", "at least one"),
        ({"email": ""}, "email", "never shown"),
        ({"email": "jane.example.org"}, "email", "email address"),
        ({"email": "jane@localhost"}, "email", "email address"),
        ({"linkedin_url": ""}, "linkedin_url", "LinkedIn"),
        ({"linkedin_url": "https://example.com/in/jane"}, "linkedin_url", "not a LinkedIn address"),
        (
            {"linkedin_url": "https://www.linkedin.com/company/acme"},
            "linkedin_url",
            "profile address",
        ),
        ({"linkedin_url": "javascript:alert(1)//linkedin.com/in/x"}, "linkedin_url", "LinkedIn"),
    ],
)
def test_each_rule_names_its_field_in_plain_words(
    overrides: dict[str, object], field: str, words: str
) -> None:
    clean, errors = validate_profile(make_profile(**overrides))
    assert clean is None
    assert list(errors) == [field]
    assert words in errors[field]


def test_every_problem_is_reported_at_once() -> None:
    _, errors = validate_profile(make_profile(full_name="", email="nope", disciplines=()))
    assert set(errors) == {"full_name", "email", "disciplines"}


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/in/jane-doe/", "https://www.linkedin.com/in/jane-doe"),
        ("https://uk.linkedin.com/in/jane-doe?trk=abc#x", "https://www.linkedin.com/in/jane-doe"),
        ("HTTPS://WWW.LINKEDIN.COM/in/Jane-Doe", "https://www.linkedin.com/in/Jane-Doe"),
        ("https://www.linkedin.com/in/jos%C3%A9", "https://www.linkedin.com/in/jos%C3%A9"),
        ("https://www.linkedin.com/in/josé", "https://www.linkedin.com/in/jos%C3%A9"),
        ("https://www.linkedin.com/in/jose\u0301", "https://www.linkedin.com/in/jos%C3%A9"),
        ("http://www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("//www.linkedin.com:443/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("linkedin.com/in/иван-петров", "https://www.linkedin.com/in/%D0%B8%D0%B2%D0%B0%D0%BD-%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2"),
        ("https://cn.linkedin.com/in/%E5%BC%A0%E4%BC%9F-123/", "https://www.linkedin.com/in/%E5%BC%A0%E4%BC%9F-123"),
        ("www.linkedin.com/in/张伟-123", "https://www.linkedin.com/in/%E5%BC%A0%E4%BC%9F-123"),
        ("linkedin.com/in/محمد-علي", "https://www.linkedin.com/in/%D9%85%D8%AD%D9%85%D8%AF-%D8%B9%D9%84%D9%8A"),
        ("\u200bhttps://www.linkedin.com/in/jane-doe\u202c ", "https://www.linkedin.com/in/jane-doe"),
    ],
)  # fmt: skip
def test_linkedin_addresses_are_stored_in_one_canonical_https_form(
    typed: str, canonical: str
) -> None:
    assert canonical_linkedin_url(typed) == canonical
    assert is_safe_linkedin_url(canonical)


@pytest.mark.parametrize(
    "typed",
    ["https://linkedin.com.evil.example/in/jane", "https://www.linkedin.com/in/", "https://user@www.linkedin.com/in/jane",
     "https://www.linkedin.com:8443/in/jane", "ftp://www.linkedin.com/in/jane", "https://www.linkedin.com/in/jane/details",
     "https://[linkedin.com/in/jane", "https://[::1]/in/jane", "https://www.linkedin.com:port/in/jane",
     "https://www.linkedin.com:99999/in/jane", "https://www.linkedin.com/in/%FF%FE%FD", "https://www.linkedin.com/in/jane%00doe",
     "https://www.linkedin.com/in/jane%20doe", "https://www.linkedin.com/in/jane%2Fdoe", "https://ｌinkedin.com/in/jane",
     "javascript:alert(1)//linkedin.com/in/jane"],
)  # fmt: skip
def test_anything_but_a_linkedin_profile_is_refused(typed: str) -> None:
    with pytest.raises(InvalidLinkedInUrl):
        canonical_linkedin_url(typed)


def test_the_same_profile_spelled_differently_has_one_identity() -> None:
    assert linkedin_key("https://www.linkedin.com/in/Jane-Doe/") == linkedin_key(
        "uk.linkedin.com/in/jane-doe"
    )


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "javascript:alert(1)",
        "https://evil.example/in/x",
        "https://www.linkedin.com/in/x?y=1",
    ],
)
def test_only_canonical_linkedin_urls_are_safe_to_link(url: str | None) -> None:
    assert not is_safe_linkedin_url(url)


@pytest.mark.parametrize("slug", ["张" * 31, "ß" * 50, "ﬃ" * 100, "%E5%BC%A0" * 40])
def test_an_address_too_long_to_store_once_encoded_is_refused_with_a_reason(slug: str) -> None:
    clean, errors = validate_profile(make_profile(linkedin_url=f"linkedin.com/in/{slug}"))
    assert clean is None and "too long to store" in errors["linkedin_url"]


@pytest.mark.parametrize("slug", ["张" * 30, "ß" * 45, "ΐ" * 45, "a" * 100])
def test_the_longest_addresses_that_are_accepted_fit_with_their_keys(slug: str) -> None:
    url = canonical_linkedin_url(f"linkedin.com/in/{slug}")
    assert len(url) <= LIMITS["linkedin_url"]
    assert len(linkedin_key(url)) <= KEY_LENGTHS["linkedin_key"]


def test_an_email_that_grows_too_long_when_folded_is_refused_with_a_reason() -> None:
    email = "ß" * 240 + "@example.de"  # 251 characters typed, 491 once case-folded
    clean, errors = validate_profile(make_profile(email=email))
    assert clean is None and "too long" in errors["email"]
    assert len(email_key("ß" * 120 + "@example.de")) <= KEY_LENGTHS["email_key"]


LINKEDINISH = st.sampled_from(["", "https://", "http://", "//", "linkedin.com", "www.linkedin.com",
                               "https://www.linkedin.com", "https://www.linkedin.com/in/", ":", "[", "]",
                               "@", "%", "%E5", "/in/", "?", "#", ":443", "\x00", "\u202e"])  # fmt: skip


@given(st.lists(st.one_of(LINKEDINISH, st.text(max_size=20)), max_size=8).map("".join))
def test_a_linkedin_address_is_either_canonical_or_refused_with_a_message(typed: str) -> None:
    try:
        url = canonical_linkedin_url(typed)
    except InvalidLinkedInUrl as problem:
        assert "LinkedIn" in str(problem) or "https://" in str(problem)
        return
    assert url.startswith("https://www.linkedin.com/in/") and len(url) <= LIMITS["linkedin_url"]
    assert canonical_linkedin_url(url) == url and is_safe_linkedin_url(url)
