"""A PostgreSQL cluster of the test's own, on its own port, that a test may stop or freeze.

The machine's own PostgreSQL is never touched. The cluster is made with Debian's initdb (run as
the `postgres` user when the tests run as root), listens on a free loopback port with trust
auth, and is removed afterwards. Without the PostgreSQL server binaries these tests are skipped,
or fail under CI=true.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.servers import free_port

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _binaries() -> Path:
    for directory in BIN_DIRS:
        if (directory / "initdb").exists():
            return directory
    message = "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Cluster:
    """A private cluster: `url` to reach it, and the means to stop, start, freeze and thaw it."""

    bin_dir: Path
    data_dir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.data_dir} -c listen_addresses=127.0.0.1"
        subprocess.run(
            _as_postgres([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-o", options,
                          "-w", "-t", "30", "-l", str(self.data_dir / "log.txt"), *args]),
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "immediate")

    def _processes(self) -> list[int]:
        postmaster = int((self.data_dir / "postmaster.pid").read_text().split()[0])
        children = [int(p) for p in subprocess.run(["ps", "-o", "pid=", "--ppid", str(postmaster)],
                                                    capture_output=True, text=True).stdout.split()]  # fmt: skip
        return [postmaster, *children]

    def freeze(self) -> None:
        """Stop every process of the cluster where it stands: it accepts TCP, but never answers."""
        for pid in self._processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self._processes():
            os.kill(pid, signal.SIGCONT)


@pytest.fixture
def private_postgres() -> Iterator[Cluster]:
    bin_dir = _binaries()
    home = Path(tempfile.mkdtemp(prefix="wan-test-pg-"))  # pytest's own tmp dirs are root-only
    data_dir = home / "data"
    data_dir.mkdir()
    if os.geteuid() == 0:
        for path in (home, data_dir):
            shutil.chown(path, "postgres", "postgres")
    subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data_dir), "-A", "trust",
                                 "-U", "postgres", "--no-sync"]), check=True, capture_output=True)  # fmt: skip
    cluster = Cluster(bin_dir, data_dir, free_port())
    cluster.start()
    try:
        yield cluster
    finally:
        with contextlib.suppress(OSError, ValueError):
            cluster.thaw()
        time.sleep(0.1)
        subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "stop", "-m",
                                     "immediate"]), capture_output=True)  # fmt: skip
        shutil.rmtree(home, ignore_errors=True)
