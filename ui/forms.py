"""Form helpers: errors right under their field, a summary at the top, values kept on error."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st


def field_error(errors: Mapping[str, str], field: str) -> None:
    """The message for `field`, if any, directly under the widget it belongs to."""
    if field in errors:
        st.error(errors[field], icon=":material/error:")


def submit_feedback(errors: Mapping[str, str]) -> None:
    """Under a submit button: that nothing was sent, and where to look."""
    if errors:
        st.error(
            "Not sent yet. Each problem is marked above, next to its field.",
            icon=":material/arrow_upward:",
        )


def error_summary(errors: Mapping[str, str], labels: Mapping[str, str]) -> None:
    """At the top of a form: how many things to fix, and which."""
    if not errors:
        return
    in_form_order = sorted(
        errors, key=lambda field: list(labels).index(field) if field in labels else len(labels)
    )
    named = [labels.get(field, field) for field in in_form_order]
    things = "one thing" if len(named) == 1 else f"{len(named)} things"
    st.error(
        f"Please fix {things} below: {', '.join(named)}. Everything you typed is still here.",
        icon=":material/error:",
    )
