"""How the console shows a mentor's file: profile, contact details, signatures."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from services.reports.case_files import MentorView
from ui.columns import fitted, free_text, time_column
from ui.plain import md_escape
from ui.times import local, localise

OCCASIONS = {"sign_up": "Signing up", "resume": "Coming back (resumed)",
             "new_version": "A new version of the Code"}  # fmt: skip


def mentor_file(view: MentorView) -> None:
    """The mentor as moderators see them, contact details and signature record included."""
    st.markdown(f"**{md_escape(view.full_name)}**, {md_escape(view.headline)}"
                + (f" at {md_escape(view.company)}" if view.company else ""))  # fmt: skip
    st.markdown(
        f"Listing: **{view.status.label}** · signed up {local(view.created_at)}  \n"
        f"Email: {md_escape(view.email or 'erased')} · LinkedIn: {md_escape(view.linkedin_url or 'erased')}  \n"
        f"Mentees who heard nothing for two weeks (last 60 days): {view.no_reply_senders}"
    )
    st.markdown("**What they signed**")
    if not view.signatures:
        st.markdown("No signature on record.")
        return
    frame = pd.DataFrame(
        [
            {"Signed at": s.signed_at, "Name as typed": s.typed_name, "Agreement": s.agreement_text,
             "Code version (SHA-256)": s.code_sha256,
             "Occasion": OCCASIONS.get(s.occasion, s.occasion.replace("_", " ").capitalize()),
             "IP address": s.ip_address, "Browser": s.user_agent}
            for s in view.signatures
        ]
    )  # fmt: skip
    fixed = ("Agreement", "Code version (SHA-256)", "Occasion", "IP address")
    widths = {"Signed at": time_column("Signed at"), "Name as typed": free_text("Name as typed"),
              "Browser": free_text("Browser"), **fitted(frame, {name: name for name in fixed})}  # fmt: skip
    st.dataframe(localise(frame, "Signed at"), hide_index=True, column_config=widths)
    for sha, text in view.code_texts.items():
        with st.expander(f"The Code of Conduct as signed (version {sha[:12]})"):
            st.text(text)


def opened_choice(label: str, choices: Mapping[int, str], *, key: str) -> int | None:
    """A picker of ids that keeps what was opened open, even once it drops out of `choices`.

    After an action the list may reorder or no longer hold the opened item (it no longer
    matches the filters); the picker then still shows it, so the next click acts on the same
    one. Labels carry the id, so two people with the same name stay apart.
    """
    pin_key = f"{key}_pinned"
    pinned: tuple[int, str] | None = st.session_state.get(pin_key)
    options = {int(i): f"{name} · #{i}" for i, name in choices.items()}
    if pinned is not None and pinned[0] not in options:
        options = {pinned[0]: pinned[1], **options}
    if not options:
        return None
    ids = list(options)
    index = ids.index(pinned[0]) if pinned is not None else 0
    chosen = st.selectbox(label, ids, index=index, key=key, format_func=options.__getitem__)
    if chosen is not None:
        st.session_state[pin_key] = (chosen, options[chosen])
    return chosen


# Columns of labels, each as wide as the longest it holds (ui/columns.py).
HISTORY_HEADINGS = {"who": "Who", "what": "What", "from": "From", "to": "To",
                    "clause": "Part of the Code"}  # fmt: skip
OTHER_REPORTS_HEADINGS = {"reference": "Reference", "category": "Category", "status": "Status"}


def history_table(history: pd.DataFrame) -> None:
    """A listing's or a report's history, newest first, in the viewer's time zone."""
    shown = localise(history, "when")
    st.dataframe(shown, hide_index=True, column_config={
        "when": time_column("When"), "why": free_text("Why"), **fitted(shown, HISTORY_HEADINGS)})  # fmt: skip


def other_reports_table(reports: pd.DataFrame) -> None:
    """The other reports about a mentor (reference, received, category, status), named for people."""
    shown = localise(reports, "created_at")
    st.dataframe(shown, hide_index=True, column_config={
        "created_at": time_column("Received"), **fitted(shown, OTHER_REPORTS_HEADINGS)})  # fmt: skip
