"""Drift checks against the real services — never part of the default run.

    pytest -m live tests/test_live.py

Each asks StatBank or Eurostat the same question a replay test asks the loopback server,
reads the answer with the same code, and reports every way the real answer's shape
differs from the fixture it is tested against (keys, header, BOM, line ends, decimal
mark, flag strings). The first group asks exactly the questions whose answers are
RECORDED in tests/fixtures/recorded/ and compares with the recording (tests/drift.py;
the checks themselves are tested offline in tests/test_drift_checks.py); the second asks
the questions of the synthetic fixtures. A failure is a report of drift: update the code
if it no longer reads the answer, and a synthetic fixture to the new shape; a recording
stays as recorded (add a new one if a public recording of the new shape exists).
See docs/testing-live.md.
"""

from __future__ import annotations

import json

import drift
import pytest
from conftest import FIXTURES
from recordings import interaction, recorded_bytes

from udsattestat.net import HttpClient, Request

pytestmark = pytest.mark.live

STATBANK = "https://api.statbank.dk/v1"
EUROSTAT = "https://ec.europa.eu/eurostat/api/dissemination"


def client():
    return HttpClient(retries=2, timeout=(10, 120))


def body(request: Request, tmp_path, **kw) -> tuple[bytes, dict]:
    dl = client().download(request, dest_dir=tmp_path, **kw)
    try:
        return dl.path.read_bytes(), dl.headers
    finally:
        dl.discard()


def report(drift: list[str]) -> None:
    if drift:
        pytest.fail("drift from the fixtures:\n- " + "\n- ".join(drift), pytrace=False)


def ask(rec, tmp_path) -> tuple[bytes, dict]:
    """The recorded request again, unchanged: same method, URL (query included) and body."""
    return body(Request(rec.method, rec.uri, json=rec.request_json()), tmp_path)


# -- the questions whose answers are recorded (tests/fixtures/recorded/README.md) ----------


@pytest.mark.parametrize("name", ["table_info_straf42_da.yml", "table_info_straf42.yml"])
def test_recorded_statbank_tableinfo_question(tmp_path, name):
    rec = interaction("statbank", name)
    raw, headers = ask(rec, tmp_path)
    found = drift.statbank_tableinfo(raw, rec.body, f"tableinfo STRAF42 ({name})")
    found += drift.content_type(headers.get("Content-Type"), rec.content_type, "tableinfo")
    if not any(k.lower() == "statbankapi-request-id" for k in headers):
        found.append("no StatbankAPI-Request-Id header")
    report(found)


def test_recorded_statbank_csv_question(tmp_path):
    rec = interaction("statbank", "data_straf42_csv.yml")
    raw, headers = ask(rec, tmp_path)
    report(drift.statbank_csv(raw, rec.body, "STRAF42 CSV (valuePresentation Default)")
           + drift.content_type(headers.get("Content-Type"), rec.content_type, "STRAF42 CSV"))


def test_recorded_statbank_csv_question_by_code_reads(tmp_path, monkeypatch):
    """The recording asked for labels; udsattestat asks the same by code. That answer must read."""
    from udsattestat.statbank.fetch import fetch_table

    monkeypatch.setenv("UDSATTESTAT_STATBANK_URL", STATBANK)
    monkeypatch.setenv("UDSATTESTAT_CACHE_DIR", str(tmp_path / "cache"))
    result = fetch_table("STRAF42", {"HERKOMST1": ["00"], "Tid": ["2023"]}, lang="en",
                         data_dir=tmp_path / "data", out=tmp_path / "straf42.parquet")
    from udsattestat.store import read_parquet

    frame, _ = read_parquet(result.path)
    report([] if frame.height == 1 and frame["herkomst1"].to_list() == ["00"] else
           [f"STRAF42 by code read as {frame.height} rows: {frame.head(3).to_dicts()}"])


def test_recorded_statbank_tables_question(tmp_path):
    rec = interaction("statbank", "tables_subject_crime.yml")
    raw, headers = ask(rec, tmp_path)
    report(drift.statbank_tables(raw, rec.body, "STRAF42", "tables subject 4")
           + drift.content_type(headers.get("Content-Type"), rec.content_type, "tables"))


@pytest.mark.parametrize("name, params", [
    ("nama_10_gdp.json", {"geo": "DK", "na_item": ["B1GQ", "B1G"], "time": "2023"}),
    ("demo_gind.json", {"time": "2024"}),
])
def test_recorded_eurostat_jsonstat_question(tmp_path, name, params):
    """The recordings do not keep their URL; the question is read off the answer (its
    dimensions' codes: tests/fixtures/recorded/README.md)."""
    dataset = name.removesuffix(".json")
    raw, _ = body(Request("GET", f"{EUROSTAT}/statistics/1.0/data/{dataset}",
                          params={"format": "JSON", "lang": "EN", **params}), tmp_path)
    report(drift.eurostat_jsonstat(raw, recorded_bytes("eurostat", name), f"{dataset} JSON-stat"))


def test_recorded_eurostat_sdmxcsv_question(tmp_path):
    """The recorded ei_bpm6ca_q extraction asked again by code, as SDMX-CSV 1.0 (the form
    the API documents): same dimensions, and it reads."""
    from udsattestat.eurostat import sdmxcsv

    dims = sdmxcsv.parse(recorded_bytes("eurostat", "ei_bpm6ca_q_sdmxcsv2_labels.csv")).ids
    raw, _ = body(Request("GET", f"{EUROSTAT}/sdmx/2.1/data/ei_bpm6ca_q/Q.MIO_EUR.NSA.S1.S1.EXT_EA20.BAL.CA+CKA.EA20",
                          params={"format": "SDMX-CSV", "compressed": "false", "startPeriod": "2023-Q1",
                                  "endPeriod": "2025-Q1"}), tmp_path)
    report(drift.eurostat_sdmxcsv(raw, dims, "ei_bpm6ca_q SDMX-CSV"))


# -- the questions of the synthetic fixtures (shapes no public recording shows) -----------


def test_statbank_tableinfo_has_the_fixtures_shape(tmp_path):
    fixture = json.loads((FIXTURES / "statbank" / "folk1a_tableinfo_da.json").read_text("utf-8"))
    raw, headers = body(Request("POST", f"{STATBANK}/tableinfo", json={"table": "FOLK1A", "lang": "da", "format": "JSON"}),
                        tmp_path)
    live = json.loads(raw.decode("utf-8-sig"))
    drift = [f"tableinfo key {k!r} missing" for k in sorted(set(fixture) - set(live))]
    drift += [f"tableinfo has a new key {k!r}" for k in sorted(set(live) - set(fixture))]
    for var in live.get("variables", []):
        missing = {"id", "text", "elimination", "time", "values"} - set(var)
        if missing:
            drift.append(f"variable {var.get('id')!r} lacks {sorted(missing)}")
    if {v["id"] for v in live.get("variables", [])} != {v["id"] for v in fixture["variables"]}:
        drift.append(f"FOLK1A's variables are now {[v['id'] for v in live['variables']]}")
    if not any(k.lower() == "statbankapi-request-id" for k in headers):
        drift.append("no StatbankAPI-Request-Id header")
    report(drift)


@pytest.mark.parametrize("fmt, lang, fixture", [("CSV", "da", "folk1a_data_da.csv"), ("CSV", "en", "folk1a_data_en.csv"),
                                                ("BULK", "da", "folk1a_bulk_da.csv")])
def test_statbank_data_has_the_fixtures_layout(tmp_path, fmt, lang, fixture):
    expected = (FIXTURES / "statbank" / fixture).read_bytes()
    variables = [{"code": "OMRÅDE", "values": ["000", "101"]}, {"code": "Tid", "values": ["2024K1"]}]
    if fmt == "BULK":  # streaming formats need a value for every variable
        variables += [{"code": "KØN", "values": ["1"]}, {"code": "ALDER", "values": ["0"]},
                      {"code": "CIVILSTAND", "values": ["U"]}]
    raw, headers = body(Request("POST", f"{STATBANK}/data", json={
        "table": "FOLK1A", "format": fmt, "lang": lang, "valuePresentation": "Code", "variables": variables}), tmp_path)
    drift = []
    bom = b"\xef\xbb\xbf"
    if raw.startswith(bom) != expected.startswith(bom):
        drift.append(f"{fmt}/{lang}: UTF-8 BOM {'now present' if raw.startswith(bom) else 'now absent'}")
    if (b"\r\n" in raw) != (b"\r\n" in expected):
        drift.append(f"{fmt}/{lang}: line ends changed")
    header = raw.lstrip(b"\xef\xbb\xbf").split(b"\r\n", 1)[0].decode("utf-8")
    if not header.endswith(";INDHOLD") or ";" not in header:
        drift.append(f"{fmt}/{lang}: header reads {header!r}")
    first = raw.lstrip(b"\xef\xbb\xbf").split(b"\r\n")[1].decode("utf-8").rsplit(";", 1)[-1]
    if lang == "da" and "." in first and first != "..":
        drift.append(f"{fmt}/da: value {first!r} has a decimal point")
    if lang == "en" and "," in first:
        drift.append(f"{fmt}/en: value {first!r} has a decimal comma")
    report(drift)


def test_statbank_error_body_has_the_fixtures_shape(tmp_path):
    from udsattestat.errors import ProviderError
    from udsattestat.statbank.client import error_hook

    with pytest.raises(ProviderError) as exc:
        client().download(Request("POST", f"{STATBANK}/data", json={"table": "INVALIDTABLE999", "format": "CSV"}),
                          dest_dir=tmp_path, error_hook=error_hook)
    fixture = json.loads((FIXTURES / "statbank" / "error_notfound.json").read_text("utf-8"))
    report([] if exc.value.code == fixture["errorTypeCode"] else [f"errorTypeCode is now {exc.value.code!r}"])


def test_eurostat_jsonstat_reads_and_knows_every_flag(tmp_path):
    from eurostat_fixtures import ilc_li02_new

    from udsattestat.eurostat import jsonstat, tidy

    raw, _ = body(Request("GET", f"{EUROSTAT}/statistics/1.0/data/ilc_li02", params={
        "format": "JSON", "lang": "EN", "geo": ["DK", "SE", "EE"], "sinceTimePeriod": "2020"}), tmp_path)
    doc = json.loads(raw)
    fixture = json.loads(ilc_li02_new())
    drift = [f"JSON-stat key {k!r} missing" for k in sorted(set(fixture) - set(doc))]
    cube = jsonstat.parse(doc)  # raises with the JSON path if the shape changed
    unknown = cube.unknown_flags()
    if unknown:
        drift.append(f"flags udsattestat does not know: {unknown}")
    tidy.tidy(cube, indicator="x", vintage="v", vintage_date=None, source="s")
    report(drift)
