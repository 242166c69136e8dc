"""Mail over TLS: STARTTLS when the server offers it, TLS from the first byte with smtps://, and
no mail to a server whose certificate isn't trusted. The server's certificate is made for the
test with the openssl command (skipped without it)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session, sessionmaker

from services.mail.sending import send_due
from services.mail.transport import SmtpTransport, parse_smtp_url
from tests.mail.conftest import Clock, Inbox, config, free_port, mail_row, queue_link


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not shutil.which("openssl"):
        pytest.skip("the openssl command is needed to make the test server's certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",  # noqa: S607
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def tls_server(
    certificate: tuple[Path, Path], context_option: str, **options: Any
) -> Iterator[tuple[Inbox, int]]:
    """An aiosmtpd server with the certificate, given as `context_option` (ssl_context: TLS
    from the first byte; tls_context: offered through STARTTLS)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    inbox, port = Inbox(), free_port()
    options[context_option] = context
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    """A server that offers STARTTLS and refuses mail without it."""
    yield from tls_server(certificate, "tls_context", require_starttls=True)


@pytest.fixture
def implicit_tls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    yield from tls_server(certificate, "ssl_context")


def test_starttls_is_used_when_the_server_offers_it(
    writer: sessionmaker[Session], clock: Clock, certificate: tuple[Path, Path],
    starttls_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust the test's certificate
    inbox, port = starttls_server
    mail_id = queue_link(writer, "ada@example.org", "t")

    tally = send_due(writer, SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}")), config(clock))

    assert tally.sent == 1, mail_row(writer, mail_id).last_error
    assert len(inbox.messages) == 1


def test_smtps_sends_over_tls_from_the_first_byte(
    writer: sessionmaker[Session], clock: Clock, certificate: tuple[Path, Path],
    implicit_tls_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    inbox, port = implicit_tls_server
    mail_id = queue_link(writer, "ada@example.org", "t")

    tally = send_due(writer, SmtpTransport(parse_smtp_url(f"smtps://127.0.0.1:{port}")), config(clock))

    assert tally.sent == 1, mail_row(writer, mail_id).last_error
    assert len(inbox.messages) == 1


def test_no_mail_goes_to_a_server_whose_certificate_is_not_trusted(
    writer: sessionmaker[Session], clock: Clock, implicit_tls_server: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-file.pem"))
    inbox, port = implicit_tls_server
    mail_id = queue_link(writer, "ada@example.org", "t")

    tally = send_due(writer, SmtpTransport(parse_smtp_url(f"smtps://127.0.0.1:{port}")), config(clock))

    assert (tally.sent, tally.retrying) == (0, 1)
    assert inbox.messages == []
    row = mail_row(writer, mail_id)
    assert row.state == "queued"
    assert "tls" in (row.last_error or "") and "CERTIFICATE_VERIFY_FAILED" in (row.last_error or "")
