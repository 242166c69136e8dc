"""The mentor profile form, shared by Become a mentor and Manage my listing."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from services.profile import LIMITS, ProfileInput
from services.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority
from ui.forms import field_error

LABELS = {
    "full_name": "Full name",
    "pronouns": "Pronouns (optional)",
    "headline": "Job title or headline",
    "company": "Company (optional)",
    "disciplines": "Disciplines",
    "seniority": "Seniority",
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
FIELDS = tuple(LABELS)
AVAILABILITY = ("open_to_new_mentees", "availability_note")
# On Manage my listing availability has a form of its own: one form per fact.
PROFILE_ONLY = tuple(field for field in FIELDS if field not in AVAILABILITY)


def _text(prefix: str, field: str, errors: Mapping[str, str], **kwargs: object) -> None:
    st.text_input(LABELS[field], key=f"{prefix}{field}", max_chars=LIMITS.get(field), **kwargs)  # type: ignore[arg-type]
    field_error(errors, field)


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
    """Every profile field, each with its error under it. Call inside an st.form."""
    _text(
        prefix,
        "full_name",
        errors,
        help="As you'd like mentees to see it. You'll type it again to sign.",
    )
    left, right = st.columns(2)
    with left:
        _text(prefix, "pronouns", errors, placeholder="e.g. she/her")
    with right:
        _text(prefix, "headline", errors, placeholder="e.g. Senior Copywriter")
    left, right = st.columns(2)
    with left:
        _text(prefix, "company", errors)
    with right:
        st.selectbox(LABELS["seniority"], [s.value for s in Seniority], index=None, key=f"{prefix}seniority",
                     format_func=lambda c: Seniority(c).label, placeholder="Choose one")  # fmt: skip
        field_error(errors, "seniority")
    st.multiselect(LABELS["disciplines"], [d.value for d in Discipline], key=f"{prefix}disciplines",
                   format_func=lambda c: Discipline(c).label, placeholder="Choose one or more")  # fmt: skip
    field_error(errors, "disciplines")
    left, right = st.columns(2)
    with left:
        st.selectbox(LABELS["country"], list(COUNTRIES), index=None, key=f"{prefix}country",
                     format_func=lambda c: COUNTRIES[c], placeholder="Choose a country")  # fmt: skip
        field_error(errors, "country")
    with right:
        _text(prefix, "city", errors)
    st.multiselect(LABELS["languages"], list(LANGUAGES), key=f"{prefix}languages",
                   format_func=lambda c: LANGUAGES[c], placeholder="Choose one or more")  # fmt: skip
    field_error(errors, "languages")
    st.multiselect(LABELS["offers"], [o.value for o in Offer], key=f"{prefix}offers",
                   format_func=lambda c: Offer(c).label, placeholder="Choose one or more")  # fmt: skip
    field_error(errors, "offers")
    st.text_area(LABELS["bio"], key=f"{prefix}bio", max_chars=LIMITS["bio"],
                 help="A few lines about your experience and how you like to help. Shown as plain text.")  # fmt: skip
    field_error(errors, "bio")
    _text(prefix, "linkedin_url", errors, placeholder="https://www.linkedin.com/in/your-name",
          help="Mentees reach out to you here.")  # fmt: skip
    _text(prefix, "email", errors, placeholder="name@example.com",
          help="Only the moderators see it, to recognise your listing if you write to us.")  # fmt: skip
    if not availability:
        return
    st.checkbox(LABELS["open_to_new_mentees"], key=f"{prefix}open_to_new_mentees")
    _text(prefix, "availability_note", errors, placeholder="e.g. Slower replies until January",
          help="If you're busy for a while, say so here rather than leave people waiting.")  # fmt: skip


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
