"""Mails written with the shared headers parsed once are the mails the standard library writes."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from services.mail import templates
from services.mail.headers import KEEP_AT_MOST, MAIL_POLICY, ReusedHeaders
from services.mail.templates import NEEDS, Frame, Kind

FRAME = Frame(site_url="https://mentors.example.org",
              sender="Équipe We Are Next Mentors <mentors@example.org>",
              contact_email="team@example.org")  # fmt: skip
WHEN = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
VALUE = {"name": "Zoë Ω O'Brien", "token": "tok/en+1", "receipt": "", "note": "slower replies",
         "reference": "R-7", "outcome": "upheld", "message": "Thank you.", "clause": "Respect",
         "words": "Be kind.", "until": "2027-01-01", "decision": "upheld", "sign_by": "2027-01-31",
         "row": "12", "problem": "changed"}  # fmt: skip


def _mail(kind: Kind, recipient: str, message_id: str) -> EmailMessage:
    return templates.message(kind=kind, values={k: VALUE[k] for k in NEEDS[kind]},
                             recipient=recipient, message_id=message_id, frame=FRAME, when=WHEN)  # fmt: skip


def _as_the_standard_library_writes_it(kind: Kind, recipient: str, message_id: str) -> bytes:
    subject, body = templates.render(kind, {k: VALUE[k] for k in NEEDS[kind]}, FRAME)
    plain = EmailMessage(policy=policy.default)
    plain["From"], plain["To"], plain["Subject"] = FRAME.sender, recipient, subject
    plain["Message-ID"], plain["Date"] = message_id, format_datetime(WHEN)
    plain["Auto-Submitted"] = "auto-generated"
    plain.set_content(body)
    return plain.as_bytes(policy=policy.SMTP)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_of_mail_goes_out_byte_for_byte_as_without_the_shared_headers(
    kind: Kind,
) -> None:
    _mail(kind, "ada@example.org", "<1@mentors.example.org>")  # the shared headers parsed once
    mail = _mail(kind, "ada@example.org", "<2@mentors.example.org>")  # and reused

    expected = _as_the_standard_library_writes_it(
        kind, "ada@example.org", "<2@mentors.example.org>"
    )
    assert mail.as_bytes(policy=policy.SMTP) == expected


def test_each_mail_keeps_its_own_recipient_message_id_and_date() -> None:
    first = _mail(Kind.STILL_AVAILABLE, "ada@example.org", "<1@mentors.example.org>")
    second = _mail(Kind.STILL_AVAILABLE, "bo@exämple.org", "<2@mentors.example.org>")

    read = message_from_bytes(second.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert (read["To"], read["Message-ID"]) == ("bo@exämple.org", "<2@mentors.example.org>")
    assert str(first["To"]) == "ada@example.org"
    assert read["From"].addresses[0].display_name == "Équipe We Are Next Mentors"
    assert read["Date"].datetime == WHEN


def test_only_shared_headers_are_kept_and_never_more_than_the_limit() -> None:
    registry = ReusedHeaders()
    assert registry("To", "ada@example.org") is not registry("To", "ada@example.org")
    assert registry("Subject", "Hello") is registry("Subject", "Hello")
    for n in range(KEEP_AT_MOST + 10):
        registry("Subject", f"Hello {n}")
    assert len(registry._parsed) == KEEP_AT_MOST
    assert MAIL_POLICY.header_factory is not policy.default.header_factory
