"""A mentee's first visit on a phone on a slow network, with and without the app's compression.

`python -m benchmarks.first_visit` starts the app twice (`streamlit run server/app.py`, loopback
ports, one SQLite file of sample mentors): once with WAN_COMPRESSION=0 (before) and once as
deployed (after). Chromium opens Find a mentor at 390x844 under Lighthouse's slow-4G profile
(150 ms round trips, 1.6 Mbit/s each way, CPU slowed 4x): cold (a new browser context, empty
cache), then warm (the same context, a second visit). For each: the bytes that crossed the
network (CDP loadingFinished's encodedDataLength; the websocket's frames are not counted), the
number of requests, and the time from the start of navigation until the first mentor card is
visible. The medians of --runs runs (the servers take turns) are printed as one table.

Where the team's bare stand-in of the directory is installed beside this repository
(benchmarks.servers.FLOOR_DIR), it is measured in the same run as a third server: a bare
Streamlit page of the same filters and 20 cards from an in-memory list (FLOOR_APP_MODE=bare), not
compressed. Its warm visit is what Streamlit's frontend costs by itself on this machine, the floor
under the app's; `--no-standin` leaves it out.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, sync_playwright

from benchmarks import servers
from models.base import utcnow
from models.db import PROJECT_ROOT, make_engine, make_session_factories, migrate
from services.listings.code_of_conduct import current_code
from services.samples.mentors import insert_sample_mentors

CHROMIUM = os.environ.get("BROWSER_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
# Lighthouse's mobile throttling ("slow 4G"): 150 ms RTT, 1.6 Mbit/s, 4x CPU slowdown.
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 200_000,
           "uploadThroughput": 200_000}  # fmt: skip
CPU_SLOWDOWN = 4
VIEWPORT = {"width": 390, "height": 844}
FIRST_CARD = "[data-testid='stMain'] [class*='st-key-mentor_card_'] h3"
STANDIN_CARD = "[data-testid='stMain'] [data-testid='stMarkdownContainer'] strong"  # its names
SERVERS = {"before (WAN_COMPRESSION=0)": "0", "after (compressed)": "1"}
STANDIN = "stand-in (bare page, 20 cards, not compressed)"


@dataclass
class Visit:
    bytes: int
    requests: int
    first_card_s: float


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def app_server(database_url: str, compression: str, log: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "WAN_COMPRESSION": compression,
           "MAIL_DIR": str(log.parent / "mail"),
           "PYTHONPATH": str(PROJECT_ROOT)}  # fmt: skip
    command = [sys.executable, "-m", "streamlit", "run", "server/app.py", "--server.port",
               str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                url = f"http://127.0.0.1:{port}/_stcore/health"
                with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                    if answer.read().strip() == b"ok":
                        break
            if process.poll() is not None:
                raise RuntimeError(f"the app exited; see {log}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def visit(context: BrowserContext, url: str, first_card: str = FIRST_CARD) -> Visit:
    """One page load under the slow profile, in this context (its cache as it is)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    received: dict[str, int] = {}
    requested: set[str] = set()
    cdp.on("Network.requestWillBeSent", lambda e: requested.add(e["requestId"]))
    cdp.on("Network.loadingFinished",
           lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])))  # fmt: skip
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.goto(url, wait_until="commit")
    page.wait_for_selector(first_card, state="visible", timeout=120_000)
    first_card_ms = page.evaluate("performance.now()")
    page.wait_for_timeout(1000)  # what the first screen still loads after its first card
    result = Visit(sum(received.values()), len(requested), first_card_ms / 1000)
    page.close()
    return result


def measure(base_url: str, browser, first_card: str = FIRST_CARD) -> tuple[Visit, Visit]:
    context = browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True)
    try:
        return (visit(context, base_url + "/", first_card),
                visit(context, base_url + "/", first_card))  # fmt: skip
    finally:
        context.close()


def fill(database_url: str, mentors: int) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    with make_session_factories(engine)[1].begin() as session:
        insert_sample_mentors(session, count=mentors, code=current_code(), now=utcnow())
    engine.dispose()


def table(results: dict[str, list[tuple[Visit, Visit]]]) -> str:
    rows = ["| server | cold: bytes | requests | first card | warm: bytes | requests | first card |",
            "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for name, runs in results.items():
        cells = []
        for index in (0, 1):
            visits = [run[index] for run in runs]
            cells += [f"{statistics.median(v.bytes for v in visits) / 1e6:.2f} MB",
                      f"{statistics.median(v.requests for v in visits):.0f}",
                      f"{statistics.median(v.first_card_s for v in visits):.1f} s"]  # fmt: skip
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.first_visit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--runs", type=int, default=3, help="runs per server (median; default 3)")
    parser.add_argument("--mentors", type=int, default=120, help="sample mentors (default 120)")
    parser.add_argument("--no-standin", action="store_true", help="the app alone, no stand-in")
    args = parser.parse_args(argv)
    standin = not args.no_standin and servers.floor_available()
    with tempfile.TemporaryDirectory(prefix="first_visit_") as directory, \
            contextlib.ExitStack() as stack, sync_playwright() as playwright:  # fmt: skip
        database_url = f"sqlite:///{Path(directory) / 'app.sqlite3'}"
        fill(database_url, args.mentors)
        log = Path(directory) / "servers.log"
        urls = {name: stack.enter_context(app_server(database_url, switch, log))
                for name, switch in SERVERS.items()}  # fmt: skip
        cards = dict.fromkeys(urls, FIRST_CARD)
        if standin:
            floor = stack.enter_context(servers.standin_servers(1, _free_port(), log, mode="bare"))
            urls[STANDIN], cards[STANDIN] = f"http://127.0.0.1:{floor.ports[0]}", STANDIN_CARD
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, url in urls.items():  # each server's first answers (and its compression) are warm
            measure(url, browser, cards[name])
        results: dict[str, list[tuple[Visit, Visit]]] = {name: [] for name in urls}
        for run in range(args.runs):
            for name, url in urls.items():
                results[name].append(measure(url, browser, cards[name]))
                cold, warm = results[name][-1]
                print(f"run {run + 1} {name}: cold {cold}, warm {warm}", flush=True)
        browser.close()
    print(f"\nFind a mentor at 390x844, slow 4G (150 ms, 1.6 Mbit/s), CPU x{CPU_SLOWDOWN}, "
          f"median of {args.runs}:\n")  # fmt: skip
    print(table(results))
    if not standin:
        print(f"\n# {servers.FLOOR_DIR} is absent (or --no-standin): the app alone, no floor.")


if __name__ == "__main__":
    main()
