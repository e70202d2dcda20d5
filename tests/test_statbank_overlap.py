"""A BULK body is parsed while it downloads, against a loopback server that holds the second
half of the body back until the parser has tidied rows from the first: the overlap shown,
not assumed. And every guarantee of a parse-after-download still holds: the same Parquet,
the raw bytes kept as fetched with their sha256, nothing kept of a body that is cut short
(retried) or damaged (typed error), the output written atomically or not at all."""

from __future__ import annotations

import gzip
import hashlib
import threading

import polars as pl
import pytest
from werkzeug import Response

from udsattestat.errors import FetchError
from udsattestat.statbank import body, stream
from udsattestat.statbank.body import ParseError
from udsattestat.statbank.fetch import fetch_table
from udsattestat.statbank.followed import FollowedTidy
from udsattestat.statbank.tidy import Tidier

AREAS = [f"{i:03d}" for i in range(100, 400)]
SEXES = ["1", "2", "TOT"]
TIMES = [f"{2000 + i // 4}K{i % 4 + 1}" for i in range(40)]


def tableinfo() -> dict:
    """SYNTHETIC: a FOLK1A-like table big enough for a body of several 64 KiB chunks."""
    return {
        "id": "FOLK1A", "text": "Befolkningen (syntetisk)", "description": "", "unit": "Antal",
        "suppressedDataValue": "0", "updated": "2025-08-11T08:00:00", "active": True,
        "variables": [
            {"id": "OMRÅDE", "text": "område", "elimination": True, "time": False, "map": "Denmark_municipality_07",
             "values": [{"id": a, "text": f"Område {a}"} for a in AREAS]},
            {"id": "KØN", "text": "køn", "elimination": True, "time": False,
             "values": [{"id": s, "text": f"køn {s}"} for s in SEXES]},
            {"id": "Tid", "text": "tid", "elimination": False, "time": True,
             "values": [{"id": t, "text": t} for t in TIMES]},
        ],
    }


def bulk_body(*, gap: int = 11, bad_row: int | None = None) -> bytes:
    """Every combination but every ``gap``-th (BULK leaves out empty cells), in storage order."""
    lines = ["OMRÅDE;KØN;TID;INDHOLD"]
    i = 0
    for a in AREAS:
        for s in SEXES:
            for t in TIMES:
                i += 1
                if i % gap == 0:
                    continue
                value = "12x5" if i == bad_row else ("..") if i % 97 == 0 else f"{i % 5000},5"
                lines.append(f"{a};{s};{t};{value}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


SELECTION = {"OMRÅDE": ["*"], "KØN": ["*"], "Tid": ["*"]}


@pytest.fixture
def small_batches(monkeypatch):
    # Small blocks and tidy batches, so the first half of the body gives batches to tidy.
    monkeypatch.setattr(body, "BLOCK_SIZE", 1 << 14)
    monkeypatch.setattr(stream, "TIDY_ROWS", 500)


def fetch(tmp_path, out="out.parquet", **kw):
    return fetch_table("FOLK1A", SELECTION, lang="da", data_dir=tmp_path / "data", out=tmp_path / out,
                       force_format="BULK", **kw)


def tidied_rows_signal(monkeypatch) -> threading.Event:
    """Set when the tidier has turned downloaded rows into a tidy batch."""
    tidied = threading.Event()
    real = Tidier.tidy

    def tidy(self, batch, status=None, indices=None):
        out = real(self, batch, status, indices)
        if status is None:
            tidied.set()
        return out

    monkeypatch.setattr(Tidier, "tidy", tidy)
    return tidied


def held_back(body: bytes, tidied: threading.Event, record: dict):
    """A handler that sends the first half, then waits (at most 20 s) for the parser before the rest."""
    def handler(request):
        def stream():
            half = len(body) // 2
            yield body[:half]
            record["tidied_before_the_end"] = tidied.wait(20)
            yield body[half:]

        return Response(stream(), status=200, content_type="text/csv; charset=utf-8",
                        headers={"StatbankAPI-Request-Id": "overlap-1"})

    return handler


def test_parsing_begins_before_the_body_has_arrived(statbank, tmp_path, monkeypatch, small_batches, cache_root):
    statbank.tableinfo("FOLK1A", body=tableinfo())
    body = bulk_body()
    assert len(body) > 8 * (1 << 16)  # several of the client's 64 KiB chunks in each half
    tidied = tidied_rows_signal(monkeypatch)
    record: dict = {}
    statbank.server.expect_oneshot_request("/v1/data", method="POST").respond_with_handler(
        held_back(body, tidied, record))
    result = fetch(tmp_path, complete=True)
    assert record["tidied_before_the_end"] is True  # rows were tidied while half the body was still to come

    # the raw bytes kept exactly as fetched, with their sha256
    snap = result.snapshot
    assert snap.path.read_bytes() == body and snap.sha256 == hashlib.sha256(body).hexdigest()
    # and the same Parquet as parsing the finished file (the replay path parses after)
    overlapped = pl.read_parquet(tmp_path / "out.parquet")
    replayed = fetch_table("FOLK1A", SELECTION, lang="da", data_dir=tmp_path / "data", out=tmp_path / "replay.parquet",
                           force_format="BULK", complete=True, offline=True)
    assert not replayed.reused or replayed.snapshot.sha256 == snap.sha256
    assert overlapped.equals(pl.read_parquet(tmp_path / "replay.parquet"))
    assert overlapped.height == len(AREAS) * len(SEXES) * len(TIMES)
    assert result.stats.omitted == overlapped.filter(pl.col("status") == "omitted").height > 0
    from udsattestat.store import read_parquet

    _, prov = read_parquet(tmp_path / "out.parquet")
    assert snap.sha256 in prov.raw_sha256.values()  # the provenance names the saved snapshot
    assert prov.extra["rows"]["omitted"] == result.stats.omitted


def test_overlap_and_parse_after_give_the_same_table(statbank, tmp_path, small_batches):
    statbank.tableinfo("FOLK1A", body=tableinfo())
    statbank.data(bulk_body())
    a = fetch(tmp_path, "a.parquet", refresh=True)
    b = fetch(tmp_path, "b.parquet", refresh=True, overlap=False)
    assert pl.read_parquet(tmp_path / "a.parquet").equals(pl.read_parquet(tmp_path / "b.parquet"))
    assert a.stats == b.stats


def test_a_body_cut_short_is_retried_and_nothing_of_it_is_kept(statbank, tmp_path, monkeypatch, small_batches):
    statbank.tableinfo("FOLK1A", body=tableinfo())
    body = bulk_body()
    started = []
    real_begin = FollowedTidy.begin
    monkeypatch.setattr(FollowedTidy, "begin", lambda self, path: started.append(path) or real_begin(self, path))

    def cut(request):
        def stream():
            yield body[: len(body) // 2]  # then the connection ends, well short of Content-Length

        return Response(stream(), status=200, content_type="text/csv; charset=utf-8",
                        headers={"Content-Length": str(len(body))})

    statbank.server.expect_oneshot_request("/v1/data", method="POST").respond_with_handler(cut)
    statbank.data(body, ordered=True)
    result = fetch(tmp_path)
    assert len(started) == 2  # a parser per attempt; the first one's work was thrown away
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert frame.height == body.count(b"\r\n") - 1 == result.stats.rows
    assert frame.select("geo", "køn", "period").unique().height == frame.height  # nothing twice
    assert result.snapshot.path.read_bytes() == body
    assert not [t for t in threading.enumerate() if t.name == "body-parser"]


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_body_that_does_not_decode_is_a_typed_error_and_writes_nothing(statbank, tmp_path, small_batches, encoding):
    statbank.tableinfo("FOLK1A", body=tableinfo())
    good = gzip.compress(bulk_body())
    damaged = good[: len(good) // 2] + bytes(1000) + good[len(good) // 2 + 1000:]
    statbank.server.expect_request("/v1/data", method="POST").respond_with_data(
        damaged if encoding == "gzip" else b"not deflate at all" * 1000, content_type="text/csv; charset=utf-8",
        headers={"Content-Encoding": encoding})
    with pytest.raises(FetchError, match=f"Content-Encoding: {encoding}.*does not decode"):
        fetch(tmp_path)
    assert not (tmp_path / "out.parquet").exists()
    assert [p.name for p in tmp_path.iterdir() if "out" in p.name] == []  # no temporary left either
    assert not [t for t in threading.enumerate() if t.name == "body-parser"]


def test_a_damaged_row_after_the_first_half_is_an_error_and_the_old_output_stays(statbank, tmp_path, small_batches):
    statbank.tableinfo("FOLK1A", body=tableinfo())
    (tmp_path / "out.parquet").write_bytes(b"the previous good file")
    body = bulk_body(bad_row=30_000)
    statbank.data(body)
    with pytest.raises(ParseError, match="'12x5' in INDHOLD is not a number"):
        fetch(tmp_path)
    assert (tmp_path / "out.parquet").read_bytes() == b"the previous good file"


def test_a_header_that_does_not_match_is_refused_while_downloading(statbank, tmp_path, small_batches):
    statbank.tableinfo("FOLK1A", body=tableinfo())
    statbank.data(bulk_body().replace(b"OMR\xc3\x85DE;K\xc3\x98N", b"K\xc3\x98N;OMR\xc3\x85DE;EXTRA", 1))
    with pytest.raises(ParseError, match="refusing it rather than guessing"):
        fetch(tmp_path)
    assert not (tmp_path / "out.parquet").exists()


def test_the_parser_has_let_go_of_the_file_before_the_snapshot_is_moved(statbank, tmp_path, monkeypatch, small_batches):
    # Windows cannot rename a file that is open: the parser must be done with it by then.
    import os

    from udsattestat.net.snapshots import SnapshotStore

    statbank.tableinfo("FOLK1A", body=tableinfo())
    statbank.data(bulk_body())
    open_at_save = []
    real_save = SnapshotStore.save

    def save(self, label, query, download, **kw):
        fds = os.listdir("/proc/self/fd")
        targets = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in fds if os.path.exists(f"/proc/self/fd/{fd}")}
        open_at_save.append(str(download.path.resolve()) in targets)
        return real_save(self, label, query, download, **kw)

    monkeypatch.setattr(SnapshotStore, "save", save)
    result = fetch(tmp_path)
    assert len(open_at_save) == 2 and not any(open_at_save)  # tableinfo, then the data
    assert result.stats.rows == bulk_body().count(b"\r\n") - 1
