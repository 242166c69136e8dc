"""The rules a mentor's profile must meet, with the messages people see."""

from __future__ import annotations

import pytest

from services.profile import (
    InvalidLinkedInUrl,
    canonical_linkedin_url,
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
        ({"linkedin_url": "http://www.linkedin.com/in/jane"}, "linkedin_url", "https://"),
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
    ],
)
def test_linkedin_addresses_are_stored_in_one_canonical_https_form(
    typed: str, canonical: str
) -> None:
    assert canonical_linkedin_url(typed) == canonical
    assert is_safe_linkedin_url(canonical)


@pytest.mark.parametrize(
    "typed",
    ["https://linkedin.com.evil.example/in/jane", "https://www.linkedin.com/in/", "https://user@www.linkedin.com/in/jane",
     "https://www.linkedin.com:8443/in/jane", "ftp://www.linkedin.com/in/jane", "https://www.linkedin.com/in/jane/details"],
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
