"""Where mail goes: the SMTP URL an operator writes, and the folder of .eml files."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from services.core.settings import load_settings
from services.mail.sending import mail_refusal, send_due
from services.mail.transport import FolderTransport, SmtpUrlError, parse_smtp_url
from tests.mail.conftest import Clock, config, mail_row, queue_link


def test_smtp_url_with_starttls_and_url_encoded_credentials() -> None:
    target = parse_smtp_url("smtp://mentors%40example.org:p%40ss%3Aw%2Frd@smtp.example.org")
    assert (target.host, target.port, target.tls) == ("smtp.example.org", 587, "starttls")
    assert (target.username, target.password) == ("mentors@example.org", "p@ss:w/rd")
    assert "p@ss" not in repr(target)


def test_smtps_url_uses_tls_from_the_first_byte_on_port_465() -> None:
    target = parse_smtp_url("smtps://user:secret@smtp.example.org?timeout=12")
    assert (target.port, target.tls, target.timeout) == (465, "implicit", 12.0)


def test_plain_smtp_goes_only_to_this_machine() -> None:
    for host in ("localhost", "127.0.0.1", "[::1]"):
        assert parse_smtp_url(f"smtp+plain://{host}:2525").tls == "none"
    with pytest.raises(SmtpUrlError, match="only go to this machine"):
        parse_smtp_url("smtp+plain://smtp.example.org:25")


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://smtp.example.org", "must start with smtp://"),
        ("smtp://", "names no host"),
        ("smtp://smtp.example.org:99999", "port"),
        ("smtp://smtp.example.org?timeout=soon", "timeout"),
    ],
)
def test_an_unusable_smtp_url_is_refused_with_what_is_wrong(url: str, complaint: str) -> None:
    with pytest.raises(SmtpUrlError, match=complaint):
        parse_smtp_url(url)


def test_the_app_refuses_to_start_with_an_unusable_smtp_url_or_nowhere_to_send() -> None:
    deployment = {"DATABASE_URL": "postgresql://app@db/wan"}
    nowhere = mail_refusal(load_settings({}, environ=deployment))
    assert nowhere and "SMTP_URL" in nowhere and "MAIL_DIR" in nowhere
    plain = load_settings({}, environ={**deployment, "SMTP_URL": "smtp+plain://mail.example.org"})
    assert "only go to this machine" in (mail_refusal(plain) or "")
    good = load_settings({}, environ={**deployment, "SMTP_URL": "smtps://u:p@mail.example.org"})
    assert mail_refusal(good) is None
    assert mail_refusal(load_settings({}, environ={})) is None  # the local setup: data/mail/


def test_the_folder_gets_one_eml_file_per_mail_named_so_the_newest_sorts_last(
    writer: sessionmaker[Session], clock: Clock, tmp_path: Path
) -> None:
    first = queue_link(writer, "ada@example.org", "one")
    queue_link(writer, "bo@example.org", "two")
    third = queue_link(writer, "ada@example.org", "three")

    tally = send_due(writer, FolderTransport(tmp_path / "mail"), config(clock))

    names = sorted(path.name for path in (tmp_path / "mail").iterdir())
    assert tally.sent == 3
    assert len(names) == 3
    assert all(name.endswith(".eml") for name in names)
    adas = sorted((tmp_path / "mail").glob("*-ada@example.org.eml"))
    assert len(adas) == 2
    newest = email.message_from_bytes(adas[-1].read_bytes(), policy=email.policy.default)
    assert newest["Message-ID"] == mail_row(writer, third).message_id
    assert "token=three" in newest.get_content()
    assert str(first) in names[0]
    assert mail_row(writer, first).state == "sent"


def test_a_folder_that_cannot_be_written_leaves_the_mail_to_be_retried(
    writer: sessionmaker[Session], clock: Clock, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    mail_id = queue_link(writer, "ada@example.org", "t")

    with pytest.raises(OSError):
        send_due(writer, FolderTransport(blocker), config(clock))
    assert mail_row(writer, mail_id).state == "queued"
