"""Serve the app from several processes on one machine: `python -m commands.serve --processes 4`.

Migrates the database once (as the start command does), then starts N app servers (server/app.py)
on consecutive ports (8501, 8502, ...), each through the start command's `serve()`. Put a proxy that keeps each browser on one process
in front of them (deploy/nginx.conf; `python -m commands.nginx_conf` writes one for your ports).

Every process must sign cookies with the same secret, or a browser that reaches another process
(after a restart, or a request the proxy sends elsewhere) is refused. The secret comes from the
environment (`STREAMLIT_SERVER_COOKIE_SECRET`, Streamlit's own variable) or from
`.streamlit/secrets.toml` (`[server] cookie_secret`), never from the repository; with more than
one process it is required. It reaches the processes through their environment, not their
command line (which anyone on the machine can read with `ps`).

A process that ends unexpectedly is started again after a pause; Ctrl+C or SIGTERM stops all.
Extra arguments go to every `streamlit run` (e.g. `--server.maxUploadSize 1`).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from commands._secrets import command_settings, read_secrets
from models.db import PROJECT_ROOT

COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"  # noqa: S105 - a variable name, not a secret
WORKER_FLAG = "--worker"
RESTART_PAUSE_S = 2.0
STOP_TIMEOUT_S = 10.0


class MissingCookieSecret(SystemExit):
    """Several processes need one shared cookie secret, and none was given."""


def cookie_secret(
    environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
) -> str | None:
    """The shared `server.cookieSecret`: environment first, then `[server] cookie_secret`."""
    env = os.environ if environ is None else environ
    if env.get(COOKIE_SECRET_ENV):
        return env[COOKIE_SECRET_ENV]
    section = (read_secrets() if secrets is None else secrets).get("server", {})
    value = section.get("cookie_secret") if isinstance(section, Mapping) else None
    return str(value) if value else None


def worker_environment(
    secret: str | None, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of one app process: ours, plus the shared cookie secret."""
    env = dict(os.environ if environ is None else environ)
    if secret:
        env[COOKIE_SECRET_ENV] = secret
    return env


def worker_command(port: int, address: str, extra: Sequence[str] = ()) -> list[str]:
    """The command line of one app process (no secret in it)."""
    return [
        sys.executable, "-m", "commands.serve", WORKER_FLAG,
        "--server.port", str(port), "--server.address", address, *extra,
    ]  # fmt: skip


@dataclass
class Worker:
    port: int
    command: list[str]
    process: subprocess.Popen[bytes]


def start_worker(command: list[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=dict(env))  # noqa: S603 - our own interpreter


def stop_workers(workers: Sequence[Worker]) -> None:
    """SIGTERM every process, then SIGKILL what is still there after the timeout."""
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for worker in workers:
        try:
            worker.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


def supervise(workers: list[Worker], env: Mapping[str, str]) -> None:
    """Restart any process that ends, until we are asked to stop."""
    while True:
        time.sleep(0.5)
        for worker in workers:
            code = worker.process.poll()
            if code is not None:
                print(f"process on port {worker.port} ended ({code}); restarting", flush=True)
                time.sleep(RESTART_PAUSE_S)
                worker.process = start_worker(worker.command, env)


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="python -m commands.serve",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--processes", type=int, default=2, help="how many (default 2)")
    parser.add_argument("--first-port", type=int, default=8501, help="port of the first (8501)")
    parser.add_argument(
        "--address", default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: a proxy on this machine); use the "
        "machine's private address when the proxy runs elsewhere",
    )  # fmt: skip
    parser.add_argument(
        "--no-migrate", action="store_true", help="don't migrate first (someone else did)"
    )
    return parser.parse_known_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [WORKER_FLAG]:  # one app process, started by the parent below
        from commands.start import serve

        serve(argv[1:])
        return
    args, extra = parse_args(argv)
    if args.processes < 1:
        raise SystemExit("--processes must be at least 1")
    secret = cookie_secret()
    if args.processes > 1 and not secret:
        raise MissingCookieSecret(
            f"{args.processes} processes need one shared cookie secret: set {COOKIE_SECRET_ENV} "
            "(or [server] cookie_secret in .streamlit/secrets.toml) to a long random value, e.g. "
            "the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`, the "
            "same on every machine."
        )
    if secret and "REPLACE" in secret:
        raise MissingCookieSecret("the cookie secret is still the placeholder: set a real one")
    from commands.start import where_mail_goes

    print(where_mail_goes(command_settings()), flush=True)  # or SystemExit: nowhere to send mail
    if not args.no_migrate:
        from commands.start import prepare_database

        prepare_database()
    env = worker_environment(secret)
    workers = []
    for index in range(args.processes):
        port = args.first_port + index
        command = worker_command(port, args.address, extra)
        workers.append(Worker(port, command, start_worker(command, env)))
        print(f"process {index + 1}: http://{args.address}:{port}", flush=True)

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        supervise(workers, env)
    except KeyboardInterrupt:
        pass
    finally:
        stop_workers(workers)


if __name__ == "__main__":
    main()
