"""Form helpers: a visible hint and the error right under each field, tied to it for screen
readers; one error summary at the top that takes the focus after a failed submit and links to
each field; values kept on error (the widgets keep their state: nothing here clears them).

Every message is shown literally (ui/plain.py), so an example address in it is never a link and
a name in it is never Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from ui import a11y
from ui.plain import md_escape


def hint(widget_key: str, text: str) -> None:
    """What a person needs to fill this field, as visible text tied to the field."""
    with st.container(key=f"wan_hint_{widget_key}"):
        st.caption(md_escape(text))
    a11y.describe(widget_key, hint_keys=(f"wan_hint_{widget_key}",))


def field_error(errors: Mapping[str, str], field: str, *, widget_key: str) -> None:
    """The message for `field`, if any, right under its widget, which is marked invalid."""
    if field not in errors:
        a11y.describe(widget_key)
        return
    error_key = f"wan_err_{widget_key}"
    with st.container(key=error_key):
        st.markdown(f":material/error: **Error:** {md_escape(errors[field])}")
    a11y.describe(widget_key, error_key=error_key)


def error_summary(
    errors: Mapping[str, str],
    labels: Mapping[str, str],
    *,
    widget_keys: Mapping[str, str],
    form: str,
    token: str | None,
) -> None:
    """At the top of a form: how many things to fix and which, each a link to its field.

    It takes the keyboard focus once per failed submit (`token`), so the person starts there.
    """
    errors = {field: message for field, message in errors.items() if field in labels}
    if not errors:  # (another form's problems are that form's summary's)
        return
    in_form_order = sorted(
        errors, key=lambda field: list(labels).index(field) if field in labels else len(labels)
    )
    things = "one thing" if len(errors) == 1 else f"{len(errors)} things"
    items = [
        f"- [{md_escape(labels.get(field, field))}](#wan-field-{widget_keys[field]}): "
        f"{md_escape(errors[field])}"
        if field in widget_keys
        else f"- {md_escape(errors[field])}"
        for field in in_form_order
    ]
    key = f"wan_summary_{form}"
    with st.container(key=key):
        st.error(
            f"**Please fix {things}.** Everything you typed is still here.\n\n" + "\n".join(items),
            icon=":material/error:",
        )
    a11y.focus(key, token=token)
