"""How a mentor appears in the directory (and to themself, after signing).

A card is one bordered container holding one Markdown element: two elements per mentor, so a
page of twenty costs the server little (every element is built, hashed and sent on each rerun).
Everything the mentor typed goes through md_escape: it is shown literally, never as Markdown.
The card's link names whose profile it opens and says it opens a new tab.
"""

from __future__ import annotations

import streamlit as st

from services.core.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority
from services.directory.mentor_search import MentorCard
from services.listings.profile import is_safe_linkedin_url
from ui import a11y
from ui.plain import md_escape


def _labels(enum: type[Discipline] | type[Offer], codes: tuple[str, ...]) -> str:
    return ", ".join(member.label for code in codes if (member := enum.parse(code)) is not None)


def card_markdown(card: MentorCard) -> str:
    """The card's text as Markdown in which every typed value is escaped."""
    name = md_escape(card.full_name)
    heading = f"### {name}" + (f" ({md_escape(card.pronouns)})" if card.pronouns else "")
    role = md_escape(card.headline) + (f" at {md_escape(card.company)}" if card.company else "")
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
    if card.availability_note:
        lines.append(f"**Availability:** {md_escape(card.availability_note)}")
    if not card.open_to_new_mentees:
        lines.append("**Not taking new mentees right now.**")
    if card.available_confirmed_at and not card.is_sample:
        lines.append(f"Confirmed available in {card.available_confirmed_at:%B %Y}")
    blocks = [heading, "  \n".join(lines)]
    if card.bio:
        blocks.append("  \n".join(md_escape(line) for line in card.bio.splitlines() if line.strip()))
    if card.is_sample:
        blocks.append("Sample profile: this person is made up.")
    if card.linkedin_url and is_safe_linkedin_url(card.linkedin_url):
        blocks.append(f"[Reach out to {name} on LinkedIn (opens in a new tab)]({card.linkedin_url})")
    if not card.is_sample:  # the id is ours, an integer: the link carries nothing typed
        blocks.append("[Reached out and heard nothing for two weeks? (opens in a new tab)]"
                      f"(/no-reply?mentor={int(card.id)})")  # Streamlit opens links in a new tab
    return "\n\n".join(blocks)


def _card(mentor_id: int, markdown: str) -> str:
    key = f"mentor_card_{mentor_id}"
    with st.container(border=True, key=key):
        st.markdown(markdown, anchors=False)
    return key


def mentor_card(card: MentorCard) -> None:
    """One bordered card."""
    _card(card.id, card_markdown(card))


def card_list(cards: list[tuple[int, str]], *, key: str) -> None:
    """Cards (id, Markdown) as one list: a screen reader hears how many, each named by its mentor."""
    with st.container(key=key):
        keys = [_card(mentor_id, markdown) for mentor_id, markdown in cards]
    a11y.card_list(key, keys)
