"""One way to clean what people type, before any rule looks at it and before any row stores it.

Everything typed into a form, a URL parameter or the directory's search box goes through
`clean_text` (or `clean_line` / `clean_paragraphs`, which build on it). What it removes, and why:

- C0 and C1 control characters (U+0000-U+001F, U+007F-U+009F). They are invisible, and
  PostgreSQL refuses NUL in text. The whitespace ones are not dropped: tab, line feed, vertical
  tab, form feed, carriage return, the separators U+001C-U+001F and NEL (U+0085), like the line
  and paragraph separators U+2028/U+2029, become one space in a one-line field; in a multi-line
  field tab stays, every line break becomes "\\n" (U+001F, not a line break, becomes a space).
- Bidirectional controls: the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069
  and the marks U+200E, U+200F, U+061C. They change the order in which text is shown (a headline
  that reads backwards on a public card), and no field here needs them: each value is shown on
  its own, and a script's own direction needs no mark.
- Every other format character (Unicode category Cf): zero-width space U+200B, word joiner
  U+2060, the byte-order mark U+FEFF, soft hyphen U+00AD, invisible operators, interlinear
  annotations and the like. They are invisible, so they hide differences (two names that look
  the same and are not) and split words for search.
- Tag characters (U+E0000-U+E007F), except inside an emoji tag sequence (the flags of England,
  Scotland and Wales: U+1F3F4, tags, U+E007F), where they are part of the emoji; elsewhere they
  only smuggle invisible text.
- Lone surrogates (U+D800-U+DFFF): no UTF-8 database can store them.

What stays:
- The zero-width joiner U+200D and non-joiner U+200C when both neighbours are visible non-ASCII
  characters: emoji ZWJ sequences (a woman technologist, the rainbow flag) and the scripts that
  need them (Persian, the Indic scripts). Next to ASCII, a space, another invisible character or
  the edge of the text they join nothing and are removed.
- The prepended concatenation marks of Arabic, Syriac and Kaithi (U+0600-U+0605, U+06DD, U+070F,
  U+0890-U+0891, U+08E2, U+110BD, U+110CD): format characters, but visible signs.
- Every letter, mark, digit, symbol and punctuation of every script, variation selectors,
  private-use and not yet assigned code points. Nothing is normalised or transliterated here:
  what is stored is what was typed, less the characters above.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

JOINERS = "\u200c\u200d"
VISIBLE_FORMAT = (
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"
)
EMOJI_TAG_SEQUENCE = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
ONE_LINE_SPACES = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\u2028\u2029]")
ASCII_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


@cache
def _invisible() -> re.Pattern[str]:
    """Controls, surrogates and format characters to drop (joiners, tags and visible marks apart)."""
    drop = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Cs")
        and chr(c) not in "\t\n" + JOINERS + VISIBLE_FORMAT
        and not 0xE0000 <= c <= 0xE007F
    ]
    ranges: list[str] = []
    start = previous = ord(drop[0])
    for c in (*map(ord, drop[1:]), -1):
        if c != previous + 1:
            last = "-" + re.escape(chr(previous)) if previous > start else ""
            ranges.append(re.escape(chr(start)) + last)
            start = c
        previous = c
    tags = "\U000e0000-\U000e007f"
    return re.compile(f"({EMOJI_TAG_SEQUENCE})|[{''.join(ranges)}]|[{tags}]")


def _keep_tag_sequence(match: re.Match[str]) -> str:
    return match.group(1) or ""


def _joins(char: str) -> bool:
    return not char.isascii() and not char.isspace() and char not in JOINERS


def _keep_joiner(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    between_visible = (
        start > 0 and end < len(text) and _joins(text[start - 1]) and _joins(text[end])
    )
    return match.group() if end - start == 1 and between_visible else ""


def collapse_whitespace(text: str) -> str:
    """Trim and turn every run of whitespace into one space."""
    return " ".join(text.split())


def clean_text(text: str, *, multiline: bool = False) -> str:
    """`text` without control, bidirectional and invisible characters (see the module's rules)."""
    if multiline:
        text = LINE_BREAKS.sub("\n", text).replace("\x1f", " ")
    else:
        text = ONE_LINE_SPACES.sub(" ", text)
    if text.isascii():
        return ASCII_CONTROLS.sub("", text)
    text = _invisible().sub(_keep_tag_sequence, text)
    return re.sub(f"[{JOINERS}]+", _keep_joiner, text)


def clean_line(text: str) -> str:
    """A one-line field: clean_text, trimmed, every run of whitespace made one space."""
    return collapse_whitespace(clean_text(text))


def clean_paragraphs(text: str) -> str:
    """A multi-line field: clean_text keeping tabs and line breaks (as "\\n"), trimmed."""
    return clean_text(text, multiline=True).strip()
