"""The collective's own words: disciplines, seniority, offers, languages, countries, statuses.

Stored values are short stable codes; labels are what people read. Changing a label is free,
changing a code needs a migration.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

import pycountry


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a human label: `Member = ("code", "Label")`."""

    label: str

    def __new__(cls, value: str, label: str) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def parse(cls, value: object) -> Self | None:
        """The member with this code, or None for anything else."""
        return next((member for member in cls if member.value == value), None)

    @classmethod
    def of(cls, value: str) -> Self:
        """The member with this code; ValueError for anything else (a stored code is always known)."""
        member = cls.parse(value)
        if member is None:
            raise ValueError(f"{value!r} is not a {cls.__name__}")
        return member


class Discipline(LabelledEnum):
    STRATEGY = ("strategy", "Strategy")
    CREATIVE_COPYWRITING = ("creative_copywriting", "Creative / copywriting")
    ART_DIRECTION_DESIGN = ("art_direction_design", "Art direction / design")
    ACCOUNT_MANAGEMENT = ("account_management", "Account management")
    MEDIA_PLANNING_BUYING = ("media_planning_buying", "Media planning / buying")
    SOCIAL = ("social", "Social media")
    CONTENT = ("content", "Content")
    BRAND = ("brand", "Brand marketing")
    PRODUCTION = ("production", "Production")
    DATA_ANALYTICS = ("data_analytics", "Data / analytics")
    PR_COMMS = ("pr_comms", "PR / communications")
    GROWTH_PERFORMANCE = ("growth_performance", "Growth / performance")
    PRODUCT_MARKETING = ("product_marketing", "Product marketing")
    EXPERIENCE_DESIGN = ("experience_design", "UX / CX design")
    PROJECT_MANAGEMENT = ("project_management", "Project management")


class Seniority(LabelledEnum):
    MID_LEVEL = ("mid_level", "Mid-level")
    SENIOR = ("senior", "Senior")
    DIRECTOR = ("director", "Director")
    VP = ("vp", "VP")
    C_SUITE_FOUNDER = ("c_suite_founder", "C-suite / founder")


class Offer(LabelledEnum):
    ONE_OFF_QUESTIONS = ("one_off_questions", "One-off questions")
    LONG_TERM_MENTORSHIP = ("long_term_mentorship", "Long-term mentorship")
    PORTFOLIO_REVIEWS = ("portfolio_reviews", "Portfolio / book reviews")
    INTERVIEW_PREP = ("interview_prep", "Interview prep")
    CAREER_SWITCHING = ("career_switching", "Career switching")
    CV_LINKEDIN_REVIEW = ("cv_linkedin_review", "CV / LinkedIn review")


class ListingStatus(LabelledEnum):
    UNCONFIRMED = ("unconfirmed", "Awaiting confirmation")  # signed up, address not confirmed yet
    LISTED = ("listed", "Listed")
    PAUSED = ("paused", "Paused")
    REMOVED = ("removed", "Removed by a moderator")
    BANNED = ("banned", "Banned")
    DELETED = ("deleted", "Deleted")


class ReportStatus(LabelledEnum):
    NEW = ("new", "New")
    IN_REVIEW = ("in_review", "In review")
    RESOLVED_ACTION = ("resolved_action", "Resolved: action taken")
    RESOLVED_NO_ACTION = ("resolved_no_action", "Resolved: no action")
    DISMISSED = ("dismissed", "Dismissed")


class CodeClause(LabelledEnum):
    """The part of the Code of Conduct an action enforces or a report says was broken."""

    REMOVAL_ON_REQUEST = ("1", "Section 1: taken off the page on the mentor's own request")
    RESPONSIVE = ("2.1", "Section 2: responsive within a reasonable time, no ghosting")
    SUPPORTIVE = ("2.2", "Section 2: encouraging, engaged and supportive")
    RESPECTFUL = ("2.3", "Section 2: respectful and accepting of everyone")
    CONFIDENTIAL = ("2.4", "Section 2: protecting sensitive information")
    HARASSMENT = ("3.1", "Section 3: demeaning, discriminatory or harassing behaviour or speech")
    ILLEGAL_ACTIVITY = ("3.2", "Section 3: facilitating or encouraging illegal activity")
    PAYMENT = ("3.3", "Section 3: asking mentees for payment or compensation")

    @property
    def section(self) -> int:
        return int(self.value.split(".")[0])


class ActorKind(LabelledEnum):
    """Who made a change: what the history and the audit log say about it."""

    MENTOR = ("mentor", "The mentor")
    MODERATOR = ("moderator", "A moderator")
    PUBLIC = ("public", "A member of the public")
    SYSTEM = ("system", "The system")


# ISO 639-1 codes of the languages mentors most often offer; enough for a collective, easy to extend.
LANGUAGES: dict[str, str] = {
    "ar": "Arabic", "bn": "Bengali", "zh": "Chinese (Mandarin)", "yue": "Chinese (Cantonese)",
    "cs": "Czech", "da": "Danish", "nl": "Dutch", "en": "English", "fi": "Finnish",
    "fr": "French", "de": "German", "el": "Greek", "he": "Hebrew", "hi": "Hindi",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "ms": "Malay", "no": "Norwegian", "fa": "Persian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "es": "Spanish", "sw": "Swahili", "sv": "Swedish",
    "tl": "Tagalog / Filipino", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "yo": "Yoruba",
}  # fmt: skip


def _country_name(country: object) -> str:
    return str(getattr(country, "common_name", None) or country.name)  # type: ignore[attr-defined]


# ISO 3166-1 alpha-2 code -> the name people use, sorted by name.
COUNTRIES: dict[str, str] = dict(
    sorted(((c.alpha_2, _country_name(c)) for c in pycountry.countries), key=lambda kv: kv[1])
)
