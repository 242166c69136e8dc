"""The Code of Conduct as the pages show it: verbatim, with the call to report as a link."""

from __future__ import annotations

import streamlit as st

from services.listings.code_of_conduct import CodeOfConduct

# Relative, so it also works when the app is served under a path prefix (server.baseUrlPath).
REPORT_URL = "report"
LINK_WORDS = "report it here"


def code_of_conduct(code: CodeOfConduct) -> None:
    """The Code's opening line (its last words linking to the report form) and sections 1 to 3."""
    before, found, after = code.report_call.rpartition(LINK_WORDS)
    if found:
        st.markdown(f"{before}[{LINK_WORDS}]({REPORT_URL}){after}")
    else:
        st.markdown(code.report_call)
    st.markdown(code.body, anchors=False)
