"""The server's own pages (sign-in, second factor, sign-out) as plain HTML forms.

Every value put into a page goes through html.escape: nothing a person typed becomes markup.
Errors sit under their field (aria-describedby, aria-invalid) and are summed up at the top, where
the focus goes after a failed attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from string import Template

_PAGE = Template((Path(__file__).parent / "templates" / "page.html").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | password
    value: str = ""
    autocomplete: str = "off"
    hint: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def page(title: str, body: str) -> str:
    return _PAGE.substitute(title=escape(title), body=body)


def paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def heading(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def notice(text: str) -> str:
    return f'<div class="notice" role="status">{escape(text)}</div>'


def link(text: str, href: str) -> str:
    return f'<p><a href="{escape(href)}">{escape(text)}</a></p>'


def image(data_uri: str, alt: str) -> str:
    """An image made here (a data: URI), with its text alternative."""
    return f'<p><img src="{escape(data_uri)}" alt="{escape(alt)}" width="200" height="200"></p>'


def code_text(text: str) -> str:
    return f'<p><code class="secret">{escape(text)}</code></p>'


def code_list(items: list[str]) -> str:
    rows = "".join(f"<li><code>{escape(item)}</code></li>" for item in items)
    return f'<ul class="codes">{rows}</ul>'


def error_summary(errors: dict[str, str]) -> str:
    """What to fix, at the top of the form; it takes the focus when the page loads."""
    if not errors:
        return ""
    items = "".join(
        f'<li><a href="#{escape(name)}">{escape(message)}</a></li>'
        for name, message in errors.items()
    )
    return (
        '<div class="summary" id="error-summary" role="alert" tabindex="-1" autofocus>'
        f"<h2>There is a problem</h2><ul>{items}</ul></div>"
    )


def _field(spec: Field, error: str | None) -> str:
    described = []
    hint = ""
    if spec.hint:
        hint = f'<span class="hint" id="{spec.name}-hint">{escape(spec.hint)}</span>'
        described.append(f"{spec.name}-hint")
    message = ""
    if error:
        message = f'<span class="error" id="{spec.name}-error">{escape(error)}</span>'
        described.append(f"{spec.name}-error")
    attributes = {
        "id": spec.name, "name": spec.name, "type": spec.kind, "autocomplete": spec.autocomplete,
        "spellcheck": "false", "autocapitalize": "none", "required": "", **spec.extra,
    }  # fmt: skip
    if spec.kind != "password":
        attributes["value"] = spec.value
    if described:
        attributes["aria-describedby"] = " ".join(described)
    if error:
        attributes["aria-invalid"] = "true"
    rendered = " ".join(
        escape(name) if value == "" and name == "required" else f'{escape(name)}="{escape(value)}"'
        for name, value in attributes.items()
    )
    return (
        f'<div class="field"><label for="{escape(spec.name)}">{escape(spec.label)}</label>'
        f"{hint}<input {rendered}>{message}</div>"
    )


def form(action: str, *, csrf: str, fields: list[Field], button: str,
         errors: dict[str, str] | None = None, hidden: dict[str, str] | None = None,
         css_class: str = "", button_class: str = "") -> str:  # fmt: skip
    """A POST form with its CSRF token, fields (each with its error), and one button."""
    errors = errors or {}
    inputs = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in {"csrf": csrf, **(hidden or {})}.items()
    )
    rendered_fields = "".join(_field(spec, errors.get(spec.name)) for spec in fields)
    klass = f' class="{escape(css_class)}"' if css_class else ""
    button_klass = f' class="{escape(button_class)}"' if button_class else ""
    return (
        f'<form method="post" action="{escape(action)}" novalidate{klass}>{inputs}'
        f'{rendered_fields}<button type="submit"{button_klass}>{escape(button)}</button></form>'
    )
