"""How a mentor appears in the directory (and to themself, after signing)."""

from __future__ import annotations

import streamlit as st

from services.directory import MentorCard
from services.profile import is_safe_linkedin_url
from services.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority
from ui.plain import md_escape


def _labels(enum: type[Discipline] | type[Offer], codes: tuple[str, ...]) -> str:
    return ", ".join(member.label for code in codes if (member := enum.parse(code)) is not None)


def mentor_card(card: MentorCard) -> None:
    """One bordered card: who they are, what they offer, and the way to reach out."""
    with st.container(border=True):
        name = md_escape(card.full_name)
        if card.pronouns:
            name += f" ({md_escape(card.pronouns)})"
        st.subheader(name, anchor=False)
        role = md_escape(card.headline)
        if card.company:
            role += f" at {md_escape(card.company)}"
        seniority = Seniority.parse(card.seniority)
        place = COUNTRIES.get(card.country, "")
        if card.city:
            place = f"{md_escape(card.city)}, {place}"
        lines = [
            f"**{role}**",
            f"{seniority.label if seniority else ''} · {_labels(Discipline, card.disciplines)}",
            f"Based in {place}",
            "Speaks " + ", ".join(LANGUAGES.get(code, code) for code in card.languages),
            "Offers: " + _labels(Offer, card.offers),
        ]
        st.markdown("  \n".join(lines))
        if card.availability_note:
            st.markdown(f"**Availability:** {md_escape(card.availability_note)}")
        if not card.open_to_new_mentees:
            st.markdown("**Not taking new mentees right now.**")
        if card.bio:
            st.text(card.bio)
        if card.is_sample:
            st.markdown("*Sample profile: this person is made up.*")
        if is_safe_linkedin_url(card.linkedin_url):
            st.link_button(
                "Reach out on LinkedIn", card.linkedin_url or "", icon=":material/open_in_new:"
            )
