"""We Are Next Mentors: the frame around every page. Page config, navigation and nothing else.

Moderation pages are registered only for a signed-in moderator; each of them also checks access
itself (see ui/gate.py), because a page file can run without this frame on a fresh server.
"""

from __future__ import annotations

import streamlit as st

from ui.gate import sign_out, signed_in

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
    st.Page("pages/report_a_violation.py", title="Report a violation", icon=":material/report:",
            url_path="report"),
]  # fmt: skip

# One flat list: grouped sections render as a list without list items (axe: serious).
moderator = signed_in()
if moderator is None:
    pages = [
        *PUBLIC,
        st.Page(
            "pages/moderator_sign_in.py",
            title="Moderator sign-in",
            icon=":material/login:",
            url_path="moderator-sign-in",
        ),
    ]
else:
    pages = [
        *PUBLIC,
        st.Page(
            "pages/moderation_queue.py",
            title="Moderation: report queue",
            icon=":material/inbox:",
            url_path="moderation-queue",
        ),
        st.Page(
            "pages/moderation_mentors.py",
            title="Moderation: mentors",
            icon=":material/groups:",
            url_path="moderation-mentors",
        ),
        st.Page(
            "pages/moderation_audit.py",
            title="Moderation: audit log",
            icon=":material/history:",
            url_path="moderation-audit",
        ),
        st.Page(
            "pages/moderator_sign_in.py",
            title="Moderator sign-in",
            url_path="moderator-sign-in",
            visibility="hidden",
        ),
    ]
    with st.sidebar:
        st.markdown(f"Signed in as **{moderator.username}**")
        st.button("Sign out", on_click=sign_out, icon=":material/logout:")

# Keyboard focus on checkboxes and radios is otherwise a faint tint (1.2:1): give it an outline.
st.html(
    "<style>[data-testid='stCheckbox'] label:has(input:focus-visible),"
    " [data-testid='stRadio'] label:has(input:focus-visible)"
    " { outline: 2px solid #a3303c; outline-offset: 2px; border-radius: 4px; }</style>"
)
st.navigation(pages).run()
