"""The raw snapshot store: bytes kept as fetched, records, reuse, offline replay, no clobbering."""

from __future__ import annotations

import hashlib
import json

import pytest

from udsattestat.errors import FetchError, OfflineError
from udsattestat.net import HttpClient, Request, SnapshotStore, query_key


def client():
    return HttpClient(retries=1, backoff=0, sleep=lambda s: None, timeout=(2, 5))


QUERY = {"table": "TEST1", "format": "CSV", "lang": "da"}


def test_query_key_is_stable_and_order_free():
    assert query_key({"a": 1, "b": [1, 2]}) == query_key({"b": [1, 2], "a": 1})
    assert query_key({"a": 1}) != query_key({"a": 2})
    assert len(query_key(QUERY)) == 16


def test_fetch_keeps_bytes_and_record(httpserver, tmp_path):
    body = b"\xef\xbb\xbfOMR\xc3\x85DE;INDHOLD\r\n000;1,5\r\n"
    httpserver.expect_request("/v1/data", method="POST").respond_with_data(
        body, content_type="text/csv; charset=utf-8", headers={"StatbankAPI-Request-Id": "1b4e28ba-2fa1"}
    )
    store = SnapshotStore(tmp_path, "statbank")
    req = Request("POST", httpserver.url_for("/v1/data"), json=QUERY)
    snap, reused = store.fetch("TEST1", QUERY, req, client(), source="test", metadata={"updated": "2025-01-01T08:00:00"}, suffix=".csv")
    assert not reused
    assert snap.path.read_bytes() == body  # BOM and CRLF kept exactly
    assert snap.path.parent == tmp_path / "raw" / "statbank" / "TEST1" / query_key(QUERY)
    rec = json.loads(snap.record_path.read_text())
    assert rec["sha256"] == hashlib.sha256(body).hexdigest()
    assert rec["request"] == {"method": "POST", "url": req.url, "body": QUERY, "params": None}
    assert rec["response"]["status"] == 200
    assert snap.header("statbankapi-request-id") == "1b4e28ba-2fa1"
    assert rec["metadata"] == {"updated": "2025-01-01T08:00:00"}
    assert rec["source"] == "test" and rec["retrieved"].endswith("Z")
    assert not list(snap.folder.glob(".download.*"))


def test_reuse_hook_decides_and_refresh_forces(httpserver, tmp_path):
    httpserver.expect_request("/d").respond_with_data(b"a;1\r\n", content_type="text/csv")
    store = SnapshotStore(tmp_path, "p")
    req = Request("GET", httpserver.url_for("/d"))
    first, _ = store.fetch("T", QUERY, req, client(), metadata={"updated": "1"})
    again, reused = store.fetch("T", QUERY, req, client(), reuse=lambda s: s.metadata["updated"] == "1")
    assert reused and again.record == first.record
    assert len(httpserver.log) == 1
    fresh, reused = store.fetch("T", QUERY, req, client(), refresh=True, reuse=lambda s: True)
    assert not reused and len(httpserver.log) == 2
    # identical bytes: one data file, two records (both retrievals are on file)
    assert fresh.record["file"] == first.record["file"]
    assert len(store.history("T", QUERY)) == 2


def test_new_bytes_make_a_new_snapshot_and_keep_the_old(httpserver, tmp_path):
    httpserver.expect_ordered_request("/d").respond_with_data(b"a;1\r\n", content_type="text/csv")
    httpserver.expect_ordered_request("/d").respond_with_data(b"a;2\r\n", content_type="text/csv")
    store = SnapshotStore(tmp_path, "p")
    req = Request("GET", httpserver.url_for("/d"))
    old, _ = store.fetch("T", QUERY, req, client())
    new, _ = store.fetch("T", QUERY, req, client(), refresh=True)
    assert old.path.read_bytes() == b"a;1\r\n" and new.path.read_bytes() == b"a;2\r\n"
    assert store.latest("T", QUERY).record == new.record


def test_failed_fetch_never_replaces_a_good_snapshot(httpserver, tmp_path):
    httpserver.expect_ordered_request("/d").respond_with_data(b"a;1\r\n", content_type="text/csv")
    httpserver.expect_ordered_request("/d").respond_with_data(b"", content_type="text/csv")
    store = SnapshotStore(tmp_path, "p")
    req = Request("GET", httpserver.url_for("/d"))
    good, _ = store.fetch("T", QUERY, req, client())
    with pytest.raises(FetchError, match="empty body"):
        store.fetch("T", QUERY, req, client(), refresh=True)
    assert store.latest("T", QUERY).record == good.record
    assert sorted(p.name for p in good.folder.iterdir()) == sorted([good.path.name, good.record_path.name])


def test_validate_hook_refuses_a_body(httpserver, tmp_path):
    httpserver.expect_request("/d").respond_with_data(b"wrong;header\r\n", content_type="text/csv")
    store = SnapshotStore(tmp_path, "p")

    def validate(path):
        raise FetchError("header does not match the request")

    with pytest.raises(FetchError, match="header does not match"):
        store.fetch("T", QUERY, Request("GET", httpserver.url_for("/d")), client(), validate=validate)
    assert store.latest("T", QUERY) is None
    assert not list(store.folder("T", QUERY).iterdir())


def test_offline_replays_without_network_and_says_when_nothing_is_there(httpserver, tmp_path):
    httpserver.expect_request("/d").respond_with_data(b"a;1\r\n", content_type="text/csv")
    store = SnapshotStore(tmp_path, "p")
    req = Request("GET", httpserver.url_for("/d"))
    with pytest.raises(OfflineError, match="--offline: no snapshot of T for this query .*run once without --offline"):
        store.fetch("T", QUERY, req, None, offline=True)
    store.fetch("T", QUERY, req, client())
    snap, reused = store.fetch("T", QUERY, req, None, offline=True)
    assert reused and snap.read_bytes() == b"a;1\r\n"
    assert len(httpserver.log) == 1


def test_damaged_snapshot_is_skipped(httpserver, tmp_path):
    httpserver.expect_ordered_request("/d").respond_with_data(b"a;1\r\n", content_type="text/csv")
    httpserver.expect_ordered_request("/d").respond_with_data(b"a;22\r\n", content_type="text/csv")
    store = SnapshotStore(tmp_path, "p")
    req = Request("GET", httpserver.url_for("/d"))
    old, _ = store.fetch("T", QUERY, req, client())
    new, _ = store.fetch("T", QUERY, req, client(), refresh=True)
    new.path.write_bytes(b"a;")  # cut short on disk
    assert store.latest("T", QUERY).record == old.record
    new.path.write_bytes(b"a;33\r\n")  # same size, different bytes: only verify catches it
    assert store.latest("T", QUERY).record == new.record
    assert store.latest("T", QUERY, verify=True).record == old.record
