"""Reading CSV/BULK bytes: numbers by language, BOM, CRLF, æ/ø/å headers, '..', time codes."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest
from conftest import fixture_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from udsattestat.periods import parse_period
from udsattestat.statbank.body import ParseError, check_header, read_header
from udsattestat.statbank.tableinfo import TableInfo, Variable
from udsattestat.statbank.tidy import TidyContext, read_tidy


def info_with(values: list[str], times: list[str]) -> TableInfo:
    return TableInfo(
        id="SYNTH", text="synthetic", description="", unit="Antal", updated="2025-01-01T08:00:00",
        suppressed_value="0",
        variables=[Variable("KØN", "køn", True, False, tuple((v, f"label {v}") for v in values)),
                   Variable("Tid", "tid", False, True, tuple((t, t) for t in times))],
    )


def ctx_for(info: TableInfo, lang: str) -> TidyContext:
    return TidyContext(info=info, variables=info.variables, lang=lang, indicator="SYNTH", unit="Antal",
                       source="statbank-synth", source_locator="x", vintage=info.updated, vintage_date="2025-01-01",
                       geo_default=("DK", "Denmark"))


def parse(tmp_path, text: str, lang: str, info: TableInfo, bom: bool = True):
    path = tmp_path / "body.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    header = check_header(path, ["KØN", "TID", "INDHOLD"])
    return pl.from_arrow(read_tidy(path, ctx_for(info, lang), header))  # a pyarrow table: no polars on the CLI path


def test_header_bom_crlf_and_danish_letters(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(fixture_bytes("statbank", "folk1a_data_da.csv"))
    assert read_header(path) == ["OMRÅDE", "TID", "INDHOLD"]
    path.write_bytes(fixture_bytes("statbank", "folk1a_bulk_da.csv"))  # BULK: no BOM
    assert read_header(path) == ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "TID", "INDHOLD"]


def test_header_must_match_request(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes("KØN;TID;ANTAL\r\n".encode())
    with pytest.raises(ParseError, match="refusing it rather than guessing"):
        check_header(path, ["KØN", "TID", "INDHOLD"])


def test_codes_keep_leading_zeros_and_labels_join_by_code(tmp_path):
    info = info_with(["01", "1"], ["2025"])
    frame = parse(tmp_path, "KØN;TID;INDHOLD\r\n01;2025;1\r\n1;2025;2\r\n", "da", info)
    assert frame.select("køn", "køn_label").rows() == [("01", "label 01"), ("1", "label 1")]


def test_unknown_code_in_response_is_an_error(tmp_path):
    info = info_with(["1"], ["2025"])
    with pytest.raises(ParseError, match="code '9' for KØN, which tableinfo for SYNTH does not list"):
        parse(tmp_path, "KØN;TID;INDHOLD\r\n9;2025;1\r\n", "da", info)


def test_suppressed_and_empty_values(tmp_path):
    info = info_with(["1"], ["2015", "2016", "2017"])
    frame = parse(tmp_path, "KØN;TID;INDHOLD\r\n1;2015;..\r\n1;2016;\r\n1;2017;0\r\n", "da", info)
    assert frame["value"].to_list() == [None, None, 0.0]
    assert frame["status"].to_list() == ["suppressed", "suppressed", "published"]


def test_damaged_row_is_an_error(tmp_path):
    info = info_with(["1"], ["2015"])
    with pytest.raises(ParseError, match="a row has 2 fields where the header has 3"):
        parse(tmp_path, "KØN;TID;INDHOLD\r\n1;2015\r\n", "da", info)


def test_text_values_are_an_error(tmp_path):
    info = info_with(["1"], ["2015"])
    with pytest.raises(ParseError, match="'høj' in INDHOLD is not a number"):
        parse(tmp_path, "KØN;TID;INDHOLD\r\n1;2015;høj\r\n", "da", info)


numbers = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 3))


@settings(max_examples=60, deadline=None)
@given(st.lists(numbers, min_size=1, max_size=20), st.sampled_from(["da", "en"]))
def test_numbers_round_trip_by_language(tmp_path_factory, values, lang):
    tmp = tmp_path_factory.mktemp("num")
    times = [str(2000 + i) for i in range(len(values))]
    info = info_with(["1"], times)
    mark = "," if lang == "da" else "."
    lines = [f"1;{t};{repr(float(v)).replace('.', mark)}" for t, v in zip(times, values, strict=True)]
    frame = parse(tmp, "KØN;TID;INDHOLD\r\n" + "\r\n".join(lines) + "\r\n", lang, info)
    assert frame["value"].to_list() == [float(v) for v in values]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_the_other_decimal_mark_is_refused_never_misread(tmp_path_factory, whole, frac):
    tmp = tmp_path_factory.mktemp("mark")
    info = info_with(["1"], ["2020"])
    for lang, wrong in (("da", "."), ("en", ",")):
        with pytest.raises(ParseError, match="is not a number written with"):
            parse(tmp, f"KØN;TID;INDHOLD\r\n1;2020;{whole}{wrong}{frac:02d}\r\n", lang, info)


time_codes = st.one_of(
    st.integers(1900, 2100).map(str),
    st.tuples(st.integers(1900, 2100), st.integers(1, 2)).map(lambda t: f"{t[0]}H{t[1]}"),
    st.tuples(st.integers(1900, 2100), st.integers(1, 4), st.sampled_from("KQ")).map(lambda t: f"{t[0]}{t[2]}{t[1]}"),
    st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]}M{t[1]:02d}"),
    st.tuples(st.integers(1900, 2100), st.integers(1, 52)).map(lambda t: f"{t[0]}U{t[1]:02d}"),
    st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(lambda d: f"{d.year}M{d.month:02d}D{d.day:02d}"),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(time_codes, min_size=1, max_size=8, unique=True))
def test_every_time_code_becomes_period_freq_start_end(tmp_path_factory, codes):
    tmp = tmp_path_factory.mktemp("time")
    info = info_with(["1"], codes)
    body = "KØN;TID;INDHOLD\r\n" + "".join(f"1;{c};1\r\n" for c in codes)
    frame = parse(tmp, body, "da", info, bom=False)
    assert frame["period"].to_list() == codes
    for row in frame.iter_rows(named=True):
        p = parse_period(row["period"])
        assert (row["freq"], row["period_start"], row["period_end"]) == (p.freq, p.start, p.end)
        assert row["period_start"] <= row["period_end"]
        if p.freq == "Q":
            assert row["period_start"].month in (1, 4, 7, 10)
        if p.freq == "W":
            assert row["period_start"].isoweekday() == 1 and (row["period_end"] - row["period_start"]).days == 6


def test_tidy_columns_in_schema_order(tmp_path):
    from udsattestat.schema import polars_schema

    info = info_with(["1"], ["2025K1"])
    frame = parse(tmp_path, "KØN;TID;INDHOLD\r\n1;2025K1;1\r\n", "da", info)
    assert frame.schema == pl.Schema(polars_schema(["køn"]))
    assert json.dumps(frame.row(0, named=True), default=str)


def write(tmp_path, text: str, info: TableInfo, out, **kw):
    from udsattestat.statbank.stream import write_tidy

    path = tmp_path / "body.csv"
    path.write_bytes(text.encode("utf-8"))
    header = check_header(path, ["KØN", "TID", "INDHOLD"])
    return write_tidy(path, ctx_for(info, "da"), header, out, finish_metadata=lambda s: json.dumps(
        {"rows": s.rows, "suppressed": s.suppressed}).encode(), **kw)


def test_streamed_write_matches_whole_read_across_blocks_and_row_groups(tmp_path, monkeypatch):
    """Small blocks, tidy groups and row groups: every batch maps onto the same dictionaries."""
    import pyarrow.parquet as pq

    from udsattestat.statbank import body, stream

    monkeypatch.setattr(body, "BLOCK_SIZE", 1 << 10)
    monkeypatch.setattr(stream, "TIDY_ROWS", 300)
    monkeypatch.setattr(stream, "ROW_GROUP_ROWS", 1000)
    codes = [f"{i:03d}" for i in range(800)]  # > 127 codes: int16 indices
    times = ["2024K4", "2025M01", "2025"]
    info = info_with(codes, times)
    rows = [f"{c};{t};{'..' if (i % 7 == 0) else str(i) + ',5'}" for i, (c, t) in
            enumerate((c, t) for c in reversed(codes) for t in times)]
    text = "KØN;TID;INDHOLD\r\n" + "\r\n".join(rows) + "\r\n"
    out = tmp_path / "out.parquet"
    stats = write(tmp_path, text, info, out)
    assert (stats.rows, stats.suppressed) == (2400, sum(1 for i in range(2400) if i % 7 == 0))
    assert pq.ParquetFile(out).metadata.num_row_groups >= 3
    assert json.loads(pq.read_metadata(out).metadata[b"udsattestat"]) == {"rows": 2400, "suppressed": stats.suppressed}
    written = pl.read_parquet(out)
    assert written.equals(parse(tmp_path, text, "da", info, bom=False))
    assert written["køn_label"][0] == "label 799" and written["freq"].unique().sort().to_list() == ["A", "M", "Q"]


def test_failed_stream_keeps_the_earlier_parquet(tmp_path, monkeypatch):
    from udsattestat.statbank import body, stream

    monkeypatch.setattr(body, "BLOCK_SIZE", 1 << 10)
    monkeypatch.setattr(stream, "TIDY_ROWS", 100)
    info = info_with(["1"], ["2025"])
    out = tmp_path / "out.parquet"
    out.write_bytes(b"earlier good file")
    late_unknown = "KØN;TID;INDHOLD\r\n" + "1;2025;1\r\n" * 5000 + "9;2025;1\r\n"
    with pytest.raises(ParseError, match="code '9' for KØN"):
        write(tmp_path, late_unknown, info, out)
    late_text = "KØN;TID;INDHOLD\r\n" + "1;2025;1\r\n" * 5000 + "1;2025;høj\r\n"
    with pytest.raises(ParseError, match="'høj' in INDHOLD is not a number"):
        write(tmp_path, late_text, info, out)
    assert out.read_bytes() == b"earlier good file"


def test_unparsable_time_code_is_an_error_only_when_a_row_uses_it(tmp_path):
    info = info_with(["1"], ["2025", "2025X9"])
    frame = parse(tmp_path, "KØN;TID;INDHOLD\r\n1;2025;1\r\n", "da", info)
    assert frame["freq"].to_list() == ["A"]
    with pytest.raises(ParseError, match="2025X9"):
        parse(tmp_path, "KØN;TID;INDHOLD\r\n1;2025X9;1\r\n", "da", info)


def test_invalid_utf8_code_is_an_error_naming_it(tmp_path):
    info = info_with(["1"], ["2025"])
    path = tmp_path / "body.csv"
    path.write_bytes(b"K\xc3\x98N;TID;INDHOLD\r\n1;2025;1\r\n\xff1;2025;2\r\n")
    header = check_header(path, ["KØN", "TID", "INDHOLD"])
    with pytest.raises(ParseError, match="code '\ufffd1' for KØN, which tableinfo for SYNTH does not list"):
        read_tidy(path, ctx_for(info, "da"), header)
