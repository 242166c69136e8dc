"""The proxy configuration and the serve command, without starting the app."""

from __future__ import annotations

import subprocess

import pytest

from commands import serve
from commands.nginx_conf import EXAMPLE, FORWARDED_HEADERS, local_upstreams, render
from tests.deploy.conftest import nginx_executable

pytestmark = pytest.mark.deploy


def test_the_committed_example_is_the_command_output_for_two_local_processes() -> None:
    assert EXAMPLE.read_text() == render(local_upstreams(2, 8501))


def test_every_process_is_an_upstream_with_passive_health_checks() -> None:
    text = render(local_upstreams(3, 8601) + ["10.0.0.7:8501"])
    for upstream in ("127.0.0.1:8601", "127.0.0.1:8602", "127.0.0.1:8603", "10.0.0.7:8501"):
        assert f"server {upstream} max_fails=3 fail_timeout=10s;" in text
    assert "hash $wan_route consistent;" in text


def test_every_location_passes_the_host_and_the_clients_address_on() -> None:
    text = render(local_upstreams(2, 8501))
    locations = text.count("    location ")
    assert locations == 3
    for header in FORWARDED_HEADERS:
        assert text.count(header) == locations, header


def test_the_websocket_is_upgraded_and_held_open() -> None:
    stream = render(local_upstreams(2, 8501)).split("location /_stcore/stream", 1)[1]
    stream = stream.split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $wan_connection;" in stream
    assert "proxy_read_timeout 1d;" in stream


def test_the_routing_cookie_is_secure_only_when_asked() -> None:
    assert "; Secure" not in render(["127.0.0.1:8501"])
    assert "SameSite=Lax; Secure" in render(["127.0.0.1:8501"], secure_cookie=True)


@pytest.mark.parametrize("bad", ["127.0.0.1", "host:port", "127.0.0.1:8501; evil", ""])
def test_an_upstream_that_is_not_host_and_port_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        render([bad])


def test_nginx_accepts_the_rendered_configuration(tmp_path) -> None:
    snippet = tmp_path / "wan.conf"
    snippet.write_text(render(local_upstreams(2, 8501), listen="127.0.0.1:8080"))
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nevents {{}}\n"
        f"http {{ proxy_temp_path {tmp_path / 'proxy'}; "
        f"client_body_temp_path {tmp_path / 'body'}; include {snippet}; }}\n"
    )
    check = subprocess.run(  # noqa: S603 - Debian's nginx, testing a file
        [nginx_executable(), "-t", "-p", str(tmp_path), "-c", str(conf),
         "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr


def test_the_cookie_secret_comes_from_the_environment_first() -> None:
    secrets = {"server": {"cookie_secret": "from-the-file"}}
    assert serve.cookie_secret({serve.COOKIE_SECRET_ENV: "from-env"}, secrets) == "from-env"
    assert serve.cookie_secret({}, secrets) == "from-the-file"
    assert serve.cookie_secret({}, {}) is None


def test_several_processes_are_refused_without_a_shared_cookie_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(serve.COOKIE_SECRET_ENV, raising=False)
    monkeypatch.setattr(serve, "read_secrets", dict)
    with pytest.raises(SystemExit, match="one shared cookie secret"):
        serve.main(["--processes", "2"])


def test_the_secret_reaches_the_processes_by_environment_not_command_line() -> None:
    command = serve.worker_command(8502, "127.0.0.1")
    env = serve.worker_environment("s3cret-value", environ={"PATH": "/usr/bin"})
    assert "s3cret-value" not in " ".join(command)
    assert env[serve.COOKIE_SECRET_ENV] == "s3cret-value"
    assert command[-4:] == ["--server.port", "8502", "--server.address", "127.0.0.1"]


def test_text_answers_are_compressed_and_the_apps_own_compression_passes_through() -> None:
    text = render(local_upstreams(2, 8501))
    for line in ("gzip on;", "gzip_vary on;", "gzip_proxied any;"):
        assert line in text
    types = text.split("gzip_types ", 1)[1].split(";", 1)[0].split()
    assert {"text/css", "application/javascript", "application/json"} <= set(types)
    assert not {"font/woff2", "image/png"} & set(types)
    # Nothing strips the browser's Accept-Encoding on its way to the app.
    assert "proxy_set_header Accept-Encoding" not in text
