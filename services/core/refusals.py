"""Refusals: a use case saying no, with words a person can act on.

Every refusal a page may show derives from `Refusal`, so one helper at the edge (ui/actions.py)
turns any of them into what the page shows: a message, and where the refusal concerns fields, a
message per field. Anything else that escapes a use case is a bug or a fault, never a refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any


class Refusal(Exception):
    """Base of every refusal: `message` for the person, `errors` per form field when it has them.

    `attempt` describes the refused attempt for the audit log. The transaction that raised the
    refusal is rolled back, so the edge writes it afterwards in a transaction of its own.
    """

    message: str = "This can't be done."

    def __init__(
        self,
        message: str | None = None,
        *,
        errors: Mapping[str, str] | None = None,
        attempt: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = message or type(self).message
        self.errors: dict[str, str] = dict(errors or {})
        self.attempt: dict[str, Any] | None = dict(attempt) if attempt else None
        super().__init__(self.message)


class InvalidSubmission(Refusal):
    """Some fields need fixing; `errors` maps each field to what to do about it."""

    message = "Some answers need fixing. Each problem is marked next to its field."

    def __init__(self, errors: Mapping[str, str], message: str | None = None) -> None:
        super().__init__(message, errors=errors)


class NotAllowedNow(Refusal):
    """The state of what this acts on doesn't allow it (e.g. resuming a listing that was banned)."""


class ChangedMeanwhile(Refusal):
    """Someone else changed this since it was shown: nothing was done; look again and decide."""

    message = (
        "Someone else changed this just now, so nothing was done. Here is its latest state: "
        "please check it and decide again."
    )


class CredentialRejected(Refusal):
    """The private code opens no listing (the same answer whether or not one ever existed)."""

    message = "That code didn't open a listing. Check it and try again."


class Throttled(Refusal):
    """Too many attempts: try again after `retry_after`."""

    def __init__(self, retry_after: timedelta, message: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message or f"Too many attempts. Please wait {self.wait_text} and try again.")

    @property
    def wait_text(self) -> str:
        seconds = max(1, int(self.retry_after.total_seconds() + 0.999))
        if seconds < 90:
            return f"{seconds} seconds"
        return f"{-(-seconds // 60)} minutes"
