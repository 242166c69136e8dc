"""Text people typed, shown as text: never interpreted as Markdown, HTML, colours, icons or maths."""

from __future__ import annotations

import re

# CommonMark lets a backslash escape any ASCII punctuation; Streamlit's own syntax (:red[...],
# :material/...:, $...$) is built from the same characters, so escaping them all disarms it too.
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
# GitHub-flavoured Markdown turns bare addresses into links even when escaped; an invisible word
# joiner after "https", "www" or "@" keeps them text.
_AUTOLINK_TRIGGER = re.compile(r"(?i)(www|https?|ftp|mailto|@)")
WORD_JOINER = "\u2060"


def md_escape(text: str) -> str:
    """`text` as Markdown that displays exactly those characters, on one line."""
    escaped = _PUNCTUATION.sub(r"\\\1", " ".join(text.split()))
    return _AUTOLINK_TRIGGER.sub(lambda m: m.group(1) + WORD_JOINER, escaped)
