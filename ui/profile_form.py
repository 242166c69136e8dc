"""The mentor profile form, shared by Become a mentor and Manage my listing.

No widget has a character cap: a paste longer than a field's limit stays as pasted, and the
service says how long it is and what the limit is, under the field. The limit is in the field's
visible hint.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from services.core.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority
from services.listings.profile import LIMITS, ProfileInput
from ui.forms import field_error, hint

# In the order the form shows the fields: the error summary lists its problems in this order.
LABELS = {
    "full_name": "Full name",
    "pronouns": "Pronouns (optional)",
    "headline": "Job title or headline",
    "company": "Company (optional)",
    "seniority": "Seniority",
    "disciplines": "Disciplines",
    "country": "Country",
    "city": "City (optional)",
    "languages": "Languages you can mentor in",
    "offers": "What you offer mentees",
    "bio": "Short bio (optional)",
    "linkedin_url": "LinkedIn profile address",
    "email": "Email (never shown publicly)",
    "open_to_new_mentees": "I'm open to new mentees",
    "availability_note": "Availability note (optional)",
}
HINTS = {
    "full_name": "As you'd like mentees to see it. You'll type it again to sign.",
    "bio": "A few lines about your experience and how you like to help. Shown as plain text.",
    "linkedin_url": "Mentees reach out to you there. It looks like https://www.linkedin.com/in/your-name.",
    "email": "Only the moderators see it, to recognise your listing if you write to us.",
    "availability_note": "If you're busy for a while, say so here rather than leave people waiting.",
}
FIELDS = tuple(LABELS)
AVAILABILITY = ("open_to_new_mentees", "availability_note")
# On Manage my listing availability has a form of its own: one form per fact.
PROFILE_ONLY = tuple(field for field in FIELDS if field not in AVAILABILITY)


def widget_keys(prefix: str) -> dict[str, str]:
    """Each field's widget key in a form with this prefix."""
    return {field: f"{prefix}{field}" for field in FIELDS}


def _hint(prefix: str, field: str) -> None:
    text = HINTS.get(field, "")
    if field in LIMITS:
        text = f"{text} Up to {LIMITS[field]:,} characters.".strip()
    if text:
        hint(f"{prefix}{field}", text)


def _text(prefix: str, field: str, errors: Mapping[str, str], **kwargs: object) -> None:
    st.text_input(LABELS[field], key=f"{prefix}{field}", **kwargs)  # type: ignore[arg-type]
    _hint(prefix, field)
    field_error(errors, field, widget_key=f"{prefix}{field}")


def _choice(prefix: str, field: str, errors: Mapping[str, str], widget: object, options: list[str],
            label_of: object, placeholder: str) -> None:  # fmt: skip
    widget(LABELS[field], options, key=f"{prefix}{field}", format_func=label_of,  # type: ignore[operator]
           placeholder=placeholder, **({"index": None} if widget is st.selectbox else {}))  # fmt: skip
    field_error(errors, field, widget_key=f"{prefix}{field}")


def prefill(prefix: str, profile: ProfileInput) -> None:
    """Put a stored profile into the form's widgets (before they are drawn)."""
    for field in FIELDS:
        value = getattr(profile, field)
        st.session_state[f"{prefix}{field}"] = list(value) if isinstance(value, tuple) else value
    if not profile.country:
        st.session_state[f"{prefix}country"] = None
    if not profile.seniority:
        st.session_state[f"{prefix}seniority"] = None


def profile_fields(prefix: str, errors: Mapping[str, str], *, availability: bool = True) -> None:
    """Every profile field, each with its hint and error under it. Call inside an st.form."""
    _text(prefix, "full_name", errors)
    left, right = st.columns(2)
    with left:
        _text(prefix, "pronouns", errors, placeholder="e.g. she/her")
    with right:
        _text(prefix, "headline", errors, placeholder="e.g. Senior Copywriter")
    left, right = st.columns(2)
    with left:
        _text(prefix, "company", errors)
    with right:
        _choice(prefix, "seniority", errors, st.selectbox, [s.value for s in Seniority],
                lambda c: Seniority.of(c).label, "Choose one")  # fmt: skip
    _choice(prefix, "disciplines", errors, st.multiselect, [d.value for d in Discipline],
            lambda c: Discipline.of(c).label, "Choose one or more")  # fmt: skip
    left, right = st.columns(2)
    with left:
        _choice(prefix, "country", errors, st.selectbox, list(COUNTRIES), COUNTRIES.__getitem__,
                "Choose a country")  # fmt: skip
    with right:
        _text(prefix, "city", errors)
    _choice(prefix, "languages", errors, st.multiselect, list(LANGUAGES), LANGUAGES.__getitem__,
            "Choose one or more")  # fmt: skip
    _choice(prefix, "offers", errors, st.multiselect, [o.value for o in Offer],
            lambda c: Offer.of(c).label, "Choose one or more")  # fmt: skip
    st.text_area(LABELS["bio"], key=f"{prefix}bio")
    _hint(prefix, "bio")
    field_error(errors, "bio", widget_key=f"{prefix}bio")
    _text(prefix, "linkedin_url", errors, placeholder="https://www.linkedin.com/in/your-name")
    _text(prefix, "email", errors, placeholder="name@example.com")
    if not availability:
        return
    st.checkbox(LABELS["open_to_new_mentees"], key=f"{prefix}open_to_new_mentees")
    _text(prefix, "availability_note", errors, placeholder="e.g. Slower replies until January")


def profile_from_state(prefix: str) -> ProfileInput:
    """The profile as currently typed into the form."""
    state = st.session_state

    def value(field: str, default: object = "") -> object:
        found = state.get(f"{prefix}{field}", default)
        return default if found is None else found

    return ProfileInput(
        **{field: str(value(field)) for field in FIELDS if field in LIMITS},
        disciplines=tuple(value("disciplines", ())),  # type: ignore[arg-type]
        seniority=str(value("seniority")),
        country=str(value("country")),
        languages=tuple(value("languages", ())),  # type: ignore[arg-type]
        offers=tuple(value("offers", ())),  # type: ignore[arg-type]
        open_to_new_mentees=bool(value("open_to_new_mentees", True)),
    )
