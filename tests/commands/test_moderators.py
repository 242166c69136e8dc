"""python -m commands.moderators totp: an operator sets up and removes a moderator's second factor."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest

from commands import moderators
from models.base import utcnow
from models.db import make_engine, make_session_factories
from services.accounts.second_factor import check_code, has_second_factor


def database_with_alice(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    assert moderators.main(["add", "alice", "--random", "--database-url", url]) == 0
    return url


def alice_accepts(url: str, code: str) -> bool:
    engine = make_engine(url)
    try:
        with make_session_factories(engine)[1].begin() as session:
            return check_code(session, moderator_id=1, code=code, now=utcnow())
    finally:
        engine.dispose()


def test_enrolling_prints_a_qr_code_and_ten_recovery_codes_that_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = database_with_alice(tmp_path)
    capsys.readouterr()
    assert moderators.main(["totp", "Alice", "--database-url", url]) == 0
    printed = capsys.readouterr().out
    uri = re.search(r"otpauth://totp/\S+", printed)
    assert uri and "We%20Are%20Next%20Mentors:alice" in uri.group()
    assert printed.count("\u2588") > 100  # the QR code, drawn in block characters
    codes = re.findall(r"^  ([a-z2-7]{5}-[a-z2-7]{5})$", printed, re.MULTILINE)
    assert len(set(codes)) == 10 and "shown only now" in printed
    assert alice_accepts(url, codes[3]) and not alice_accepts(url, codes[3])
    secret = pyotp.parse_uri(uri.group()).secret
    assert alice_accepts(url, pyotp.TOTP(secret).now())


def test_enrolling_again_replaces_the_codes_and_remove_takes_the_factor_away(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = database_with_alice(tmp_path)
    moderators.main(["totp", "alice", "--database-url", url])
    first = re.findall(r"^  (\S{5}-\S{5})$", capsys.readouterr().out, re.MULTILINE)
    moderators.main(["totp", "alice", "--database-url", url])
    assert "replaces alice's earlier second factor" in capsys.readouterr().out
    assert not alice_accepts(url, first[0])
    assert moderators.main(["totp", "alice", "--remove", "--database-url", url]) == 0
    assert capsys.readouterr().out.strip() == "Moderator alice no longer has a second factor."
    assert moderators.main(["totp", "alice", "--remove", "--database-url", url]) == 0
    assert capsys.readouterr().out.strip() == "Moderator alice had no second factor."
    engine = make_engine(url)
    with make_session_factories(engine)[0]() as session:
        assert not has_second_factor(session, 1)
    engine.dispose()


def test_an_unknown_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = database_with_alice(tmp_path)
    assert moderators.main(["totp", "bob", "--database-url", url]) == 1
    assert "no moderator called bob" in capsys.readouterr().err


def test_an_account_kept_in_the_secrets_can_enrol_before_its_first_sign_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_with_alice(tmp_path)
    monkeypatch.setattr(moderators, "read_secrets", lambda: {"moderators": {"bob": "$argon2id$h"}})
    assert moderators.main(["totp", "bob", "--database-url", url]) == 0
    assert "Recovery codes for bob" in capsys.readouterr().out
