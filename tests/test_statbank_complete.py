"""``--complete``: the combinations a BULK response left out are restored from a bitmap over
the selection — exactly the complement of what arrived, whatever the order, blocks, or
codes outside the selection; the same with one bit per cell."""

from __future__ import annotations

import json
from itertools import product

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_statbank_parse import ctx_for, info_with

from udsattestat.statbank import body as body_reader
from udsattestat.statbank import complete as bitmap
from udsattestat.statbank.body import ParseError, check_header
from udsattestat.statbank.stream import write_tidy

CODES = ["1", "2", "3", "4"]
TIMES = ["2023", "2024", "2025K1"]
CELLS = list(product(CODES, TIMES))


def complete(tmp_path, present, *, monkeypatch=None, packed=False, order=None):
    if packed:
        monkeypatch.setattr(bitmap, "PACKED_ABOVE", 0)
    monkeypatch.setattr(body_reader, "BLOCK_SIZE", 64)  # many small batches
    info = info_with(CODES, TIMES)
    rows = [CELLS[i] for i in (order or sorted(present))]
    body = "KØN;TID;INDHOLD\r\n" + "".join(f"{k};{t};{i},5\r\n" for i, (k, t) in enumerate(rows))
    path = tmp_path / "bulk.csv"
    path.write_bytes(body.encode())
    out = tmp_path / "out.parquet"
    header = check_header(path, ["KØN", "TID", "INDHOLD"])
    stats = write_tidy(path, ctx_for(info, "da"), header, out, finish_metadata=lambda s: json.dumps({}).encode(),
                       complete_codes={"KØN": CODES, "Tid": TIMES})
    return stats, pl.read_parquet(out)


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(0, len(CELLS) - 1)), st.booleans(), st.randoms(use_true_random=False))
def test_restored_rows_are_exactly_the_left_out_combinations(tmp_path_factory, monkeypatch_session, present, packed, rnd):
    tmp = tmp_path_factory.mktemp("complete")
    order = sorted(present)
    rnd.shuffle(order)  # a response in any order
    with monkeypatch_session.context() as mp:
        stats, frame = complete(tmp, present, monkeypatch=mp, packed=packed, order=order)
    omitted = frame.filter(pl.col("status") == "omitted")
    assert sorted(omitted.select("køn", "period").rows()) == sorted(CELLS[i] for i in set(range(len(CELLS))) - present)
    assert stats.omitted == len(CELLS) - len(present) and stats.rows == len(present)
    assert omitted["value"].null_count() == omitted.height
    assert frame.height == len(CELLS)
    assert frame.select("køn", "period").unique().height == len(CELLS)  # nothing twice


@pytest.fixture(scope="session")
def monkeypatch_session():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_a_selection_of_millions_of_cells_is_a_bitmap_of_megabytes():
    import numpy as np
    import pyarrow as pa

    from udsattestat.statbank.tableinfo import Variable

    # tableinfo lists one more code of A than is selected: positions are mapped to the selection
    a = Variable("A", "a", True, False, tuple((str(i), str(i)) for i in range(2001)))
    tid = Variable("Tid", "tid", False, True, tuple((str(2000 + i), str(2000 + i)) for i in range(10_000)))
    info = info_with(CODES, TIMES)
    info.variables = [a, tid]
    seen = bitmap.Seen({"A": [str(i) for i in range(1, 2001)], "Tid": [str(2000 + i) for i in range(10_000)]},
                   ["A", "TID", "INDHOLD"], ctx_for(info, "da"))
    assert seen.total == 20_000_000 and seen.bits.nbytes == 20_000_000  # one byte a cell, however many rows
    # rows: A=1/Tid=2000, A=2000/Tid=11999, and A=0 (not selected: sets nothing)
    seen.add({"A": pa.array(np.array([1, 2000, 0], dtype=np.int16)), "TID": pa.array(np.array([0, 9999, 0], dtype=np.int16))})
    assert int(seen.bits.sum()) == 2
    first = next(seen.missing(chunk=5))
    assert list(first["A"]) == [1] * 5  # tableinfo positions of the left-out combinations
    assert list(first["TID"]) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("body", ["KØN;TID;INDHOLD\r\n1;2023;1\r\n1;2024;2\r\n1;2023;3\r\n",  # within one batch
                                  "KØN;TID;INDHOLD\r\n2;2024;1\r\n1;2023;2\r\n2;2024;3\r\n"])  # out of order
def test_complete_refuses_a_row_that_comes_twice(tmp_path, body):
    info = info_with(CODES, TIMES)
    path = tmp_path / "bulk.csv"
    path.write_bytes(body.encode())
    header = check_header(path, ["KØN", "TID", "INDHOLD"])
    with pytest.raises(ParseError, match="the row KØN=.*, TID=.* more than once"):
        write_tidy(path, ctx_for(info, "da"), header, tmp_path / "o.parquet", finish_metadata=lambda s: b"{}",
                   complete_codes={"KØN": CODES, "Tid": TIMES})
    assert not (tmp_path / "o.parquet").exists()
