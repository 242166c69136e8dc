"""The Code of Conduct as the pages show it: verbatim, with the call to report as a link."""

from __future__ import annotations

import streamlit as st

from services.code_of_conduct import CodeOfConduct

REPORT_PAGE = "pages/report_a_violation.py"
LINK_WORDS = "report it here"


def code_of_conduct(code: CodeOfConduct) -> None:
    """The Code's opening line (its last words linking to the report form) and sections 1 to 3."""
    before, found, after = code.report_call.rpartition(LINK_WORDS)
    if found:
        st.markdown(f"{before}[{LINK_WORDS}](/report){after}")
    else:
        st.markdown(code.report_call)
    st.markdown(code.body)
