"""Eurostat JSON-stat 2.0 responses RECORDED from the dissemination API, replayed through
the loopback server.

The bodies in tests/fixtures/recorded/eurostat/ are public recordings kept byte for byte
(tests/fixtures/recorded/README.md says where each came from and what it answers). Their
publisher stored them pretty-printed with sorted keys, so category ``index`` objects are
not in index order: the parser must place cells by the index numbers, never by key order.
Every expected number below is read from the recorded file itself.
"""

from __future__ import annotations

import csv
import io
import json
from itertools import product

import polars as pl
import pytest
from recordings import recorded_bytes

from udsattestat.eurostat import client as es_client
from udsattestat.eurostat import jsonstat, sdmxcsv, tidy
from udsattestat.eurostat.fetch import Session, fetch_table
from udsattestat.net.http import HttpClient

DATA = "/api/statistics/1.0/data/"


@pytest.fixture
def session(tmp_path, httpserver, monkeypatch, no_sleep):
    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    sleep, _ = no_sleep
    return Session.open(tmp_path, http=HttpClient(sleep=sleep, retries=2))


def reference_cells(doc: dict) -> dict[tuple[str, ...], tuple[float | None, str | None]]:
    """The cells of a JSON-stat document decoded the plain way (row-major over ``id`` and
    ``size``, codes ordered by their ``index`` numbers): the yardstick for the parser."""
    codes = []
    for dim_id in doc["id"]:
        index = doc["dimension"][dim_id]["category"]["index"]
        codes.append(sorted(index, key=index.__getitem__))
    keys = list(product(*codes))
    assert len(keys) == eval("*".join(map(str, doc["size"])))  # noqa: S307 - a product of the recorded sizes
    positions = set(doc["value"]) | set(doc.get("status") or {})
    return {keys[int(p)]: (doc["value"].get(p), (doc.get("status") or {}).get(p)) for p in positions}


def tidy_cells(frame: pl.DataFrame, dims: list[str]) -> dict[tuple[str, ...], tuple[float | None, str | None]]:
    cols = ["period" if d == "time" else d for d in dims]
    return {tuple(r[:-2]): (r[-2], r[-1]) for r in frame.select(*cols, "value", pl.col("flags").cast(pl.String)).iter_rows()}


def test_recorded_nama_10_gdp_replays_cell_for_cell(httpserver, session):
    body = recorded_bytes("eurostat", "nama_10_gdp.json")
    doc = json.loads(body)
    httpserver.expect_request(DATA + "nama_10_gdp").respond_with_data(body, content_type="application/json")
    frame, prov = fetch_table(session, "nama_10_gdp", {"geo": ["DK"], "na_item": ["B1GQ", "B1G"]}, since="2023")
    assert frame.height == 64 == len(doc["value"])
    assert tidy_cells(frame, doc["id"]) == reference_cells(doc)
    # The two flagged cells: 'd' (definition differs) changes no status; its meaning is the response's own label.
    flagged = frame.filter(pl.col("flags") == "d").sort("na_item")
    assert flagged.select("unit", "na_item", "value").rows() == [("CON_PPCH_PRE", "B1G", 2.62), ("CON_PPCH_PRE", "B1GQ", 2.5)]
    assert set(flagged["status"]) == {"published"}
    assert prov.caveats["en"] == ["2 values flagged 'd' (definition differs (see metadata)) by Eurostat; "
                                  "see the flags and status columns"]
    assert frame["geo"].unique().to_list() == ["DK"] and frame["geo_label"].unique().to_list() == ["Denmark"]
    assert frame["period"].unique().to_list() == ["2023"]
    assert frame["vintage"].unique().to_list() == ["eurostat-nama_10_gdp-2024-11-18"]
    assert prov.extra["flag_meanings"]["d"] == "definition differs (see metadata)"


def test_recorded_demo_gind_flags_and_statuses(httpserver, session):
    """demo_gind: 73 values, 45 flagged 'p', 'e' or 'ep' (labelled "estimated, provisional"
    by the response itself), no unit dimension, geo codes indexed out of key order."""
    body = recorded_bytes("eurostat", "demo_gind.json")
    doc = json.loads(body)
    httpserver.expect_request(DATA + "demo_gind").respond_with_data(body, content_type="application/json")
    frame, prov = fetch_table(session, "demo_gind", {}, since="2024")
    assert tidy_cells(frame, doc["id"]) == reference_cells(doc)
    counts = {f"{f}/{s}": n for f, s, n in
              frame.group_by(pl.col("flags").cast(pl.String), pl.col("status").cast(pl.String)).len().iter_rows()}
    # a cell both estimated and provisional takes the status that limits a reader most: provisional
    assert counts == {"None/published": 28, "ep/provisional": 35, "p/provisional": 9, "e/estimated": 1}
    assert jsonstat.parse(body).unknown_flags() == {}
    geo = doc["dimension"]["geo"]["category"]
    first = min(geo["index"], key=geo["index"].__getitem__)
    assert first == "EU27_2020" and frame.filter(pl.col("geo") == first)["geo_label"][0] == geo["label"][first]
    assert set(frame["unit"]) == {""}  # demo_gind has no unit dimension; a generic fetch says so by leaving it empty


@pytest.mark.parametrize("name", ["nama_10_gdp.json", "demo_gind.json"])
def test_recorded_documents_have_the_shape_the_synthetic_fixtures_copy(name):
    """The keys the synthetic cube builder (tests/eurostat_fixtures.py) writes are the ones
    Eurostat sends: no ``role``, an ``extension`` with the dataset id, agency, annotations,
    ``positions-with-no-data`` and a ``status.label`` for the flags present."""
    from eurostat_fixtures import demo_pjan

    real = json.loads(recorded_bytes("eurostat", name))
    synthetic = json.loads(demo_pjan())
    assert set(synthetic) == set(real) == {"version", "class", "label", "source", "updated", "value", "status",
                                           "id", "size", "dimension", "extension"}
    assert set(synthetic["extension"]) == set(real["extension"])
    assert set(real["extension"]["status"]["label"]) == set(real["status"].values())
    assert real["source"] == synthetic["source"] == "ESTAT"
    assert real["updated"][10] == "T" and real["updated"][-5] in "+-"  # 2024-11-18T11:00:00+0100


# -- SDMX-CSV downloaded from Eurostat (ei_bpm6ca_q, the Data Browser's default view) -----------

SDMX2 = "ei_bpm6ca_q_sdmxcsv2_labels.csv"
SDMX1 = "ei_bpm6ca_q_sdmxcsv1_labels.csv"


def plain_rows(body: bytes) -> list[dict[str, str]]:
    """The file read by the standard library, as a yardstick."""
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))


def test_recorded_sdmx_csv_2_0_with_name_columns_reads_codes_and_labels():
    """SDMX-CSV 2.0 with labels puts a name column after every component
    (``freq,Time frequency,…,TIME_PERIOD,Time,OBS_VALUE,Observation value``). The reader took
    each name column for a dimension of its own; they are the labels of the column before."""
    body = recorded_bytes("eurostat", SDMX2)
    assert body.count(b"\r\n") == body.count(b"\n") == 20  # CRLF, header + 19 rows
    cube = sdmxcsv.parse(body)
    assert cube.ids == ["freq", "unit", "s_adj", "sector10", "sectpart", "partner", "stk_flow", "bop_item", "geo",
                        "TIME_PERIOD"]
    assert cube.dimension("geo").codes == ("EA20",)
    assert cube.dimension("geo").labels == ("Euro area – 20 countries (from 2023)",)
    assert cube.dimension("bop_item").codes == ("CA", "CKA")
    assert cube.label == "ESTAT:EI_BPM6CA_Q$DEFAULTVIEW(1.0)"
    obs = cube.observations
    expected = {(r["bop_item"], r["TIME_PERIOD"]): float(r["OBS_VALUE"]) for r in plain_rows(body)}
    assert len(expected) == obs.height == 19
    assert dict(zip(zip(obs["bop_item"], obs["TIME_PERIOD"], strict=True), obs["value"], strict=True)) == expected
    assert set(obs["status"]) == {"published"} and obs["flags"].null_count() == 19
    frame = tidy.tidy(cube, indicator="ei_bpm6ca_q", vintage="v", vintage_date=None, source="s")
    q1 = frame.filter((pl.col("period") == "2023-Q1") & (pl.col("bop_item") == "CA")).row(0, named=True)
    assert (str(q1["period_start"]), str(q1["period_end"]), q1["unit"]) == ("2023-01-01", "2023-03-31", "MIO_EUR")
    assert q1["geo_label"] == "Euro area – 20 countries (from 2023)"


def test_recorded_sdmx_csv_1_0_with_labels_instead_of_codes_is_refused():
    """The same extraction as SDMX-CSV 1.0 with labels only: ``Quarterly`` where ``Q``
    belongs, no codes at all. It was read with the labels as codes; now it is refused."""
    body = recorded_bytes("eurostat", SDMX1)
    rows = plain_rows(body)
    assert rows[0]["freq"] == "Quarterly" and rows[0]["geo"] == "Euro area – 20 countries (from 2023)"
    # the same numbers as the SDMX-CSV 2.0 download: one extraction in two formats
    assert [r["OBS_VALUE"] for r in rows] == [r["OBS_VALUE"] for r in plain_rows(recorded_bytes("eurostat", SDMX2))]
    with pytest.raises(sdmxcsv.SdmxCsvError, match=r"the freq column holds 'Quarterly', a label where a code belongs"):
        sdmxcsv.parse(body)


# -- through the CLI ----------------------------------------------------------------------------


def run(*args):
    from click.testing import CliRunner

    from udsattestat.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_recorded_empty_answer_is_a_clear_error_and_writes_nothing(httpserver, session, tmp_path):
    """An earlier recording of nama_10_gdp has no time period and no value at all (its
    ``time`` dimension has size 0): what a selection matching nothing returns."""
    body = recorded_bytes("eurostat", "nama_10_gdp_empty.json")
    doc = json.loads(body)
    assert doc["size"][doc["id"].index("time")] == 0 and doc["value"] == {}
    httpserver.expect_request(DATA + "nama_10_gdp").respond_with_data(body, content_type="application/json")
    code, out = run("eurostat", "fetch", "nama_10_gdp", "--filter", "geo=DK", "--since", "2024",
                    "--out", str(tmp_path / "gdp.parquet"))
    assert code != 0
    errors = [line for line in out.splitlines() if line.startswith("Error:")]  # (stderr has the attempt log too)
    assert errors == ["Error: Eurostat returned no values for nama_10_gdp with this selection; loosen --filter/--since"]
    assert "Traceback" not in out
    assert not (tmp_path / "gdp.parquet").exists()


def test_recorded_answer_through_eurostat_info(httpserver, session):
    httpserver.expect_request(DATA + "nama_10_gdp").respond_with_data(
        recorded_bytes("eurostat", "nama_10_gdp.json"), content_type="application/json")
    code, out = run("eurostat", "info", "nama_10_gdp", "--filter", "geo=DK")
    assert code == 0, out
    assert "na_item (National accounts indicator (ESA 2010)), 2 code(s):" in out
    assert "B1GQ" in out and "Gross domestic product at market prices" in out
    assert "d  definition differs (see metadata)" in out
    assert httpserver.log[0][0].args["lastTimePeriod"] == "1"


def test_quoted_error_body_asked_the_same_way(httpserver, session, tmp_path):
    """A 400 answer quoted verbatim in rOpenGov/eurostat PR #262, for a request that passed
    ``fromTimePeriod`` as if it were a dimension. ``--filter fromTimePeriod=2020`` asks the
    same; the error is Eurostat's own words in one line, with the hint for --filter."""
    body = recorded_bytes("eurostat", "error_400_invalid_query_dimension.json")
    httpserver.expect_request(DATA + "TIPSHO40").respond_with_data(body, status=400, content_type="application/json")
    code, out = run("eurostat", "fetch", "TIPSHO40", "--filter", "fromTimePeriod=2020", "--out", str(tmp_path / "tipsho40.parquet"))
    assert code != 0
    errors = [line for line in out.splitlines() if line.startswith("Error:")]
    assert errors == ["Error: Eurostat refused the request (400/150): INVALID_QUERY_DIMENSION: Query is invalid as per "
                      "its structure's definition. Dimension \"FROMTIMEPERIOD\" is not defined — check the dimension "
                      "ids and codes of --filter with 'udsattestat eurostat info DATASET'"]
    assert httpserver.log[0][0].args["fromTimePeriod"] == "2020"
    assert len(httpserver.log) == 1  # a 400 is not retried


@pytest.mark.parametrize("args", [["eurostat", "fetch", "TIPSHO40"], ["statbank", "fetch", "STRAF42"],
                                  ["chart", "homelessness"], ["table", "homelessness"], ["export", "homelessness"]])
def test_a_missing_out_is_a_usage_error_not_a_traceback(args):
    """Found replaying the quoted request without --out: under Click 8.5 the commands got
    ``out=None`` (an explicit default of None disables "required") and crashed."""
    code, out = run(*args, "--offline")
    assert code == 2 and "Missing option '--out'" in out and "Traceback" not in out
