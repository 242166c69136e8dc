"""What a listing's owner controls, and how it is written onto the listing.

Only the listing's door (services/listings/listing_lifecycle.py) writes these onto a listed
mentor: a corrected profile for an edit, an availability for a change of availability. Status,
version, the private credential and the take-down fields are the door's own, never a profile's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models import Mentor, MentorDiscipline, MentorLanguage, MentorOffer
from services.core.matching import city_key, name_key
from services.directory.keywords import listing_search_text
from services.listings.profile import CleanProfile, ProfileInput

PROFILE_FIELDS = ("full_name", "pronouns", "headline", "company", "seniority", "country", "city",
                  "bio", "linkedin_url", "email")  # fmt: skip
AVAILABILITY_FIELDS = ("open_to_new_mentees", "availability_note")


@dataclass(frozen=True)
class Availability:
    """Whether new mentees are welcome, and the note on how quickly the mentor replies."""

    open_to_new_mentees: bool
    note: str | None
    note_until: date | None = None  # "slower replies until ...": the clock clears the note then


def write_profile(mentor: Mentor, profile: CleanProfile, *, with_availability: bool = True) -> None:
    """Copy a validated profile onto the mentor, with the search and identity keys derived from it
    (and its availability, unless `with_availability` is False: an edit leaves that alone)."""
    for name in PROFILE_FIELDS:
        setattr(mentor, name, getattr(profile, name))
    if with_availability:
        write_availability(mentor, Availability(profile.open_to_new_mentees, profile.availability_note))
    mentor.email_key = profile.email_key
    mentor.linkedin_key = profile.linkedin_key
    mentor.name_key = name_key(profile.full_name)
    mentor.city_key = city_key(profile.city)
    mentor.search_text = search_text(profile)
    _replace_tags(mentor.disciplines, profile.disciplines, MentorDiscipline, "discipline")
    _replace_tags(mentor.languages, profile.languages, MentorLanguage, "language")
    _replace_tags(mentor.offers, profile.offers, MentorOffer, "offer")


def write_availability(mentor: Mentor, availability: Availability) -> None:
    """Say whether new mentees are welcome, and how quickly the mentor replies."""
    mentor.open_to_new_mentees = availability.open_to_new_mentees
    mentor.availability_note = availability.note or None
    mentor.note_until = availability.note_until if availability.note else None


def erase_profile(mentor: Mentor) -> None:
    """Blank every piece of profile and contact data (deleting, erasing); the row stays for its
    history."""
    mentor.full_name = "Deleted mentor"
    mentor.headline = ""
    for name in (
        "pronouns", "company", "city", "bio", "linkedin_url", "email", "availability_note",
        "email_key", "linkedin_key", "manage_token_hash", "city_key", "paused_until", "note_until",
    ):  # fmt: skip
        setattr(mentor, name, None)
    mentor.search_text = ""
    mentor.name_key = ""
    mentor.disciplines.clear()
    mentor.languages.clear()
    mentor.offers.clear()


def search_text(profile: CleanProfile) -> str:
    """What the search box finds in this profile (services/directory/keywords.py)."""
    return listing_search_text(
        full_name=profile.full_name, headline=profile.headline, company=profile.company,
        bio=profile.bio, city=profile.city, country=profile.country,
        disciplines=profile.disciplines, languages=profile.languages, offers=profile.offers,
    )  # fmt: skip


def _replace_tags(current: list, wanted: tuple[str, ...], model: type, column: str) -> None:  # type: ignore[type-arg]
    keep = set(wanted)
    for tag in [t for t in current if getattr(t, column) not in keep]:
        current.remove(tag)
    have = {getattr(t, column) for t in current}
    current.extend(model(**{column: value}) for value in wanted if value not in have)


def profile_of(mentor: Mentor) -> ProfileInput:
    """The mentor's profile as the edit form shows it."""
    return ProfileInput(
        full_name=mentor.full_name,
        pronouns=mentor.pronouns or "",
        headline=mentor.headline,
        company=mentor.company or "",
        disciplines=tuple(sorted(d.discipline for d in mentor.disciplines)),
        seniority=mentor.seniority,
        country=mentor.country,
        city=mentor.city or "",
        languages=tuple(sorted(lang.language for lang in mentor.languages)),
        offers=tuple(sorted(o.offer for o in mentor.offers)),
        bio=mentor.bio or "",
        linkedin_url=mentor.linkedin_url or "",
        email=mentor.email or "",
        open_to_new_mentees=mentor.open_to_new_mentees,
        availability_note=mentor.availability_note or "",
    )
