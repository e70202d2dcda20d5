"""Waiting you can see: retries by tenacity with jittered backoff, no retry of a failed name
lookup or of a request the server is still preparing, settable timeouts, and a progress
display (or one log line per attempt) that says what is happening."""

from __future__ import annotations

import io
import socket
import threading

import pytest
import requests
from click.testing import CliRunner

from udsattestat.cli import main
from udsattestat.errors import FetchError, UdsatError
from udsattestat.net import HttpClient, Request
from udsattestat.net import http as nethttp
from udsattestat.net import progress as netprogress
from udsattestat.net.progress import BarReporter, LogReporter, Reporter, download_progress


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


class Recorder(Reporter):
    def __init__(self):
        self.events = []

    def attempt(self, number, attempts, method, url):
        self.events.append(("attempt", number, attempts))

    def retry(self, number, attempts, wait, reason):
        self.events.append(("retry", number, attempts, reason))

    def waiting(self, seconds):
        self.events.append(("waiting", seconds))


class DnsFailingSession:
    def __init__(self, exc):
        self.exc = exc
        self.calls = 0

    def request(self, *args, **kwargs):
        self.calls += 1
        raise self.exc


def _gaierror():
    return requests.ConnectionError(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))


def _name_resolution_error():
    from urllib3.exceptions import MaxRetryError, NameResolutionError

    inner = NameResolutionError("api.statbank.dk", None, socket.gaierror(-2, "Name or service not known"))
    return requests.ConnectionError(MaxRetryError(None, "/v1/data", reason=inner))


@pytest.mark.parametrize("make", [_gaierror, _name_resolution_error])
def test_failed_name_resolution_is_not_retried(make, tmp_path):
    session = DnsFailingSession(make())
    waits = []
    client = HttpClient(session, retries=3, sleep=waits.append)
    with pytest.raises(FetchError, match="cannot resolve the host name 'api.statbank.dk'.*not retried"):
        client.download(Request("POST", "https://api.statbank.dk/v1/data"), dest_dir=tmp_path)
    assert session.calls == 1 and waits == []


def test_each_attempt_and_wait_is_reported(httpserver, tmp_path):
    url = httpserver.url_for("/flaky")
    httpserver.expect_ordered_request("/flaky").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("busy", status=429, headers={"Retry-After": "3"})
    httpserver.expect_ordered_request("/flaky").respond_with_data("ok;1\r\n", content_type="text/csv")
    rec, waits = Recorder(), []
    HttpClient(retries=3, backoff=0.5, sleep=waits.append).download(Request("GET", url), dest_dir=tmp_path, progress=rec)
    kinds = [e for e in rec.events if e[0] != "waiting"]
    assert kinds == [("attempt", 1, 4), ("retry", 2, 4, "HTTP 503 SERVICE UNAVAILABLE"), ("attempt", 2, 4),
                     ("retry", 3, 4, "HTTP 429 TOO MANY REQUESTS"), ("attempt", 3, 4)]
    assert 0.5 <= waits[0] <= 1.0 and waits[1] == 3.0  # jittered backoff, then the server's Retry-After


def test_without_a_terminal_one_log_line_per_attempt(httpserver, tmp_path):
    url = httpserver.url_for("/flaky")
    httpserver.expect_ordered_request("/flaky").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("down", status=502)
    stream = io.StringIO()
    with download_progress("FOLK1A (BULK)", stream=stream) as reporter:
        with pytest.raises(FetchError, match="failed after 2 attempts: HTTP 502"):
            HttpClient(retries=1, backoff=3, sleep=lambda s: None).download(
                Request("GET", url), dest_dir=tmp_path, progress=reporter)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0] == f"udsattestat: FOLK1A (BULK): attempt 1 of 2: GET {url}"
    assert lines[1].startswith("udsattestat: FOLK1A (BULK): HTTP 503 SERVICE UNAVAILABLE; attempt 2 of 2 in ")
    assert lines[1].endswith(" s") and "\x1b" not in stream.getvalue()


def _server_answering_on(signal: threading.Event):
    """A server preparing an extraction: it answers once the test sets ``signal``."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def run():
        conn, _ = srv.accept()
        conn.recv(65536)
        signal.wait(60)  # a bound for a broken test only; the test sets it as soon as it can
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 5\r\nConnection: close\r\n\r\nA;1\r\n")
        conn.close()

    threading.Thread(target=run, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.getsockname()[1]}/data"


class TickClock:
    """A clock that moves on one second each time it is read: each tick of the client's wait
    loop is one second of waiting, however fast or slow the machine is."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        self.now += 1.0
        return self.now


def test_a_server_preparing_the_extraction_is_shown_waiting(tmp_path, monkeypatch):
    monkeypatch.setattr(netprogress, "LOG_WAIT_EVERY", 1.0)
    monkeypatch.setattr(nethttp, "WAIT_TICK", 0.001)  # tick at once: the clock says how long it was
    answer = threading.Event()
    srv, url = _server_answering_on(answer)
    stream = io.StringIO()

    class Watching(LogReporter):
        def waiting(self, seconds):
            super().waiting(seconds)
            if seconds >= 2:
                answer.set()  # the server answers only after two seconds of waiting were shown

    try:
        dl = HttpClient(retries=0, clock=TickClock()).download(
            Request("GET", url), dest_dir=tmp_path, progress=Watching("FOLK1A (BULK)", stream))
    finally:
        srv.close()
    assert dl.path.read_bytes() == b"A;1\r\n"
    waits = [line for line in stream.getvalue().splitlines() if "server preparing the response" in line]
    assert waits[:2] == ["udsattestat: FOLK1A (BULK): server preparing the response, 1 s so far",
                         "udsattestat: FOLK1A (BULK): server preparing the response, 2 s so far"]


def test_the_terminal_display_says_what_is_happening():
    stream = FakeTTY()
    with download_progress("FOLK1A (BULK)", stream=stream) as reporter:
        assert isinstance(reporter, BarReporter)
        reporter.waiting(125)
        assert reporter.bar.tasks[0].fields["state"] == "server preparing the extraction, 2 min"
        reporter.retry(2, 4, 3.2, "HTTP 503 Service Unavailable")
        assert reporter.bar.tasks[0].fields["state"] == "HTTP 503 Service Unavailable; attempt 2 of 4 in 3 s"
        on_bytes, on_rows = reporter  # the old two-callback form still works
        on_bytes(100, 1000)
        on_rows(7)
        assert reporter.bar.tasks[0].completed == 100


def test_quiet_reports_nothing():
    stream = FakeTTY()
    with download_progress("X", quiet=True, stream=stream) as reporter:
        reporter.attempt(1, 4, "GET", "u")
        reporter.retry(2, 4, 1, "x")
    assert stream.getvalue() == "" and type(reporter) is Reporter
    assert isinstance(LogReporter("d", io.StringIO()), Reporter)


@pytest.mark.parametrize("text, expected", [("300", (10.0, 300.0)), ("5,120", (5.0, 120.0)), ("2", (2.0, 2.0)),
                                            (" 3 , 4.5 ", (3.0, 4.5))])
def test_timeouts_are_settable(text, expected, monkeypatch):
    assert nethttp.parse_timeout(text) == expected
    monkeypatch.setenv("UDSATTESTAT_TIMEOUT", text)
    assert HttpClient().timeout == expected
    with nethttp.timeout_override((1.0, 2.0)):
        assert HttpClient().timeout == (1.0, 2.0)  # --timeout wins over the environment
    assert HttpClient(timeout=(7, 8)).timeout == (7, 8)  # and an explicit one over both


@pytest.mark.parametrize("text", ["", "soon", "0", "1,2,3", "-5", "nan"])
def test_bad_timeouts_are_one_clear_error(text, monkeypatch):
    with pytest.raises(UdsatError, match="write the read timeout in seconds"):
        nethttp.parse_timeout(text)
    res = CliRunner().invoke(main, ["statbank", "info", "FOLK1A", "--timeout", text])
    assert res.exit_code == 2 and "--timeout" in res.output and "Traceback" not in res.output


def test_cli_timeout_reaches_the_request_and_the_error_says_what_to_try(monkeypatch):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)  # never answers
    monkeypatch.setenv("UDSATTESTAT_STATBANK_URL", f"http://127.0.0.1:{srv.getsockname()[1]}/v1")
    try:
        res = CliRunner().invoke(main, ["statbank", "info", "FOLK1A", "--timeout", "1,0.3"])
    finally:
        srv.close()
    assert res.exit_code == 1
    assert "sent no answer within 0.3 s" in res.output and "--timeout" in res.output
    assert "Traceback" not in res.output
