"""Shared test setup.

No test may reach the network: an autouse guard makes any connection to a non-loopback
address fail the test at once. Tests that need HTTP use pytest-httpserver on 127.0.0.1 and
serve the fixture files in tests/fixtures/ (synthetic, shaped like the providers' real
responses; see tests/fixtures/README.md).
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


class NetworkBlocked(AssertionError):
    """Raised when a test tries to connect to anything but loopback."""


def _is_loopback(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) and address else address
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already touch the network


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(self, address):
        if self.family == getattr(socket, "AF_UNIX", None) or _is_loopback(address):
            return real_connect(self, address)
        raise NetworkBlocked(f"test tried to connect to {address!r}; tests must not use the network")

    def guarded_connect_ex(self, address):
        if self.family == getattr(socket, "AF_UNIX", None) or _is_loopback(address):
            return real_connect_ex(self, address)
        raise NetworkBlocked(f"test tried to connect to {address!r}; tests must not use the network")

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host is None or _is_loopback((host,)):
            return real_getaddrinfo(host, *args, **kwargs)
        raise NetworkBlocked(f"test tried to resolve {host!r}; tests must not use the network")

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield


@pytest.fixture
def no_sleep():
    """A recording stand-in for time.sleep, so retry tests run instantly."""
    waits: list[float] = []
    return waits.append, waits


def fixture_bytes(*parts: str) -> bytes:
    return FIXTURES.joinpath(*parts).read_bytes()


def serve_fixture(httpserver, uri: str, *parts: str, method: str | None = None, status: int = 200,
                  content_type: str = "text/csv; charset=utf-8", headers: dict | None = None, **match):
    """Serve a fixture file's bytes at ``uri`` on the local test server."""
    kwargs = {"method": method} if method else {}
    kwargs.update(match)
    httpserver.expect_request(uri, **kwargs).respond_with_data(
        fixture_bytes(*parts), status=status, content_type=content_type, headers=headers or {}
    )


def serve_bytes(httpserver, uri: str, body: bytes, *, method: str | None = None, status: int = 200,
                content_type: str = "text/csv; charset=utf-8", headers: dict | None = None, **match):
    """Serve raw bytes at ``uri`` (for bodies built inside a test)."""
    kwargs = {"method": method} if method else {}
    kwargs.update(match)
    httpserver.expect_request(uri, **kwargs).respond_with_data(
        body, status=status, content_type=content_type, headers=headers or {}
    )
