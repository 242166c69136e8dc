"""What an operator runs: `python -m commands.send_mail`, and the refusal to start a deployment
that has nowhere to send mail (commands.start, commands.serve, the server's lifespan)."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from commands.start import where_mail_goes
from models.base import utcnow
from models.db import PROJECT_ROOT
from services.core.settings import MailNotConfigured, load_settings
from services.mail import relay
from services.mail.sending import send_due
from tests.mail.conftest import Clock, SmtpServer, config, mail_row, queue_link
from tests.server.conftest import database_url

MAIL_ENV = ("SMTP_URL", "MAIL_DIR", "MAIL_FROM", "SITE_URL", "DATABASE_URL")


def run(module: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in MAIL_ENV}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", module, *args], cwd=PROJECT_ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def url_of(writer: sessionmaker[Session]) -> str:
    engine = writer.kw["bind"]
    return database_url(engine)


def test_send_mail_sends_what_is_due_to_the_smtp_server_and_exits_0(
    writer: sessionmaker[Session], smtp_server: SmtpServer
) -> None:
    ids = [queue_link(writer, f"p{n}@example.org", f"t{n}") for n in range(3)]

    done = run("commands.send_mail", {"DATABASE_URL": url_of(writer), "SMTP_URL": smtp_server.url,
                                      "MAIL_FROM": "Mentors <mentors@example.org>"})  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "sent 3" in done.stdout
    assert "@example.org" not in done.stdout + done.stderr  # counts, never addresses
    assert len(smtp_server.inbox.messages) == 3
    assert {m["From"] for m in smtp_server.inbox.messages} == {"Mentors <mentors@example.org>"}
    assert {mail_row(writer, i).state for i in ids} == {"sent"}


def test_a_relay_killed_mid_batch_loses_no_mail(
    writer: sessionmaker[Session], smtp_server: SmtpServer, clock: Clock
) -> None:
    ids = [queue_link(writer, f"p{n}@example.org", f"t{n}") for n in range(5)]
    smtp_server.inbox.plan = [None, None, "hang"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "commands.send_mail"], cwd=PROJECT_ROOT,
        env={**{k: v for k, v in os.environ.items() if k not in MAIL_ENV},
             "DATABASE_URL": url_of(writer), "SMTP_URL": smtp_server.url},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while smtp_server.inbox.attempts < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)  # in the middle of the third mail
    process.wait(timeout=10)
    assert {mail_row(writer, i).state for i in ids} == {"sending"}  # claimed, nothing recorded

    clock.now = utcnow() + relay.DEFAULT_LEASE + timedelta(seconds=1)  # the lease runs out
    assert send_due(writer, smtp_server.transport(), config(clock)).sent == 5

    assert {mail_row(writer, i).state for i in ids} == {"sent"}
    expected = {mail_row(writer, i).message_id for i in ids}
    assert set(smtp_server.inbox.message_ids()) == expected  # every mail arrived (some twice)


def test_send_mail_writes_eml_files_to_mail_dir(
    writer: sessionmaker[Session], tmp_path: Path
) -> None:
    queue_link(writer, "ada@example.org", "t")

    done = run("commands.send_mail", {"DATABASE_URL": url_of(writer), "MAIL_DIR": str(tmp_path)})

    assert done.returncode == 0, done.stderr
    assert [p.name.endswith("-ada@example.org.eml") for p in tmp_path.iterdir()] == [True]


def test_a_deployment_with_nowhere_to_send_mail_is_not_started(
    writer: sessionmaker[Session], tmp_path: Path
) -> None:
    for module, *args in (["commands.start"], ["commands.serve", "--processes", "1"],
                          ["commands.send_mail"]):  # fmt: skip
        refused = run(module, {"DATABASE_URL": url_of(writer)}, *args)
        assert refused.returncode != 0, module
        assert "SMTP_URL" in refused.stderr and "MAIL_DIR" in refused.stderr, module
    plain = run("commands.start", {"DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
                                   "SMTP_URL": "smtp+plain://mail.example.org:25"})  # fmt: skip
    assert plain.returncode != 0
    assert "only go to this machine" in plain.stderr
    assert not (tmp_path / "new.sqlite3").exists()  # refused before touching the database


def test_the_lifespan_refuses_to_start_without_mail(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from server import lifespan_work

    for name in MAIL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite3'}")
    with pytest.raises(MailNotConfigured, match="SMTP_URL"):
        lifespan_work.start()


def test_the_local_sample_setup_says_its_mail_is_written_to_data_mail() -> None:
    said = where_mail_goes(load_settings({}, environ={}))
    assert "data/mail" in said and ".eml" in said


@pytest.fixture
def lifespan_mail_dir(
    writer: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    """The lifespan's environment: the writer's database, mail written as files to the folder."""
    for name in MAIL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url_of(writer))
    monkeypatch.setenv("MAIL_DIR", str(tmp_path))
    return tmp_path


def test_the_lifespan_starts_a_relay_that_sends_queued_mail_and_stops_it(
    writer: sessionmaker[Session], lifespan_mail_dir: Path
) -> None:
    from server import lifespan_work

    lifespan_work.start()
    try:
        mail_id = queue_link(writer, "ada@example.org", "t")
        deadline = time.monotonic() + 10
        while not list(lifespan_mail_dir.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        lifespan_work.stop()
    assert len(list(lifespan_mail_dir.glob("*-ada@example.org.eml"))) == 1
    assert mail_row(writer, mail_id).state == "sent"


@pytest.mark.usefixtures("lifespan_mail_dir")
def test_after_start_full_collections_walk_only_what_came_after() -> None:
    """A full collection holds every rerun under way; the modules are never garbage."""
    from server import lifespan_work
    from services.jobs.catalogue import JOBS

    tracked_before = len(gc.get_objects())
    lifespan_work.start()
    try:
        walked = gc.get_objects()
        assert not any(thing is JOBS for thing in walked)  # the job catalogue: frozen
        assert len(walked) < tracked_before / 4
        assert "altair" in sys.modules and "services.samples.mentors" in sys.modules
    finally:
        lifespan_work.stop()
    assert gc.get_freeze_count() == 0  # given back: a second start freezes afresh
    assert any(thing is JOBS for thing in gc.get_objects())
