"""Transport failures are typed: a body that does not decode, a reset, a truncation each
become a FetchError naming the URL (never a traceback); plain-http base URLs are warned about."""

from __future__ import annotations

import socket
import struct
import threading
import warnings

import pytest

from udsattestat.errors import FetchError
from udsattestat.net.http import HttpClient, InsecureURLWarning, Request, check_base_url


def client(retries=1):
    return HttpClient(retries=retries, backoff=0.01, sleep=lambda s: None, timeout=(2, 5))


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_body_that_is_not_what_its_content_encoding_says(httpserver, tmp_path, encoding):
    httpserver.expect_request("/gz").respond_with_data(b"this is not compressed" * 20, content_type="text/csv",
                                                       headers={"Content-Encoding": encoding})
    url = httpserver.url_for("/gz")
    with pytest.raises(FetchError) as info:
        client().download(Request("GET", url), dest_dir=tmp_path)
    assert info.value.url == url and f"Content-Encoding: {encoding}" in str(info.value)
    assert "\n" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_error_status_with_a_body_that_does_not_decode(httpserver, tmp_path):
    httpserver.expect_request("/gz").respond_with_data(b"nope", status=404, headers={"Content-Encoding": "gzip"})
    url = httpserver.url_for("/gz")
    with pytest.raises(FetchError) as info:
        client().download(Request("GET", url), dest_dir=tmp_path)
    assert info.value.url == url


class _RawServer:
    """A loopback server that answers every connection with ``head`` + ``body`` and then
    closes, with a TCP reset when ``reset`` (SO_LINGER 0)."""

    def __init__(self, head: bytes, body: bytes, *, reset: bool):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.head, self.body, self.reset = head, body, reset
        self.connections = 0
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/data"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.recv(65536)
            conn.sendall(self.head + self.body)
            if self.reset:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def close(self):
        self.sock.close()


@pytest.mark.parametrize("reset", [False, True], ids=["truncated", "reset"])
def test_truncated_or_reset_body_is_retried_then_a_fetch_error(tmp_path, reset):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n"
    server = _RawServer(head, b"a;1\r\n" * 100, reset=reset)
    try:
        with pytest.raises(FetchError) as info:
            client(retries=1).download(Request("GET", server.url), dest_dir=tmp_path)
    finally:
        server.close()
    assert info.value.url == server.url and "failed after 2 attempts" in str(info.value)
    assert server.connections == 2 and list(tmp_path.iterdir()) == []


def test_reset_chunked_body(tmp_path):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
    server = _RawServer(head, b"10\r\n0123456789abcdef\r\n5\r\nab", reset=True)
    try:
        with pytest.raises(FetchError) as info:
            client(retries=0).download(Request("GET", server.url), dest_dir=tmp_path)
    finally:
        server.close()
    assert info.value.url == server.url


def test_plain_http_base_url_is_warned_about_but_loopback_is_not():
    with pytest.warns(InsecureURLWarning, match="plain http"):
        check_base_url("http://stats.example.org/v1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_base_url("https://stats.example.org/v1")
        check_base_url("http://127.0.0.1:8080/v1")


@pytest.mark.parametrize("url", ["ftp://x.example/v1", "file:///etc", "stats.example.org/v1", "http://"])
def test_base_url_that_is_not_http_is_refused(url):
    with pytest.raises(FetchError, match="is not an http"):
        check_base_url(url)


def test_cli_prints_the_http_warning_as_one_line(monkeypatch):
    from click.testing import CliRunner

    from udsattestat.cli import main

    monkeypatch.setenv("UDSATTESTAT_STATBANK_URL", "http://stats.example.org/v1")
    res = CliRunner().invoke(main, ["statbank", "info", "FOLK1A", "--offline"])
    assert "Warning: base URL http://stats.example.org/v1 is plain http" in res.stderr
    assert "InsecureURLWarning" not in res.output and "Traceback" not in res.output
