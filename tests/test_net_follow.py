"""GrowingFile: whatever the writer's chunks and the reader's read sizes, the reader gets
exactly the bytes written, in order, and never a partial body as if it were whole."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from udsattestat.net.follow import BodyAbandoned, GrowingFile


def write_in_chunks(path, data: bytes, cuts: list[int], grow: GrowingFile, *, abandon_at: int | None = None):
    with open(path, "wb") as out:
        done = 0
        ends = [*cuts, len(data)] if abandon_at is None else [c for c in cuts if c < abandon_at] + [abandon_at]
        for cut in sorted(set(ends)):
            out.write(data[done:cut])
            out.flush()
            done = max(done, cut)
            grow.grew(done)
        if abandon_at is None:
            grow.complete()
        else:
            grow.abandon()  # short of the whole body: the reader must not take it as whole


def read_all(grow: GrowingFile, sizes: list[int]) -> bytes:
    got = bytearray()
    i = 0
    while True:
        chunk = grow.read(sizes[i % len(sizes)])
        i += 1
        if not chunk:
            return bytes(got)
        got += chunk


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=5000), st.lists(st.integers(0, 5000), max_size=20), st.lists(st.integers(1, 700), min_size=1,
                                                                                        max_size=5))
def test_the_reader_gets_exactly_what_was_written(tmp_path_factory, data, cuts, sizes):
    path = tmp_path_factory.mktemp("grow") / "body"
    path.write_bytes(b"")
    grow = GrowingFile(path)
    cuts = [min(c, len(data)) for c in cuts]
    writer = threading.Thread(target=write_in_chunks, args=(path, data, cuts, grow))
    writer.start()
    try:
        assert read_all(grow, sizes) == data
    finally:
        writer.join()
        grow.close()


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=3000), st.lists(st.integers(0, 3000), max_size=10), st.integers(0, 3000))
def test_an_abandoned_body_is_never_read_as_whole(tmp_path_factory, data, cuts, abandon_at):
    path = tmp_path_factory.mktemp("grow") / "body"
    path.write_bytes(b"")
    grow = GrowingFile(path)
    cuts = [min(c, len(data)) for c in cuts]
    abandon_at = min(abandon_at, len(data) - 1)
    writer = threading.Thread(target=write_in_chunks, args=(path, data, cuts, grow), kwargs={"abandon_at": abandon_at})
    writer.start()
    try:
        with pytest.raises(BodyAbandoned):
            read_all(grow, [97])
    finally:
        writer.join()
        grow.close()


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="ABØÅ;\r", max_size=80), st.binary(max_size=200), st.lists(st.integers(0, 300), max_size=8))
def test_the_first_line_waits_for_its_end(tmp_path_factory, head, rest, cuts):
    data = head.encode("utf-8") + b"\n" + rest
    path = tmp_path_factory.mktemp("grow") / "body"
    path.write_bytes(b"")
    grow = GrowingFile(path)
    writer = threading.Thread(target=write_in_chunks, args=(path, data, [min(c, len(data)) for c in cuts], grow))
    writer.start()
    try:
        assert grow.first_line() == head.encode("utf-8") + b"\n"
        assert read_all(grow, [64]) == data  # first_line does not move the position
    finally:
        writer.join()
        grow.close()
