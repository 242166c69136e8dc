"""Moderator sign-in: the way into the moderation console (the form itself is the server's)."""

from __future__ import annotations

import streamlit as st

from ui.gate import login_form, signed_in

if signed_in() is not None:
    st.switch_page("pages/moderation_queue.py")
login_form()
