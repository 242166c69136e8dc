"""We Are Next Mentors: the frame around every page. Page config, navigation and nothing else.

The pages are declared in ui/navigation.py. Moderation pages are visible in the menu only to a
signed-in moderator, and each of them also checks access itself (see ui/gate.py), because a
page file can run without this frame on a fresh server. Background work of the process (the mail
relay, the clock) waits while a rerun runs (services/core/step_aside.py).
"""

from __future__ import annotations

import streamlit as st

from server.site_routes import FAVICON
from services.core.step_aside import foreground
from ui import a11y
from ui.db import DATABASE_FAULTS, unavailable_notice
from ui.gate import sign_out_button, signed_in
from ui.navigation import is_console, pages
from ui.plain import md_escape

with foreground():
    try:
        moderator = signed_in()
    except DATABASE_FAULTS:  # the page says so below; a moderator's session survives the outage
        moderator = None
    # The tab icon is a file of ours, set before the navigation: the browser would otherwise show
    # the page's `:material/...:` icon as the tab icon, fetched from Google's font CDN.
    st.set_page_config(page_icon=str(FAVICON))
    # Every entry shown: folded after ten, the console's pages hid behind "View more".
    page = st.navigation(pages(signed_in=moderator is not None), expanded=True)
    # Decided before anything is drawn, so the console's tables get their room on the first render.
    st.set_page_config(layout="wide" if is_console(page) else "centered")
    if moderator is not None:
        with st.sidebar:
            st.markdown(f"Signed in as **{md_escape(moderator.username)}**")
            sign_out_button()

    a11y.begin()
    try:
        page.run()
    except DATABASE_FAULTS:
        unavailable_notice()
    finally:  # focus, field descriptions and focus rings (ui/a11y.py); pages stop with a11y.stop()
        a11y.mount()
