"""Write the nginx configuration for N app processes: `python -m commands.nginx_conf --processes 4`.

Renders deploy/nginx.conf.in (read its comments: sticky by a cookie, websocket upgrade, passive
health checks) for processes on consecutive ports of one machine (`--first-port`, as
`commands.serve` starts them) and/or any `--upstream HOST:PORT` on other machines. Prints the
result, or writes it to `--output` (e.g. /etc/nginx/conf.d/we-are-next-mentors.conf).
deploy/nginx.conf is this command's output with the defaults.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from models.db import PROJECT_ROOT

TEMPLATE = PROJECT_ROOT / "deploy" / "nginx.conf.in"
EXAMPLE = PROJECT_ROOT / "deploy" / "nginx.conf"
MAX_FAILS = 3
FAIL_TIMEOUT = "10s"
FORWARDED_HEADERS = (
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_set_header X-Forwarded-For $remote_addr;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
)
_UPSTREAM = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")


def render(
    upstreams: Sequence[str],
    *,
    listen: str = "80",
    server_name: str = "_",
    secure_cookie: bool = False,
) -> str:
    """The configuration text for these `host:port` upstreams."""
    if not upstreams:
        raise ValueError("at least one upstream is needed")
    for upstream in upstreams:
        if not _UPSTREAM.match(upstream):
            raise ValueError(f"not a host:port: {upstream!r}")
    servers = "\n".join(
        f"    server {u} max_fails={MAX_FAILS} fail_timeout={FAIL_TIMEOUT};" for u in upstreams
    )
    headers = "\n".join(f"        {line}" for line in FORWARDED_HEADERS)
    text = TEMPLATE.read_text()
    for placeholder, value in {
        "UPSTREAM_SERVERS": servers,
        "FORWARDED_HEADERS": headers,
        "LISTEN": listen,
        "SERVER_NAME": server_name,
        "COOKIE_FLAGS": "; Secure" if secure_cookie else "",
    }.items():
        text = text.replace("{{" + placeholder + "}}", value)
    if "{{" in text:
        raise ValueError("the template has a placeholder this command doesn't fill")
    return text


def local_upstreams(processes: int, first_port: int, host: str = "127.0.0.1") -> list[str]:
    """`processes` upstreams on consecutive ports of `host`, as commands.serve starts them."""
    return [f"{host}:{first_port + index}" for index in range(processes)]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m commands.nginx_conf",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--processes", type=int, default=2, help="local processes (default 2)")
    parser.add_argument("--first-port", type=int, default=8501, help="their first port (8501)")
    parser.add_argument(
        "--upstream", action="append", default=[], metavar="HOST:PORT",
        help="a process on another machine (repeatable); with --processes 0, only these",
    )  # fmt: skip
    parser.add_argument("--listen", default="80", help="nginx's listen (default 80)")
    parser.add_argument("--server-name", default="_", help="nginx's server_name (default _)")
    parser.add_argument(
        "--secure-cookie", action="store_true", help="mark the routing cookie Secure (https)"
    )
    parser.add_argument("--output", type=Path, help="write here instead of printing")
    args = parser.parse_args(argv)
    upstreams = local_upstreams(args.processes, args.first_port) + args.upstream
    text = render(
        upstreams,
        listen=args.listen,
        server_name=args.server_name,
        secure_cookie=args.secure_cookie,
    )
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
