"""The HTTP layer: retries, backoff, Retry-After, checked bodies, streamed downloads."""

from __future__ import annotations

import socket
import threading

import pytest
import requests
from werkzeug import Response

from udsattestat.errors import FetchError, ProviderError
from udsattestat.net.http import HttpClient, Request, looks_like_html, parse_retry_after


def assert_backoff(waits, backoff):
    """Exponential backoff with jitter: wait n is backoff*2**(n-1) plus up to one backoff."""
    assert waits and all(backoff * 2**i <= w <= backoff * 2**i + backoff for i, w in enumerate(waits)), waits


def client(sleep=None, retries=3):
    return HttpClient(retries=retries, backoff=0.5, sleep=sleep or (lambda s: None), timeout=(2, 5))


def test_download_streams_body_with_progress_and_checksum(httpserver, tmp_path):
    body = b"A;B;INDHOLD\r\n" + b"1;2;3\r\n" * 50_000
    httpserver.expect_request("/data").respond_with_data(body, content_type="text/csv; charset=utf-8")
    seen = []
    dl = client().download(
        Request("GET", httpserver.url_for("/data")), dest_dir=tmp_path, expect=("text/csv",),
        progress=lambda n, total: seen.append((n, total)),
    )
    assert dl.path.read_bytes() == body
    assert dl.size == len(body)
    import hashlib

    assert dl.sha256 == hashlib.sha256(body).hexdigest()
    assert seen[-1] == (len(body), len(body))
    assert len(seen) > 1  # streamed in chunks, not one read
    assert dl.retrieved.endswith("Z")


def test_retries_5xx_with_exponential_backoff_then_succeeds(httpserver, tmp_path):
    url = httpserver.url_for("/flaky")
    httpserver.expect_ordered_request("/flaky").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("down", status=502)
    httpserver.expect_ordered_request("/flaky").respond_with_data("ok;1\r\n", content_type="text/csv")
    waits = []
    dl = client(waits.append).download(Request("GET", url), dest_dir=tmp_path)
    assert dl.path.read_bytes() == b"ok;1\r\n"
    assert dl.attempts == 3
    assert_backoff(waits, 0.5)


def test_gives_up_after_bounded_retries_with_one_line_error(httpserver, tmp_path):
    httpserver.expect_request("/down").respond_with_data("oops", status=500)
    waits = []
    with pytest.raises(FetchError) as info:
        client(waits.append, retries=2).download(Request("GET", httpserver.url_for("/down")), dest_dir=tmp_path)
    assert "failed after 3 attempts: HTTP 500" in str(info.value)
    assert info.value.status == 500 and info.value.url.endswith("/down")
    assert "\n" not in str(info.value)
    assert_backoff(waits, 0.5)
    assert list(tmp_path.iterdir()) == []  # no temp file left behind


def test_429_honours_retry_after(httpserver, tmp_path):
    httpserver.expect_ordered_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    httpserver.expect_ordered_request("/busy").respond_with_data("x;1\r\n", content_type="text/csv")
    waits = []
    client(waits.append).download(Request("GET", httpserver.url_for("/busy")), dest_dir=tmp_path)
    assert waits == [7.0]


def test_retry_after_http_date_and_garbage():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("0") == 0.0


def test_4xx_is_not_retried_and_goes_through_error_hook(httpserver, tmp_path):
    httpserver.expect_request("/bad").respond_with_json({"errorTypeCode": "X", "message": "nope"}, status=400)
    waits = []

    def hook(response, body):
        import json

        data = json.loads(body)
        return ProviderError(f"provider says {data['message']}", code=data["errorTypeCode"], status=response.status_code)

    with pytest.raises(ProviderError) as info:
        client(waits.append).download(Request("GET", httpserver.url_for("/bad")), dest_dir=tmp_path, error_hook=hook)
    assert info.value.code == "X" and waits == []


def test_4xx_without_hook_names_status_and_html_page(httpserver, tmp_path):
    html = b"<!DOCTYPE html><html><body><h1>404 - File or directory not found.</h1></body></html>"
    httpserver.expect_request("/gone").respond_with_data(html, status=404, content_type="text/html; charset=iso-8859-1")
    with pytest.raises(FetchError, match=r"answered HTTP 404 \(an HTML error page\); not found"):
        client().download(Request("GET", httpserver.url_for("/gone")), dest_dir=tmp_path)


def test_html_page_with_status_200_is_an_error(httpserver, tmp_path):
    httpserver.expect_request("/proxy").respond_with_data("<html><body>Log in</body></html>", content_type="text/html")
    with pytest.raises(FetchError, match="returned an HTML page instead of data"):
        client().download(Request("GET", httpserver.url_for("/proxy")), dest_dir=tmp_path)


def test_html_body_under_a_csv_content_type_is_an_error(httpserver, tmp_path):
    httpserver.expect_request("/liar").respond_with_data("\r\n<!DOCTYPE html><html></html>", content_type="text/csv")
    with pytest.raises(FetchError, match="HTML page"):
        client().download(Request("GET", httpserver.url_for("/liar")), dest_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_empty_body_is_an_error(httpserver, tmp_path):
    httpserver.expect_request("/empty").respond_with_data(b"", content_type="text/csv")
    with pytest.raises(FetchError, match="empty body"):
        client().download(Request("GET", httpserver.url_for("/empty")), dest_dir=tmp_path)


def test_wrong_content_type_is_an_error(httpserver, tmp_path):
    httpserver.expect_request("/pdf").respond_with_data(b"%PDF-1.4", content_type="application/pdf")
    with pytest.raises(FetchError, match="content type 'application/pdf'; expected text/csv"):
        client().download(Request("GET", httpserver.url_for("/pdf")), dest_dir=tmp_path, expect=("text/csv",))


def test_redirect_of_a_post_is_refused(httpserver, tmp_path):
    httpserver.expect_request("/v1/data", method="POST").respond_with_response(
        Response("", status=301, headers={"Location": "https://example.invalid/v1/data"})
    )
    with pytest.raises(FetchError, match="redirected"):
        client().download(Request("POST", httpserver.url_for("/v1/data"), json={"a": 1}), dest_dir=tmp_path)


def _raw_server(payload: bytes, times: int = 10):
    """A one-thread TCP server sending ``payload`` then closing: for cut-short bodies."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    served = []

    def run():
        for _ in range(times):
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(payload)
                served.append(1)

    threading.Thread(target=run, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.getsockname()[1]}/data", served


def test_truncated_body_is_retried_then_reported(tmp_path):
    payload = (b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 1000\r\n"
               b"Connection: close\r\n\r\nA;B;INDHOLD\r\n1;2;3\r\n")
    srv, url, served = _raw_server(payload)
    waits = []
    try:
        with pytest.raises(FetchError, match="cut short") as info:
            client(waits.append, retries=1).download(Request("GET", url), dest_dir=tmp_path)
    finally:
        srv.close()
    assert "failed after 2 attempts" in str(info.value)
    assert len(waits) == 1
    assert list(tmp_path.iterdir()) == []


def test_connection_refused_is_retried_then_reported(tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens on this port now
    waits = []
    with pytest.raises(FetchError, match=r"failed after 3 attempts: connection failed"):
        client(waits.append, retries=2).download(Request("GET", f"http://127.0.0.1:{port}/x"), dest_dir=tmp_path)
    assert_backoff(waits, 0.5)


def test_no_answer_within_the_read_timeout_is_not_asked_again(tmp_path):
    """The server may still be preparing the extraction: a second request would pile up behind it."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)  # accepts the connection but never answers
    url = f"http://127.0.0.1:{srv.getsockname()[1]}/slow"
    waits = []
    try:
        c = HttpClient(retries=3, backoff=0.1, sleep=waits.append, timeout=(0.5, 0.2))
        with pytest.raises(FetchError) as info:
            c.download(Request("GET", url), dest_dir=tmp_path, hint="select fewer values or use --dry-run")
    finally:
        srv.close()
    assert waits == []
    message = str(info.value)
    assert "sent no answer within 0.2 s" in message and "not asked again" in message
    assert "--timeout" in message and "select fewer values or use --dry-run" in message


def test_injected_session_is_used(tmp_path):
    class FakeRaw:
        def tell(self):
            return 6

    class FakeResponse:
        status_code = 200
        reason = "OK"
        headers = requests.structures.CaseInsensitiveDict({"Content-Type": "text/csv", "Content-Length": "6"})
        raw = FakeRaw()

        def iter_content(self, n):
            yield b"a;1\r\n\n"

        def close(self):
            pass

    class FakeSession:
        calls = []

        def request(self, method, url, **kw):
            self.calls.append((method, url, kw["json"]))
            return FakeResponse()

    session = FakeSession()
    dl = HttpClient(session).download(Request("POST", "https://stat.example/v1/data", json={"t": 1}), dest_dir=tmp_path)
    assert dl.path.read_bytes() == b"a;1\r\n\n"
    assert session.calls == [("POST", "https://stat.example/v1/data", {"t": 1})]


def test_get_json(httpserver):
    httpserver.expect_request("/info").respond_with_json({"id": "X", "æ": "ø"})
    data, dl = client().get_json(Request("GET", httpserver.url_for("/info")))
    assert data == {"id": "X", "æ": "ø"}
    assert not dl.path.exists()


def test_get_json_refuses_non_json(httpserver):
    httpserver.expect_request("/info").respond_with_data("{not json", content_type="application/json")
    with pytest.raises(FetchError, match="not valid JSON"):
        client().get_json(Request("GET", httpserver.url_for("/info")))


def test_looks_like_html():
    assert looks_like_html(b"\xef\xbb\xbf  <!DOCTYPE HTML>")
    assert not looks_like_html(b"OMR\xc3\x85DE;TID;INDHOLD")


def test_guard_blocks_non_loopback_connections():
    from conftest import NetworkBlocked

    with pytest.raises(NetworkBlocked):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    with pytest.raises(NetworkBlocked):
        requests.get("http://example.invalid/", timeout=0.1)
