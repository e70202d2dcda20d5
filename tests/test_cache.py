"""Snapshots you can trust, in a cache where caches go: every replay checks the sha256 in
the record, read-only commands write nothing into the current directory, and
``udsattestat cache list|verify|clear`` shows and tends the cache."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner
from jsonschemas import checked

from udsattestat.cli import main
from udsattestat.errors import SnapshotError
from udsattestat.net import HttpClient, Request, SnapshotStore
from udsattestat.net.cache import cache_dir

QUERY = {"table": "T1", "format": "CSV"}


def client():
    return HttpClient(retries=0, backoff=0, sleep=lambda s: None, timeout=(2, 5))


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def stored(httpserver, cache_root):
    httpserver.expect_request("/d").respond_with_data(b"a;1\r\n", content_type="text/csv")
    store = SnapshotStore(None, "statbank")
    req = Request("GET", httpserver.url_for("/d"))
    snap, _ = store.fetch("T1", QUERY, req, client())
    return store, req, snap


def test_the_cache_is_the_user_cache_dir_unless_overridden(monkeypatch, tmp_path):
    monkeypatch.delenv("UDSATTESTAT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and not os.uname().sysname == "Darwin":
        assert cache_dir() == tmp_path / "xdg" / "udsattestat"
    monkeypatch.setenv("UDSATTESTAT_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    assert SnapshotStore(None, "eurostat").root == tmp_path / "mine" / "raw" / "eurostat"


def test_snapshot_lands_in_the_cache_with_the_records_file_mode(stored, cache_root):
    _, _, snap = stored
    assert snap.path.is_relative_to(cache_root / "raw" / "statbank")
    assert stat.S_IMODE(snap.path.stat().st_mode) == stat.S_IMODE(snap.record_path.stat().st_mode)


@pytest.mark.parametrize("damage", ["bytes", "missing"])
def test_offline_replay_of_a_changed_snapshot_is_an_error_naming_the_file(stored, damage):
    store, req, snap = stored
    if damage == "bytes":
        snap.path.write_bytes(b"a;9\r\n")  # same size, other numbers
    else:
        snap.path.unlink()
    with pytest.raises(SnapshotError) as exc:
        store.fetch("T1", QUERY, req, None, offline=True)
    assert str(snap.path) in str(exc.value) and exc.value.path == str(snap.path)
    assert "--refresh" in str(exc.value)


def test_reuse_also_verifies_and_refresh_recovers(stored, httpserver):
    store, req, snap = stored
    snap.path.write_bytes(b"a;9\r\n")
    with pytest.raises(SnapshotError, match="does not match the sha256 in its record"):
        store.fetch("T1", QUERY, req, client(), reuse=lambda s: True)
    fresh, reused = store.fetch("T1", QUERY, req, client(), refresh=True, reuse=lambda s: True)
    # identical bytes again, but the damaged file is not what the new record points to
    assert not reused and fresh.path != snap.path and fresh.read_bytes() == b"a;1\r\n"
    again, reused = store.fetch("T1", QUERY, req, None, offline=True)
    assert reused and again.read_bytes() == b"a;1\r\n"


def test_damaged_record_is_an_error_not_an_older_snapshot(stored):
    store, req, snap = stored
    snap.record_path.write_text("{not json")
    with pytest.raises(SnapshotError, match="record .* is damaged"):
        store.fetch("T1", QUERY, req, None, offline=True)


def test_cache_list_verify_clear(stored, cache_root):
    _, _, snap = stored
    res = run("cache", "list")
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == f"Cache: {cache_root}"
    assert "statbank  T1" in res.output and "5 B" in res.output and "1 snapshot(s)" in res.output
    doc = checked("cache-list", run("cache", "list", "--json").output)
    assert doc["snapshots"][0]["file"] == str(snap.path.relative_to(cache_root)) and doc["snapshots"][0]["ok"]
    res = run("cache", "verify")
    assert res.exit_code == 0 and "1 of 1 snapshot(s) match their sha256." in res.output
    snap.path.write_bytes(b"a;9\r\n")
    res = run("cache", "verify")
    assert res.exit_code == 1
    assert f"damaged: raw snapshot {snap.path} does not match" in res.output
    assert "Error: 1 damaged snapshot(s)" in res.output and "Traceback" not in res.output
    assert "DAMAGED" in run("cache", "list").output
    assert run("cache", "list", "--provider", "eurostat").output.endswith("No snapshots.\n")
    res = run("cache", "clear", "--provider", "eurostat")
    assert res.exit_code == 0 and snap.path.exists()
    res = run("cache", "clear")
    assert res.exit_code == 0 and "Removed 2 file(s)" in res.output
    assert not snap.path.exists()
    assert run("cache", "list").output.endswith("No snapshots.\n")


def test_read_only_commands_write_nothing_into_the_current_directory(statbank, tmp_path, monkeypatch, cache_root):
    monkeypatch.delenv("UDSATTESTAT_DATA_DIR")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    statbank.tableinfo("FOLK1A", "da")
    statbank.tableinfo("FOLK1A", "en")
    res = run("statbank", "info", "FOLK1A")
    assert res.exit_code == 0, res.output
    res = run("statbank", "fetch", "FOLK1A", "--var", "Tid=2025K1", "--dry-run", "--out", "x.parquet")
    assert res.exit_code == 0, res.output
    assert list(work.iterdir()) == []
    assert list((cache_root / "raw" / "statbank" / "FOLK1A").rglob("*.json"))
