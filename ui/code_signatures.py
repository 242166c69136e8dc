"""The roster's "Code of Conduct: who signed which version": each version with the listed mentors
who signed it, and, while a new version waits for signatures, the listed mentors who haven't
signed it yet and the day the clock pauses them (services/evidence/code_resigning.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.evidence import code_resigning
from services.listings import code_of_conduct
from ui.columns import free_text, time_column
from ui.db import reading
from ui.times import local, localise


def code_signatures() -> None:
    """The panel, folded: versions newest first, then who hasn't signed the current one."""
    with reading() as session:
        versions = code_resigning.versions_signed(session)
        rnd, total, names = code_resigning.not_yet_signed(session, code=code_of_conduct.current_code())
    with st.expander("Code of Conduct: who signed which version"):
        table = pd.DataFrame([{
            "version": v.sha256[:12] + (" (current)" if rnd and v.sha256 == rnd.sha256 else ""),
            "seen": v.first_seen_at, "in_force": v.in_force_at, "sign_by": v.sign_by,
            "signed": v.listed_signed} for v in versions],
            columns=["version", "seen", "in_force", "sign_by", "signed"])  # fmt: skip
        st.dataframe(localise(table, "seen", "in_force", "sign_by"), hide_index=True, column_config={
            "version": "Version (SHA-256)", "seen": time_column("First seen"),
            "in_force": time_column("In force from"), "sign_by": time_column("Sign by"),
            "signed": "Listed mentors who signed it"})  # fmt: skip
        if rnd is None or rnd.sign_by is None:
            st.markdown("Nobody is asked to sign the current version again: it is the one "
                        "everyone signed when they signed up.")  # fmt: skip
            return
        st.markdown(f"{total:,} listed mentors haven't signed the current version yet. The clock "
                    f"pauses each one once their time to sign has run out (the first on {local(rnd.sign_by)}).")  # fmt: skip
        if names:
            waiting = pd.DataFrame([{"name": n.full_name, "asked": n.asked_at} for n in names],
                                   columns=["name", "asked"])  # fmt: skip
            st.dataframe(localise(waiting, "asked"), hide_index=True, column_config={
                "name": free_text("Name"), "asked": time_column("Asked to sign")})  # fmt: skip
