"""How a mail leaves: over SMTP (the standard library's smtplib), or as a .eml file in a folder.

`smtp_url` says where: `smtp://user:pass@host:587` (STARTTLS, required unless the host is this
machine), `smtps://user:pass@host:465` (TLS from the first byte), `smtp+plain://localhost:25`
(no TLS, only to a loopback host). User and password are URL-decoded; `?timeout=20` sets the
seconds to wait for the server (30 by default). A wrong URL is refused when the app starts.

A transport opens once per batch (one SMTP connection for many mails) and turns what the server
says into a `TemporaryFailure` (4xx, refused or dropped connection, a timeout: try again later)
or a `PermanentFailure` (5xx: this mail will never go). Neither carries the password.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_TIMEOUT_S = 30.0
PORTS = {"smtp": 587, "smtps": 465, "smtp+plain": 25}
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
ERROR_LENGTH = 300


class SmtpUrlError(ValueError):
    """The configured SMTP URL can't be used (said at start, before any mail is queued)."""


class DeliveryFailure(Exception):
    """A mail didn't go; `error` says why in words an operator can act on, without secrets."""

    permanent = False

    def __init__(self, error: str, kind: str) -> None:
        super().__init__(error)
        self.error = error[:ERROR_LENGTH]
        self.kind = kind  # for the logs: a word, never an address


class TemporaryFailure(DeliveryFailure):
    """Try again later: the server said 4xx, or the connection failed, dropped or timed out."""


class PermanentFailure(DeliveryFailure):
    """The server refused this mail for good (5xx)."""

    permanent = True


@dataclass(frozen=True)
class SmtpTarget:
    """A parsed `smtp_url`."""

    host: str
    port: int
    tls: str  # "implicit" (smtps), "starttls", or "none" (loopback only)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT_S


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_smtp_url(url: str) -> SmtpTarget:
    """The target an `smtp_url` names; SmtpUrlError when it is malformed or unsafe."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in PORTS:
        raise SmtpUrlError(
            f"SMTP_URL must start with smtp:// (STARTTLS), smtps:// (TLS) or smtp+plain:// "
            f"(no TLS, this machine only), not {scheme + '://' if scheme else 'nothing'}"
        )
    host = parts.hostname or ""
    if not host:
        raise SmtpUrlError("SMTP_URL names no host (e.g. smtp://user:password@smtp.example.org:587)")
    try:
        port = parts.port or PORTS[scheme]
    except ValueError as error:
        raise SmtpUrlError("SMTP_URL has a port that isn't a number from 1 to 65535") from error
    loopback = is_loopback(host)
    if scheme == "smtp+plain" and not loopback:
        raise SmtpUrlError(
            f"SMTP_URL: mail without TLS (smtp+plain://) may only go to this machine "
            f"(localhost, 127.0.0.1, ::1), not {host}; use smtp:// (STARTTLS) or smtps://"
        )
    query = parse_qs(parts.query)
    try:
        timeout = float(query.get("timeout", [DEFAULT_TIMEOUT_S])[0])
    except ValueError as error:
        raise SmtpUrlError("SMTP_URL: timeout must be a number of seconds") from error
    tls = {"smtps": "implicit", "smtp": "starttls", "smtp+plain": "none"}[scheme]
    return SmtpTarget(
        host=host, port=port, tls=tls, timeout=timeout,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )  # fmt: skip


class Transport(Protocol):
    """Open for a batch (`with transport:`), then `send` each mail."""

    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, mail: EmailMessage, *, recipient: str, mail_id: int, now: datetime) -> None: ...


class SmtpTransport:
    """One connection per batch, opened at the first mail and again after one drops."""

    def __init__(self, target: SmtpTarget) -> None:
        self.target = target
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._close(quit_politely=True)

    def send(self, mail: EmailMessage, *, recipient: str, mail_id: int, now: datetime) -> None:  # noqa: ARG002
        """Send one mail; raise TemporaryFailure or PermanentFailure if it didn't go."""
        try:
            smtp = self._smtp or self._open()
            smtp.send_message(mail, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as error:
            self._forget_if_closed()
            code, text = next(iter(error.recipients.values()), (450, b"refused"))
            raise _answer(code, text, "recipient refused") from None
        except smtplib.SMTPResponseException as error:
            self._forget_if_closed()  # smtplib closes the connection itself after a 421
            if isinstance(error, smtplib.SMTPAuthenticationError) or error.smtp_code < 400:
                self._close(quit_politely=False)  # a refused login: the operator must fix it
                kind = "login refused" if error.smtp_code >= 400 else "unexpected answer"
                raise TemporaryFailure(_said(error.smtp_code, error.smtp_error, self._secret()),
                                       kind=kind) from None  # fmt: skip
            raise _answer(error.smtp_code, error.smtp_error, "refused", self._secret()) from None
        except smtplib.SMTPNotSupportedError:
            self._close(quit_politely=False)
            raise TemporaryFailure("the mail server doesn't offer STARTTLS, which this "
                                   "address requires", kind="no starttls") from None  # fmt: skip
        except (smtplib.SMTPException, OSError) as error:  # dropped, refused, timed out, TLS
            self._close(quit_politely=False)
            raise TemporaryFailure(_connection_error(error, self._secret()),
                                   kind=_connection_kind(error)) from None  # fmt: skip

    def _open(self) -> smtplib.SMTP:
        target = self.target
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if target.tls == "implicit":
            smtp = smtplib.SMTP_SSL(target.host, target.port, timeout=target.timeout, context=context)
        else:
            smtp = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
        try:
            smtp.ehlo()
            if target.tls == "starttls" and (smtp.has_extn("starttls") or not is_loopback(target.host)):
                smtp.starttls(context=context)  # raises SMTPNotSupportedError if not offered
                smtp.ehlo()
            if target.username:
                smtp.login(target.username, target.password or "")
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def _close(self, *, quit_politely: bool) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            if quit_politely:
                smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            smtp.close()

    def _forget_if_closed(self) -> None:
        if self._smtp is not None and self._smtp.sock is None:
            self._smtp = None

    def _secret(self) -> str | None:
        return self.target.password


class FolderTransport:
    """Each mail as a .eml file: `<UTC time>-<mail id>-<recipient>.eml`, so the newest sorts last
    and a recipient's mail is found by its name. Written whole or not at all (a rename)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> FolderTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def send(self, mail: EmailMessage, *, recipient: str, mail_id: int, now: datetime) -> None:
        """Write the mail's file; a folder that can't be written is a temporary failure."""
        safe = re.sub(r"[^A-Za-z0-9@._+-]", "_", recipient)[:120]
        name = f"{now:%Y%m%dT%H%M%S%f}Z-{mail_id:09d}-{safe}.eml"
        partial = self.folder / f".{name}.partial"
        try:
            partial.write_bytes(mail.as_bytes())
            os.replace(partial, self.folder / name)
        except OSError as error:
            raise TemporaryFailure(f"can't write to the mail folder: {error.strerror or error}",
                                   kind="folder") from None  # fmt: skip


def transport_for(smtp_url: str | None, mail_dir: Path | None) -> SmtpTransport | FolderTransport:
    """SMTP when a URL is configured, else the folder; ValueError when there is neither."""
    if smtp_url:
        return SmtpTransport(parse_smtp_url(smtp_url))
    if mail_dir is not None:
        return FolderTransport(mail_dir)
    raise ValueError("no SMTP_URL and no MAIL_DIR: mail has nowhere to go")


def _answer(code: int, text: bytes | str, kind: str, secret: str | None = None) -> DeliveryFailure:
    failure = PermanentFailure if code >= 500 else TemporaryFailure
    return failure(_said(code, text, secret), kind=f"{code // 100}xx {kind}")


def _said(code: int, text: bytes | str, secret: str | None) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return _without(f"the mail server answered {code} {' '.join(words.split())}", secret)


def _connection_error(error: BaseException, secret: str | None) -> str:
    detail = str(error) or "no detail"
    return _without(f"{_connection_kind(error)}: {type(error).__name__}: {detail}", secret)


def _connection_kind(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ssl.SSLError):
        return "tls"
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError):
        return "connection dropped"
    return "connection"


def _without(text: str, secret: str | None) -> str:
    return text.replace(secret, "[password]") if secret else text

