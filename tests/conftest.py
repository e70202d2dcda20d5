"""Shared test setup.

No test may reach the network: an autouse guard (tests/offline.py) makes any connection,
datagram or name lookup for a non-loopback address fail the test at once, and the programs
the tests start run without a way out — except the ``live``-marked drift checks in
tests/test_live.py, which the default run deselects (``-m "not live"`` in pyproject.toml). Tests that need HTTP use pytest-httpserver on 127.0.0.1 and
serve the fixture files in tests/fixtures/: responses recorded from the real services where
public recordings exist (tests/fixtures/recorded/README.md, replayed by tests/recordings.py),
synthetic ones in the documented shape where none do (tests/fixtures/statbank/README.md).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from offline import NetworkBlocked, guard  # noqa: F401 - NetworkBlocked re-exported

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_network(request, monkeypatch):
    if request.node.get_closest_marker("live"):
        return  # tests/test_live.py asks the real services; only ever run with -m live
    guard(monkeypatch)  # tests/offline.py: connections, datagrams and the resolver; loopback only


#: How to get the programs some tests drive (named in the skip or failure message).
INSTALL = {
    "chromium": "apt-get update && apt-get install -y chromium",
    "pdftoppm": "apt-get install -y poppler-utils",
    "ruff": "pip install '.[test]'",
}


def require_tool(name: str, found: str | os.PathLike | None) -> str:
    """The path of a program a test drives (chromium, pdftoppm, ruff).

    Without it the test skips, saying how to install it — except under ``CI=true``, where it
    fails: CI must not go green with its browser and PDF checks quietly skipped.
    """
    if found is not None and Path(found).exists():
        return str(found)
    missing(f"no {name} binary (install it: {INSTALL[name]})")


def missing(what: str):
    """Skip a test that cannot run here, saying why; under ``CI=true``, fail it instead."""
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"{what}; CI=true, where this check must run, not skip", pytrace=False)
    pytest.skip(what)


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


# -- a local server shaped like api.statbank.dk/v1 (SYNTHETIC fixtures) ----------------------


class FakeStatbank:
    """Routes on a pytest-httpserver shaped like the StatBank API v1 (POST + JSON bodies)."""

    def __init__(self, httpserver):
        self.server = httpserver
        self.base = httpserver.url_for("/v1")
        self._also: list = []  # handlers added for the other language (see tableinfo)
        self._tables: dict[str, tuple[bytes, str]] = {}  # serve_table: table -> (whole body, its lang)
        self._data_handler = False

    def tableinfo(self, table: str, lang: str = "da", *, fixture: str | None = None, body: dict | None = None,
                  headers: dict | None = None, other_language: bool = True):
        """Serve ``table``'s tableinfo in ``lang``. A live dataset reads its labels from tableinfo in
        both languages, so the other language is served too (its fixture, or this same body) —
        after every explicit registration, which wins."""
        payload = json.dumps(body).encode() if body is not None else fixture_bytes(
            "statbank", fixture or f"{table.lower()}_tableinfo_{lang}.json")
        self._serve_tableinfo(table, lang, payload, headers)
        if other_language:
            other = "en" if lang == "da" else "da"
            path = FIXTURES / "statbank" / f"{table.lower()}_tableinfo_{other}.json"
            also = path.read_bytes() if path.exists() else payload
            self._also.append(self._serve_tableinfo(table, other, also, headers))
        self._also = [h for h in self._also if h in self.server.handlers]  # a test may clear the server
        for handler in self._also:  # the automatic ones last: an explicit registration wins
            self.server.handlers.remove(handler)
            self.server.handlers.append(handler)

    def _serve_tableinfo(self, table: str, lang: str, payload: bytes, headers: dict | None):
        handler = self.server.expect_request(
            "/v1/tableinfo", method="POST", json={"table": table, "lang": lang, "format": "JSON"})
        handler.respond_with_data(payload, content_type="application/json; charset=utf-8",
                                  headers={"StatbankAPI-Request-Id": f"info-{table}-{lang}", **(headers or {})})
        return handler

    def data(self, payload: bytes | str, *, match: dict | None = None, status: int = 200,
             content_type: str = "text/csv; charset=utf-8", request_id: str = "00000000-0000-4000-8000-000000000001",
             ordered: bool = False):
        if isinstance(payload, str):
            payload = fixture_bytes("statbank", payload)
        kwargs = {"method": "POST"}
        if match is not None:
            kwargs["json"] = match
        # one-shot handlers are used once each, in the order registered
        expect = self.server.expect_oneshot_request if ordered else self.server.expect_request
        expect("/v1/data", **kwargs).respond_with_data(
            payload, status=status, content_type=content_type, headers={"StatbankAPI-Request-Id": request_id}
        )

    def serve_table(self, table: str, fixture: str, *, lang: str = "da"):
        """Answer any ``/v1/data`` request for ``table`` as the API does: the rows of the fixture
        (a whole table in ``lang``) whose codes the request selects, the header naming the
        requested variables. A request for another selection of variables, or a code selection
        the server cannot read, is answered with DST's error shape."""
        self._tables[table.upper()] = (fixture_bytes("statbank", fixture), lang)
        if not self._data_handler:
            self._data_handler = True
            self.server.expect_request("/v1/data", method="POST").respond_with_handler(self._answer_data)

    def _answer_data(self, request):
        from werkzeug import Response

        def refuse(message):
            body = json.dumps({"errorTypeCode": "EXTRACT-NOTFOUND", "message": message}, ensure_ascii=False)
            return Response(body, status=400, content_type="application/json; charset=utf-8")

        ask = json.loads(request.data)
        if ask.get("table", "").upper() not in self._tables:
            return refuse(f"Tabel findes ikke: {ask.get('table')}")
        raw, lang = self._tables[ask["table"].upper()]
        if ask.get("lang") != lang:
            return refuse(f"(test server) this fixture is in lang={lang}")
        text = raw.decode("utf-8-sig")
        header, *rows = [line for line in text.split("\r\n") if line]
        names = header.split(";")
        wanted = {v["code"].upper(): v["values"] for v in ask["variables"]}
        if sorted(wanted) != sorted(names[:-1]):
            return refuse(f"(test server) the fixture has {names[:-1]}, the request asks {sorted(wanted)}")
        kept = [r for r in rows if all(vals == ["*"] or f in vals for f, vals in
                                       zip(r.split(";")[:-1], (wanted[n] for n in names[:-1]), strict=True))]
        body = "\ufeff" + "".join(f"{line}\r\n" for line in [header, *kept])
        return Response(body.encode("utf-8"), content_type="text/csv; charset=utf-8",
                        headers={"StatbankAPI-Request-Id": "00000000-0000-4000-8000-000000000002"})

    def error(self, function: str, fixture: str, *, status: int = 400, ordered: bool = False, match: dict | None = None):
        kwargs = {"method": "POST"}
        if match is not None:
            kwargs["json"] = match
        # one-shot handlers are used once each, in the order registered
        expect = self.server.expect_oneshot_request if ordered else self.server.expect_request
        expect(f"/v1/{function}", **kwargs).respond_with_data(
            fixture_bytes("statbank", fixture), status=status, content_type="application/json; charset=utf-8"
        )

    def data_requests(self) -> list[dict]:
        return [json.loads(req.data) for req, _ in self.server.log if req.path == "/v1/data"]


@pytest.fixture
def statbank(httpserver, monkeypatch):
    monkeypatch.setenv("UDSATTESTAT_STATBANK_URL", httpserver.url_for("/v1"))
    # No real waiting in retry tests.
    monkeypatch.setattr("udsattestat.net.http.time.sleep", lambda s: None)
    return FakeStatbank(httpserver)


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def cli():
    from udsattestat.cli import main

    return main


@pytest.fixture
def datasets_copy(tmp_path, monkeypatch):
    """A writable copy of the bundled datasets, selected via $UDSATTESTAT_DATASETS_DIR."""
    target = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", target)
    monkeypatch.setenv("UDSATTESTAT_DATASETS_DIR", str(target))
    return target


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    # Never write into the developer's ./data or user cache during tests.
    monkeypatch.setenv("UDSATTESTAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UDSATTESTAT_CACHE_DIR", str(tmp_path / "cache"))
    # Nor search another test's datasets: the search path (--datasets, a recipe's folder) starts afresh.
    from udsattestat.searchpath import choose

    choose(None)


@pytest.fixture
def cache_root(tmp_path):
    """Where this test's raw snapshots go ($UDSATTESTAT_CACHE_DIR, set for every test)."""
    return tmp_path / "cache"
