"""No log line names an address."""

import logging
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from internationale.core.logs import REMOVED, RedactAddresses, redact
from internationale.core.testing import production_environment

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Invalid request from ip=203.0.113.7: bad", f"Invalid request from ip={REMOVED}: bad"),
        ("peer 2001:db8::1 went away", f"peer {REMOVED} went away"),
        ("from ::ffff:10.0.0.1", f"from {REMOVED}"),
        ("at 12:30 on 2026-11-22, version 1.2.3", "at 12:30 on 2026-11-22, version 1.2.3"),
        ("999.1.1.1 is not an address", "999.1.1.1 is not an address"),
    ],
)
def test_it_removes_addresses_and_nothing_else(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_the_filter_rewrites_records_with_arguments() -> None:
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "client %s said %s", ("198.51.100.4", "hello"), None
    )
    RedactAddresses().filter(record)
    assert record.getMessage() == f"client {REMOVED} said hello"


def test_the_server_logs_no_client_address(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = production_environment(
        INTERNATIONALE_SECRET_KEY="s" * 60,
        INTERNATIONALE_HTTPS="false",
        INTERNATIONALE_DATA_DIR=str(tmp_path),
        HOME=str(tmp_path),
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "internationale.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as client:
                    client.sendall(b"NOT HTTP AT ALL\r\n\r\n")
                    client.recv(1024)
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        time.sleep(0.5)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Invalid request" in output
    assert f"ip={REMOVED}" in output
    lines = [line for line in output.splitlines() if "Listening at" not in line]
    assert not any("127.0.0.1" in line for line in lines), output


def test_it_removes_secrets_carried_in_paths() -> None:
    token = "e9yVq3Kx_Zt7-aB0cD1eF2gH3iJ4kL5mN6oP7qR8sT9"
    text = f"Forbidden (CSRF cookie not set.): /join/{token}/"
    assert redact(text) == "Forbidden (CSRF cookie not set.): /join/[secret removed]/"
    assert redact("/organizations/southside-warehouse-workers/") == (
        "/organizations/southside-warehouse-workers/"
    )


@pytest.mark.django_db
def test_the_csrf_warning_for_an_invitation_link_keeps_the_secret_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from django.test import Client

    token = "e9yVq3Kx_Zt7-aB0cD1eF2gH3iJ4kL5mN6oP7qR8sT9"
    handler_filter = RedactAddresses()
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        caplog.handler.addFilter(handler_filter)
        Client(enforce_csrf_checks=True).post(f"/join/{token}/", {})
    assert "CSRF" in caplog.text
    assert token not in caplog.text
