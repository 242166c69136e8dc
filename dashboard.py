"""We Are Next Mentors: the frame around every page. Page config, navigation and nothing else."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_icon=":material/diversity_3:", layout="centered")

PUBLIC = [
    st.Page("pages/find_a_mentor.py", title="Find a mentor", icon=":material/search:",
            url_path="find-a-mentor", default=True),
    st.Page("pages/become_a_mentor.py", title="Become a mentor", icon=":material/volunteer_activism:",
            url_path="become-a-mentor"),
    st.Page("pages/manage_listing.py", title="Manage my listing", icon=":material/manage_accounts:",
            url_path="manage-my-listing"),
    st.Page("pages/code_of_conduct.py", title="Code of Conduct", icon=":material/handshake:",
            url_path="code-of-conduct"),
]  # fmt: skip

navigation = st.navigation({"We Are Next Mentors": PUBLIC})
navigation.run()
