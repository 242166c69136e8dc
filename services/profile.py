"""A mentor's profile as typed, the rules it must meet, and its normalised identity keys."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from services.matching import collapse_whitespace
from services.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority

LIMITS = {
    "full_name": 120,
    "pronouns": 40,
    "headline": 120,
    "company": 120,
    "city": 100,
    "bio": 1200,
    "linkedin_url": 300,
    "email": 254,
    "availability_note": 200,
}
REQUIRED_TEXT = {
    "full_name": "Please enter your full name.",
    "headline": "Please enter your job title or headline.",
    "linkedin_url": "Please enter the address of your LinkedIn profile.",
    "email": "Please enter your email address. It is never shown publicly.",
}
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
LINKEDIN_SLUG = re.compile(r"^[^/?#\s]{3,100}$")
LINKEDIN_EXAMPLE = "https://www.linkedin.com/in/your-name"


class InvalidLinkedInUrl(ValueError):
    """The text is not the https address of a LinkedIn profile."""


@dataclass(frozen=True)
class ProfileInput:
    """Everything a mentor types or picks about themself, exactly as given."""

    full_name: str = ""
    pronouns: str = ""
    headline: str = ""
    company: str = ""
    disciplines: tuple[str, ...] = ()
    seniority: str = ""
    country: str = ""
    city: str = ""
    languages: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    bio: str = ""
    linkedin_url: str = ""
    email: str = ""
    open_to_new_mentees: bool = True
    availability_note: str = ""


@dataclass(frozen=True)
class CleanProfile:
    """A profile that passed every rule: trimmed text, known codes, canonical LinkedIn URL."""

    full_name: str
    pronouns: str | None
    headline: str
    company: str | None
    disciplines: tuple[str, ...]
    seniority: str
    country: str
    city: str | None
    languages: tuple[str, ...]
    offers: tuple[str, ...]
    bio: str | None
    linkedin_url: str
    email: str
    open_to_new_mentees: bool
    availability_note: str | None
    email_key: str = field(init=False)
    linkedin_key: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "email_key", email_key(self.email))
        object.__setattr__(self, "linkedin_key", linkedin_key(self.linkedin_url))


def email_key(email: str) -> str:
    """The form of an email address used to recognise the same person again."""
    return email.strip().casefold()


def canonical_linkedin_url(text: str) -> str:
    """https://www.linkedin.com/in/<slug> for any spelling of a LinkedIn profile address.

    Accepts a missing scheme, country subdomains (uk.linkedin.com), a trailing slash, query and
    fragment; refuses http://, other hosts and other kinds of LinkedIn page.
    """
    raw = text.strip()
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() != "https":
        raise InvalidLinkedInUrl("Use the secure address that starts with https://.")
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        raise InvalidLinkedInUrl(
            f"This is not a LinkedIn address. It looks like {LINKEDIN_EXAMPLE}."
        )
    if parts.username or parts.password or parts.port:
        raise InvalidLinkedInUrl(f"This is not a LinkedIn profile address like {LINKEDIN_EXAMPLE}.")
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 2 or segments[0].lower() != "in" or not LINKEDIN_SLUG.match(segments[1]):
        raise InvalidLinkedInUrl(
            f"This is not a LinkedIn profile address. A profile address looks like {LINKEDIN_EXAMPLE}."
        )
    slug = unquote(segments[1])
    return f"https://www.linkedin.com/in/{quote(slug, safe='-_.~')}"


def linkedin_key(url: str) -> str:
    """The form of a LinkedIn profile used to recognise the same person: the slug, case-folded."""
    return unquote(canonical_linkedin_url(url).rsplit("/", 1)[1]).casefold()


def is_safe_linkedin_url(url: str | None) -> bool:
    """True only for an https linkedin.com profile URL in canonical form: safe to link to."""
    if not url:
        return False
    try:
        return canonical_linkedin_url(url) == url
    except InvalidLinkedInUrl:
        return False


def validate_profile(profile: ProfileInput) -> tuple[CleanProfile | None, dict[str, str]]:
    """Check every rule; return the clean profile, or None and a message per field to fix."""
    errors: dict[str, str] = {}
    text = {name: collapse_whitespace(getattr(profile, name) or "") for name in LIMITS}
    text["bio"] = (profile.bio or "").strip()
    for name, message in REQUIRED_TEXT.items():
        if not text[name]:
            errors[name] = message
    for name, limit in LIMITS.items():
        if len(text[name]) > limit:
            errors[name] = f"Please keep this to {limit} characters (it is {len(text[name])})."
    _check_choices(profile, errors)
    if "linkedin_url" not in errors:
        try:
            text["linkedin_url"] = canonical_linkedin_url(text["linkedin_url"])
        except InvalidLinkedInUrl as problem:
            errors["linkedin_url"] = str(problem)
    if "email" not in errors and not EMAIL_PATTERN.match(text["email"]):
        errors["email"] = "This doesn't look like an email address, e.g. name@example.com."
    if errors:
        return None, errors
    clean = CleanProfile(
        full_name=text["full_name"],
        pronouns=text["pronouns"] or None,
        headline=text["headline"],
        company=text["company"] or None,
        disciplines=tuple(dict.fromkeys(profile.disciplines)),
        seniority=profile.seniority,
        country=profile.country,
        city=text["city"] or None,
        languages=tuple(dict.fromkeys(profile.languages)),
        offers=tuple(dict.fromkeys(profile.offers)),
        bio=text["bio"] or None,
        linkedin_url=text["linkedin_url"],
        email=text["email"],
        open_to_new_mentees=bool(profile.open_to_new_mentees),
        availability_note=text["availability_note"] or None,
    )
    return clean, {}


def _check_choices(profile: ProfileInput, errors: dict[str, str]) -> None:
    disciplines = {d.value for d in Discipline}
    offers = {o.value for o in Offer}
    if not profile.disciplines:
        errors["disciplines"] = "Please pick at least one discipline."
    elif not set(profile.disciplines) <= disciplines:
        errors["disciplines"] = "Please pick disciplines from the list."
    if profile.seniority not in {s.value for s in Seniority}:
        errors["seniority"] = "Please pick your seniority."
    if profile.country not in COUNTRIES:
        errors["country"] = "Please pick the country you work in."
    if not profile.languages:
        errors["languages"] = "Please pick at least one language you can mentor in."
    elif not set(profile.languages) <= LANGUAGES.keys():
        errors["languages"] = "Please pick languages from the list."
    if not profile.offers:
        errors["offers"] = "Please pick at least one thing you offer mentees."
    elif not set(profile.offers) <= offers:
        errors["offers"] = "Please pick from the list of what you offer."
