"""How the console shows a mentor's file: profile, contact details, signatures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.case_files import MentorView
from ui.plain import md_escape
from ui.times import local, localise


def mentor_file(view: MentorView) -> None:
    """The mentor as moderators see them, contact details and signature record included."""
    st.markdown(f"**{md_escape(view.full_name)}**, {md_escape(view.headline)}"
                + (f" at {md_escape(view.company)}" if view.company else ""))  # fmt: skip
    st.markdown(
        f"Listing: **{view.status}** · signed up {local(view.created_at)}  \n"
        f"Email: {md_escape(view.email or 'erased')} · LinkedIn: {md_escape(view.linkedin_url or 'erased')}"
    )
    st.markdown("**What they signed**")
    if not view.signatures:
        st.markdown("No signature on record.")
        return
    frame = pd.DataFrame(
        [
            {"signed at": s.signed_at, "name as typed": s.typed_name, "agreement": s.agreement_text,
             "Code version (SHA-256)": s.code_sha256, "occasion": s.occasion, "IP address": s.ip_address,
             "browser": s.user_agent}
            for s in view.signatures
        ]
    )  # fmt: skip
    st.dataframe(localise(frame, "signed at"), hide_index=True)
    for sha, text in view.code_texts.items():
        with st.expander(f"The Code of Conduct as signed (version {sha[:12]})"):
            st.text(text)
