"""A mentor's profile as typed, the rules it must meet, and its normalised identity keys."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from services.core.text import clean_line, clean_paragraphs
from services.core.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority

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
LINKEDIN_EXAMPLE = "https://www.linkedin.com/in/your-name"
LINKEDIN_PROFILES = "https://www.linkedin.com/in/"
HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
DEFAULT_PORTS = {"https": 443, "http": 80}
SLUG_LENGTH = (3, 100)  # LinkedIn's own limits for a profile's public address
SLUG_PUNCTUATION = "-_.~"
KEY_LENGTHS = {"linkedin_key": 200, "email_key": 254}  # mentors.linkedin_key, mentors.email_key
NOT_A_PROFILE = (
    f"This is not a LinkedIn profile address. A profile address looks like {LINKEDIN_EXAMPLE}."
)
TOO_LONG = (
    "This LinkedIn address is too long to store. Please use the shorter public address of the "
    f"profile, like {LINKEDIN_EXAMPLE}."
)


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
    return clean_line(email).casefold()


def canonical_linkedin_url(text: str) -> str:
    """https://www.linkedin.com/in/<slug> for any spelling of a LinkedIn profile address.

    Accepts a missing scheme, http:// (upgraded), country subdomains (uk.linkedin.com), a trailing
    slash, query and fragment, and profile names in any script, typed or percent-encoded (stored
    percent-encoded, in NFC form). Raises InvalidLinkedInUrl, and nothing else, for other hosts,
    ports, user names, other kinds of LinkedIn page, malformed addresses, and addresses whose
    canonical form or identity key would not fit their column.
    """
    raw = clean_line(text)
    if not HAS_SCHEME.match(raw):
        raw = "https://" + raw.lstrip("/")
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError as problem:  # brackets of an IPv6 host, a port that is not a number, ...
        raise InvalidLinkedInUrl(NOT_A_PROFILE) from problem
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidLinkedInUrl(
            f"Use the address that starts with https://, like {LINKEDIN_EXAMPLE}."
        )
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        raise InvalidLinkedInUrl(
            f"This is not a LinkedIn address. It looks like {LINKEDIN_EXAMPLE}."
        )
    if parts.username is not None or port not in (None, DEFAULT_PORTS[scheme]):
        raise InvalidLinkedInUrl(NOT_A_PROFILE)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 2 or segments[0].lower() != "in":
        raise InvalidLinkedInUrl(NOT_A_PROFILE)
    url = LINKEDIN_PROFILES + quote(_profile_slug(segments[1]), safe=SLUG_PUNCTUATION)
    if len(url) > LIMITS["linkedin_url"] or len(_slug_key(url)) > KEY_LENGTHS["linkedin_key"]:
        raise InvalidLinkedInUrl(TOO_LONG)
    return url


def _profile_slug(segment: str) -> str:
    """The profile's name in an address, decoded and in NFC form, or InvalidLinkedInUrl."""
    try:
        slug = unicodedata.normalize("NFC", unquote(segment, errors="strict"))
    except UnicodeDecodeError as problem:
        raise InvalidLinkedInUrl(NOT_A_PROFILE) from problem
    shortest, longest = SLUG_LENGTH
    if not shortest <= len(slug) <= longest or not all(
        char in SLUG_PUNCTUATION or unicodedata.category(char)[0] in "LMN" for char in slug
    ):
        raise InvalidLinkedInUrl(NOT_A_PROFILE)
    return slug


def linkedin_key(url: str) -> str:
    """The form of a LinkedIn profile used to recognise the same person: the slug, case-folded."""
    return _slug_key(canonical_linkedin_url(url))


def _slug_key(canonical_url: str) -> str:
    return unquote(canonical_url.rsplit("/", 1)[1]).casefold()


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
    text = {name: clean_line(getattr(profile, name) or "") for name in LIMITS}
    text["bio"] = clean_paragraphs(profile.bio or "")
    for name, message in REQUIRED_TEXT.items():
        if not text[name]:
            errors[name] = message
    for name, limit in LIMITS.items():  # a LinkedIn address is checked in its canonical form
        if name != "linkedin_url" and len(text[name]) > limit:
            errors[name] = f"Please keep this to {limit} characters (it is {len(text[name])})."
    _check_choices(profile, errors)
    if "linkedin_url" not in errors:
        try:
            text["linkedin_url"] = canonical_linkedin_url(text["linkedin_url"])
        except InvalidLinkedInUrl as problem:
            errors["linkedin_url"] = str(problem)
    if "email" not in errors and not EMAIL_PATTERN.match(text["email"]):
        errors["email"] = "This doesn't look like an email address, e.g. name@example.com."
    elif "email" not in errors and len(email_key(text["email"])) > KEY_LENGTHS["email_key"]:
        errors["email"] = "This email address is too long to store. Please use a shorter one."
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
