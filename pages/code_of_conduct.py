"""The Code of Conduct, word for word, with its opening line leading to the report form."""

from __future__ import annotations

import streamlit as st

from services.listings.code_of_conduct import current_code
from ui.code import code_of_conduct

code = current_code()
st.title(code.title, anchor=False)
code_of_conduct(code)
st.markdown(f"Version `{code.sha256[:12]}`, the first 12 characters of its SHA-256.")
st.page_link("pages/how_we_enforce.py", label="How we enforce the Code", icon=":material/gavel:")
st.page_link("pages/reports_and_outcomes.py", label="Reports and outcomes", icon=":material/table_chart:")
