"""Property tests for the small parsers: what a user types on the command line, what a
server sends in a header, what the tool wrote to disk earlier and reads back.

Each test runs through :func:`reach.explore` and says what became of every example, so it
proves it reached the parser (valid inputs read back as written, hostile ones refused with
the project's typed error, never a crash) instead of passing on inputs refused at once.
Parsers are imported from their public modules.
"""

from __future__ import annotations

import csv
import email.utils
import io
import json
import math
from datetime import UTC, datetime

import pytest
from hypothesis import strategies as st
from reach import explore, require

from udsattestat.errors import SelectionError, UdsatError

# -- DIM=CODE,CODE: --where, Eurostat --filter, StatBank --var ------------------------------

#: A dimension or code as typed: anything but the separators, spaces around it allowed.
DIM = st.text(st.characters(blacklist_characters="=,", blacklist_categories=("Cs",)), min_size=1, max_size=8)
CODE = st.text(st.characters(blacklist_characters=",", blacklist_categories=("Cs",)), min_size=1, max_size=6)
SPACE = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def selections(draw):
    """(items as typed, the selection they mean): DIM=CODE,CODE items with spaces around."""
    pairs = draw(st.lists(st.tuples(DIM.filter(str.strip), st.lists(CODE.filter(str.strip), min_size=1, max_size=3)),
                          min_size=1, max_size=4))
    items, meant = [], {}
    for dim, codes in pairs:
        pad = draw(SPACE)
        items.append(f"{pad}{dim}{pad}={','.join(f'{draw(SPACE)}{c}{draw(SPACE)}' for c in codes)}")
        meant.setdefault(dim.strip(), []).extend(c.strip() for c in codes)
    return items, meant


#: Items as people get them wrong: no '=', nothing before or after it, only commas.
TYPED = st.lists(st.text(alphabet=" =,aZ9é\t", max_size=8), min_size=1, max_size=3)


def _selection_parser(parse, unique: bool):
    def check(items, meant):
        try:
            got = parse(items)
        except SelectionError as exc:
            assert meant is None, f"{items!r} refused: {exc}"
            assert "write" in str(exc)  # the message says how to write it
            return "refused"
        for dim, codes in got.items():
            assert dim == dim.strip() and dim and "=" not in dim
            # every item selects at least one code: an empty selection would silently select nothing
            assert codes and all(c == c.strip() and c and "," not in c for c in codes), (items, got)
        if meant is not None:
            expected = {d: list(dict.fromkeys(c)) for d, c in meant.items()} if unique else meant
            assert got == expected
        # what was read, written back the documented way, reads the same
        assert parse([f"{d}={','.join(c)}" for d, c in got.items()]) == got
        return "parsed"

    require(explore(selections(), check=lambda example: check(*example)), parsed=1.0)
    require(explore(TYPED, check=lambda items: check(items, None)), refused=0.5)


def test_where_parser():
    from udsattestat.selection import parse_where

    _selection_parser(parse_where, unique=False)


def test_eurostat_filter_parser():
    from udsattestat.eurostat.client import parse_filters

    _selection_parser(parse_filters, unique=True)


def test_statbank_var_parser():
    from udsattestat.statbank.plan import parse_var_options

    _selection_parser(parse_var_options, unique=False)


# -- Eurostat's table of contents ----------------------------------------------------------

TOC_COLUMNS = ["title", "code", "type", "last update of data", "last table structure change", "data start",
               "data end"]


@st.composite
def tocs(draw):
    """(TSV bytes as Eurostat sends them, the entries they list): columns in any order, extra
    columns, folders, a dataset listed in two folders, titles with tabs and quotes."""
    from udsattestat.eurostat.client import TocEntry

    columns = draw(st.permutations([*TOC_COLUMNS, *draw(st.lists(st.sampled_from(["x", "values", "unit"]),
                                                                 max_size=2, unique=True))]))
    text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
    rows, entries, seen = [], [], set()
    for _ in range(draw(st.integers(0, 6))):
        code = draw(st.sampled_from(["ilc_li02", "demo_pjan", "hlth_cd_aro", "x_1", "data"]))
        kind = draw(st.sampled_from(["dataset", "table", "folder"]))
        cells = {"title": draw(st.one_of(text, st.just('a\t"quoted"\ttitle'))), "code": code, "type": kind,
                 "last update of data": "15.10.2025", "last table structure change": "15.10.2025",
                 "data start": draw(st.sampled_from(["1995", "2011Q1", ""])), "data end": "2024",
                 "x": "", "values": "1", "unit": "NR"}
        rows.append([cells[c] for c in columns])
        if kind != "folder" and code not in seen:
            seen.add(code)
            strip = {k: v.strip() for k, v in cells.items()}
            entries.append(TocEntry(code, strip["title"], kind, strip["last update of data"], strip["data start"],
                                    strip["data end"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", quotechar='"', quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return draw(st.sampled_from(["", "\ufeff"])).encode() + out.getvalue().encode(), entries


def test_eurostat_toc_parser():
    from udsattestat.errors import ProviderError
    from udsattestat.eurostat.client import parse_toc

    def check(body, entries):
        try:
            got = parse_toc(body)
        except ProviderError as exc:
            assert entries is None, f"a table of contents as Eurostat sends it was refused: {exc}"
            return "refused"
        assert all(e.code and e.type != "folder" for e in got)
        assert len({e.code for e in got}) == len(got)  # a dataset in two folders is listed once
        if entries is not None:
            assert got == entries
        return "parsed"

    hostile = st.one_of(st.binary(max_size=80),
                        st.lists(st.text(alphabet='\t"\ncodetil ', max_size=20), max_size=4).map(
                            lambda lines: "\n".join(lines).encode()))
    require(explore(tocs(), check=lambda example: check(*example)), parsed=1.0)
    require(explore(hostile, check=lambda body: check(body, None)), refused=0.5)


# -- --timeout and Retry-After -------------------------------------------------------------

SECONDS = st.floats(min_value=1e-3, max_value=999_999, allow_nan=False)


def test_timeout_parser():
    from udsattestat.net.http import DEFAULT_TIMEOUT, parse_timeout

    def check(text, meant):
        try:
            got = parse_timeout(text)
        except UdsatError as exc:
            assert meant is None, f"--timeout {text!r} refused: {exc}"
            assert "--timeout" in str(exc) and "seconds" in str(exc)
            return "refused"
        connect, read = got
        assert 0 < connect < 1e6 and 0 < read < 1e6
        if meant is not None:
            assert got == meant
        return "parsed"

    one = SECONDS.map(lambda s: (f" {s!r} ", (min(DEFAULT_TIMEOUT[0], s), s)))
    two = st.tuples(SECONDS, SECONDS).map(lambda p: (f"{p[0]!r},{p[1]!r}", p))
    require(explore(st.one_of(one, two), check=lambda example: check(*example)), parsed=1.0)
    hostile = st.text(alphabet="0123456789.,-+ eEnaif_x６", max_size=10)
    require(explore(hostile, check=lambda text: check(text, None)), refused=0.5)


NOW = 1_800_000_000.0  # the client's clock, fixed: 2027-01-15


def test_retry_after_parser():
    from udsattestat.net.http import parse_retry_after

    def check(value, meant):
        got = parse_retry_after(value, now=NOW)  # never raises: a bad header is no header
        if got is None:
            assert meant is None, f"Retry-After {value!r} not read"
            return "ignored"
        assert got >= 0 and not math.isnan(got)
        if meant is not None:
            assert got == pytest.approx(meant, abs=1e-6)
        return "read"

    delta = st.integers(0, 10**7).map(lambda s: (str(s), float(s)))
    date = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0, tzinfo=UTC)).map(
        lambda d: (email.utils.format_datetime(d, usegmt=True), max(0.0, d.timestamp() - NOW)))
    hostile = st.one_of(st.none(), st.text(max_size=12), st.text(alphabet="0123456789²³¹٣ -+.:,GMTMon", max_size=12))
    require(explore(st.one_of(delta, date), check=lambda example: check(*example)), read=1.0)
    require(explore(hostile, check=lambda value: check(value, None)), ignored=0.5)


# -- the chart --size option ---------------------------------------------------------------


def test_chart_size_parser():
    from udsattestat.charts import SIZE_LIMITS, size_usable
    from udsattestat.cli.charts import parse_size

    low, high = SIZE_LIMITS
    inches = st.floats(min_value=low, max_value=high).map(lambda v: round(v, 3)).filter(lambda v: low <= v <= high)
    cm = st.floats(min_value=low * 2.54, max_value=high * 2.54).map(lambda v: round(v, 2)).filter(
        lambda v: low <= v / 2.54 <= high)

    def check(text, meant):
        try:
            got = parse_size(text)
        except SelectionError as exc:
            assert meant is None, f"--size {text!r} refused: {exc}"
            assert "--size" in str(exc)
            return "refused"
        assert size_usable(got)
        if meant is not None:
            assert got == pytest.approx(meant)
        return "parsed"

    valid = st.one_of(
        st.tuples(inches, inches, st.sampled_from(["", "in", "IN"]), st.sampled_from(["x", "X"])).map(
            lambda t: (f"{t[0]}{t[3]}{t[1]}{t[2]}", (t[0], t[1]))),
        st.tuples(cm, cm, st.sampled_from(["cm", "CM", "Cm"])).map(
            lambda t: (f" {t[0]}x{t[1]}{t[2]} ", (t[0] / 2.54, t[1] / 2.54))),
    )
    require(explore(valid, check=lambda example: check(*example)), parsed=1.0)
    hostile = st.text(alphabet="0123456789.xXcmin ６-naf", max_size=10)
    require(explore(hostile, check=lambda text: check(text, None)), refused=0.5)


# -- what the tool wrote earlier: snapshot records, provenance -----------------------------

RECORD = {"record_version": 1, "provider": "statbank", "label": "FOLK1A", "query": {"table": "FOLK1A"},
          "key": "k", "stamp": "20260102T101500000000Z", "file": "20260102T101500000000Z.csv",
          "request": {"method": "POST"}, "response": {"status": 200, "headers": {"Content-Type": "text/csv"}},
          "sha256": "0" * 64, "size": 5, "retrieved": "2026-01-02T10:15:00Z", "source": "s"}


@st.composite
def records(draw):
    """(record bytes, True): a record as the snapshot store writes it, with its fields varied."""
    stamp = draw(st.from_regex(r"20[0-9]{2}[01][0-9][0-3][0-9]T[0-9]{12}Z", fullmatch=True))
    suffix = draw(st.sampled_from([".csv", ".json", ".bin"]))
    record = {**RECORD, "stamp": stamp, "file": f"{stamp}{suffix}",
              "sha256": draw(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
              "response": {**RECORD["response"], "headers": draw(st.dictionaries(st.text(max_size=5),
                                                                                st.text(max_size=5), max_size=3))}}
    return json.dumps(record, ensure_ascii=draw(st.booleans())).encode(), True


def test_snapshot_record_reader(tmp_path):
    from hostile import mutated, values

    from udsattestat.errors import SnapshotError
    from udsattestat.net.snapshots import read_record

    folder = tmp_path / "snapshots"
    folder.mkdir()
    path = folder / "record.json"

    def check(body, valid):
        path.write_bytes(body)
        try:
            snap = read_record(path)
        except SnapshotError as exc:
            assert not valid, f"a record as written was refused: {exc}"
            assert str(path) in str(exc)
            return "refused"
        assert isinstance(snap.sha256, str) and isinstance(snap.record["stamp"], str)
        snap.header("Content-Type")  # what a replay reads of the response works
        # the data file a record names is beside it: a record cannot point anywhere else
        assert snap.path.parent == folder, snap.record["file"]
        if valid:
            assert snap.record == json.loads(body)
        return "read"

    hostile = st.one_of(
        mutated(RECORD, ["stamp", "file", "sha256", "response"]).map(lambda doc: json.dumps(doc, default=str).encode()),
        st.sampled_from(["../outside.csv", "/etc/hostname", "sub/dir.csv", "", ".", "..", "a\x00b"]).map(
            lambda f: json.dumps({**RECORD, "file": f}).encode()),
        st.sampled_from([None, 7, "", "0" * 63, "G" * 64, ["a"]]).map(
            lambda s: json.dumps({**RECORD, "sha256": s}).encode()),
        values().map(lambda v: json.dumps(v, default=str).encode()),
        st.binary(max_size=40),
    )
    require(explore(records(), check=lambda example: check(*example)), read=1.0)
    require(explore(hostile, check=lambda body: check(body, False)), refused=0.5)


TEXTS = st.fixed_dictionaries({"da": st.text(max_size=8), "en": st.text(max_size=8)})
JSONISH = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=6),
                                 st.floats(allow_nan=False, allow_infinity=False)),
                       lambda inner: st.one_of(st.lists(inner, max_size=3),
                                               st.dictionaries(st.text(max_size=4), inner, max_size=3)),
                       max_leaves=6)


def provenances():
    from udsattestat.provenance import Provenance

    text = st.text(max_size=10)
    return st.builds(
        Provenance, indicator=text, title=TEXTS, unit=text, producer=text, publication=text, url=text,
        licence=text, origin=st.sampled_from(["bundle", "statbank", "eurostat", "derived"]),
        citations=st.dictionaries(text, st.dictionaries(text, JSONISH, max_size=3), max_size=3),
        vintages=st.dictionaries(text, st.dictionaries(text, JSONISH, max_size=2), max_size=2),
        retrieved=text, raw_sha256=st.dictionaries(text, st.from_regex(r"[0-9a-f]{64}", fullmatch=True), max_size=2),
        tool_version=text, query=st.dictionaries(text, JSONISH, max_size=3),
        caveats=st.fixed_dictionaries({}, optional={"da": st.lists(text, max_size=2), "en": st.lists(text, max_size=2)}),
        definition=TEXTS, credit=st.dictionaries(st.sampled_from(["da", "en", "summary_da"]), text, max_size=3),
    )


def test_provenance_reader():
    from hostile import mutated, values

    from udsattestat.provenance import Provenance

    def check(body, original):
        try:
            prov = Provenance.from_json(body)
        except UdsatError as exc:
            assert original is None, f"provenance as written was refused: {exc}"
            assert "provenance" in str(exc)
            return "refused"
        assert isinstance(prov.indicator, str) and isinstance(prov.citations, dict)
        assert all(isinstance(c, dict) for c in prov.citations.values())
        prov.source_line("da")  # what a chart's source line reads from it works
        if original is not None:
            assert prov == original and prov.to_json() == body  # byte-identical, run after run
        return "read"

    def written(prov):
        return prov.to_json(), prov

    def broken(prov):
        return mutated(json.loads(prov.to_json()), ["indicator", "title", "citations", "vintages", "credit",
                                                    "origin"]).map(lambda d: (json.dumps(d, default=str), None))

    hostile = st.one_of(provenances().flatmap(broken), values().map(lambda v: (json.dumps(v, default=str), None)),
                        st.binary(max_size=30).map(lambda b: (b, None)))
    require(explore(provenances().map(written), check=lambda example: check(*example)), read=1.0)
    require(explore(hostile, check=lambda example: check(*example)), refused=0.3)


# -- SDMX-CSV: what Eurostat would send for a cube reads back as that cube -----------------

DIM_IDS = ["unit", "sex", "age", "geo", "icd10"]
FLAGS = ["", "", "b", "e", "p", "u", "bp"]


@st.composite
def sdmx_cubes(draw):
    """(SDMX-CSV bytes, {key: (value, flags)}, labels): a cube written the way Eurostat writes
    it — 1.0 or 2.0 with name columns, codes alone or labels=both — and what it holds."""
    dims = draw(st.lists(st.sampled_from(DIM_IDS), min_size=1, max_size=3, unique=True))
    codes = {d: draw(st.lists(st.from_regex(r"[A-Z][A-Z0-9_]{0,4}", fullmatch=True), min_size=1, max_size=3,
                              unique=True)) for d in dims}
    labels = {d: {c: draw(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=10)
                          .filter(lambda t: t.strip() == t and t)) for c in codes[d]} for d in dims}
    years = draw(st.lists(st.integers(1990, 2030).map(str), min_size=1, max_size=3, unique=True))
    style = draw(st.sampled_from(["1.0", "1.0 labels=both", "2.0 names"]))
    cells = [tuple(draw(st.sampled_from(codes[d])) for d in dims) + (y,) for y in years for _ in range(2)]
    held = {}
    for i, key in enumerate(dict.fromkeys(cells)):  # the first cell has a value: never an empty cube
        value = None if i and draw(st.booleans()) else round(draw(st.floats(-1e9, 1e9, allow_nan=False)), 3)
        flag, conf = draw(st.sampled_from(FLAGS)), draw(st.sampled_from(["", "F", "C"]))
        flags = flag + (f"|{conf}" if conf in ("C",) else "")
        if value is None and not flags:
            continue  # a missing cell: Eurostat sends no row, or an empty one that gets none
        held[key] = (value, flags or None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if style == "2.0 names":
        writer.writerow(["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "freq", "Time frequency",
                         *[x for d in dims for x in (d, f"{d} name")], "TIME_PERIOD", "Time", "OBS_VALUE",
                         "Observation value", "OBS_FLAG", "Observation status", "CONF_STATUS", "Confidentiality"])
    else:
        writer.writerow(["DATAFLOW", "LAST UPDATE", "freq", *dims, "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG",
                         "CONF_STATUS"])
    for key, (value, flags) in held.items():
        flag, _, conf = (flags or "").partition("|")
        number = "" if value is None else repr(value)
        if style == "2.0 names":
            dim_cells = [x for d, c in zip(dims, key, strict=False) for x in (c, labels[d][c])]
            writer.writerow(["dataflow", "ESTAT:X(1.0)", "X", "A", "Annual", *dim_cells, key[-1], "", number, "",
                             flag, "", conf, ""])
        elif style == "1.0 labels=both":
            dim_cells = [f"{c}:{labels[d][c]}" for d, c in zip(dims, key, strict=False)]
            writer.writerow(["ESTAT:X(1.0)", "01/01/26 23:00:00", "A:Annual", *dim_cells, key[-1], number, flag, conf])
        else:
            writer.writerow(["ESTAT:X(1.0)", "01/01/26 23:00:00", "A", *key, number, flag, conf])
    shown = {d: (labels[d] if style != "1.0" else {c: c for c in codes[d]}) for d in dims}
    return out.getvalue().encode(), dims, held, shown


def test_sdmx_csv_round_trip():
    from udsattestat.eurostat import sdmxcsv

    def check(body, dims, held, shown):
        cube = sdmxcsv.parse(body)
        obs = cube.observations
        got = {tuple(r[d] for d in dims) + (r["TIME_PERIOD"],): (r["value"], r["flags"])
               for r in obs.iter_rows(named=True)}
        assert got == held and obs.height == len(held)
        assert [d.id for d in cube.dimensions] == ["freq", *dims, "TIME_PERIOD"]
        for d in dims:  # each code keeps its label
            assert {r[d]: r[f"{d}_label"] for r in obs.iter_rows(named=True)} == {
                c: shown[d][c] for c in {k[dims.index(d)] for k in held}}
        return "round trip"

    require(explore(sdmx_cubes(), check=lambda example: check(*example)), **{"round trip": 1.0})


# -- what the properties found, pinned -----------------------------------------------------


@pytest.mark.parametrize("parse, item", [
    ("udsattestat.selection:parse_where", "geo=,"),
    ("udsattestat.statbank.plan:parse_var_options", "Tid= , "),
    ("udsattestat.eurostat.client:parse_filters", "geo=,"),
])
def test_an_item_that_names_no_code_is_refused(parse, item):
    import importlib

    module, name = parse.split(":")
    with pytest.raises(SelectionError, match="write"):
        getattr(importlib.import_module(module), name)([item])


def test_the_cli_refuses_a_where_that_names_no_code(runner, cli):
    res = runner.invoke(cli, ["show", "homelessness", "--where", "situation=,"])
    assert res.exit_code == 2 and "cannot read --where 'situation=,'" in res.output and "Traceback" not in res.output


def test_retry_after_with_digits_float_cannot_read_is_no_header():
    from udsattestat.net.http import parse_retry_after

    assert parse_retry_after("²") is None and parse_retry_after("٣") is None and parse_retry_after("30") == 30.0


def test_a_size_in_cm_on_the_limit_is_usable():
    from udsattestat.cli.charts import parse_size

    assert parse_size("5.08x76.2cm") == (2.0, 30.0)  # exactly the limits, 2 and 30 inches


def test_a_toc_with_a_stray_carriage_return_is_read():
    from udsattestat.errors import ProviderError
    from udsattestat.eurostat.client import parse_toc

    with pytest.raises(ProviderError, match="no 'title' and 'code' columns"):
        parse_toc(b"\r\x00")  # was a csv.Error: "new-line character seen in unquoted field"
    assert [e.code for e in parse_toc(b'"title"\t"code"\t"type"\nA\rB\tx\tdataset\n')] == ["x"]


@pytest.mark.parametrize("change", [{"file": "../outside.csv"}, {"file": "/etc/hostname"}, {"sha256": None},
                                    {"sha256": "x" * 64}, {"response": []}, {"response": {"headers": "h"}}])
def test_a_record_pointing_elsewhere_or_without_a_checksum_is_damaged(tmp_path, change):
    from udsattestat.errors import SnapshotError
    from udsattestat.net.snapshots import read_record

    path = tmp_path / "r.json"
    path.write_text(json.dumps({**RECORD, **change}))
    with pytest.raises(SnapshotError, match="is damaged"):
        read_record(path)


@pytest.mark.parametrize("body", [b"\xff", "[]", "{}", '{"indicator": 1}', "null"])
def test_provenance_that_is_not_as_written_is_one_error(body):
    from udsattestat.errors import ProvenanceError
    from udsattestat.provenance import Provenance

    with pytest.raises(ProvenanceError, match="provenance metadata"):
        Provenance.from_json(body)
