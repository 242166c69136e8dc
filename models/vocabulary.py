"""The collective's own words: disciplines, seniority, offers, languages, countries, statuses.

Stored values are short stable codes; labels are what people read. Changing a label is free,
changing a code needs a migration.
"""

from __future__ import annotations

from enum import StrEnum

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
    def parse(cls, value: str) -> LabelledEnum | None:
        """The member with this code, or None for anything else."""
        return next((member for member in cls if member.value == value), None)


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


class ListingStatus(StrEnum):
    LISTED = "listed"
    PAUSED = "paused"
    REMOVED = "removed"
    BANNED = "banned"
    DELETED = "deleted"


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
