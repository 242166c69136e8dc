"""The audit log page's "Tamper-evident log": the hash chain's head now, and the clock's last
check of it (services/evidence/verify.py)."""

from __future__ import annotations

import streamlit as st

from services.evidence.verify import chain_status
from ui.db import reading
from ui.plain import md_escape
from ui.times import local


def chain_panel() -> None:
    with reading() as session:
        status = chain_status(session)
    with st.container(border=True, key="audit_chain"):
        st.subheader("Tamper-evident log", anchor=False)
        st.markdown("Every row below carries the SHA-256 of its content and of the row before it, "
                    "so a row changed or deleted in the database shows. The clock checks the "
                    "whole chain daily; `python -m commands.verify_audit` checks it now.")  # fmt: skip
        if status.head is None:
            st.text("The log is empty.")
        else:
            st.text(f"Head: position {status.head.position:,} (row {status.head.row_id}), "
                    f"written {local(status.head.occurred_at)}")  # fmt: skip
            st.code(status.head.row_hash, language=None)
        if status.checked_at is None:
            st.text("Not checked yet: the clock checks it within a day of the app starting.")
        elif status.broken:
            st.error(md_escape(f"Last check, {local(status.checked_at)}: {status.finding}"),
                     icon=":material/gpp_bad:")  # fmt: skip
        else:
            st.text(f"Last check, {local(status.checked_at)}: {status.finding}")
