"""Manage my listing's "Your signatures": a receipt for each time the mentor signed the Code, as
a PDF to download (services/evidence/receipts.py). The name is shown as plain text."""

from __future__ import annotations

import streamlit as st

from services.evidence import receipts
from services.evidence.receipt_pdf import as_pdf
from ui.db import read_or, reading, settings

SEEN = "receipts_last_seen"
SHOWN = 5  # the newest ones; a mentor who signed more often can ask us for the rest


def receipts_section(mentor_id: int) -> None:
    found = read_or(st.session_state.get(SEEN, []), _read, mentor_id)
    if not found:
        return
    st.subheader("Your signatures", anchor=False)
    st.markdown("Each time you sign the Code of Conduct we keep a receipt: what you signed, the "
                "name you typed, when, and where our tamper-evident log recorded it. Anyone you "
                "show it to can check its verification code on the page Check a receipt.")  # fmt: skip
    site_url = settings().site_url
    for receipt in found[:SHOWN]:
        when = f"{receipt.signed_at:%Y-%m-%d %H:%M} UTC"
        st.download_button(
            f"Receipt of {when} (Code version {receipt.code_version}), PDF",
            lambda receipt=receipt: as_pdf(receipt, site_url=site_url),
            file_name=f"receipt-{receipt.verification_code}.pdf", mime="application/pdf",
            key=f"receipt_{receipt.verification_code}_{receipt.signed_at.timestamp()}",
            on_click="ignore", icon=":material/download:",
        )  # fmt: skip


def _read(mentor_id: int) -> list[receipts.Receipt]:
    with reading() as session:
        found = receipts.receipts_of(session, mentor_id=mentor_id)
    st.session_state[SEEN] = found
    return found
