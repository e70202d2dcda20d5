"""Drift checks against the real services — never part of the default run.

    pytest -m live tests/test_live.py

Each asks StatBank or Eurostat the same question a replay test asks the loopback server,
reads the answer with the same code, and reports every way the real answer's shape
differs from the fixture it is tested against (keys, header, BOM, line ends, decimal
mark, flag strings). A failure is a report of drift: update the fixture (and the code, if
it no longer reads the answer), not the check. See docs/testing-live.md.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

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

    from udsattestat.eurostat import jsonstat

    raw, _ = body(Request("GET", f"{EUROSTAT}/statistics/1.0/data/ilc_li02", params={
        "format": "JSON", "lang": "EN", "geo": ["DK", "SE", "EE"], "sinceTimePeriod": "2020"}), tmp_path)
    doc = json.loads(raw)
    fixture = json.loads(ilc_li02_new())
    drift = [f"JSON-stat key {k!r} missing" for k in sorted(set(fixture) - set(doc))]
    cube = jsonstat.parse(doc)  # raises with the JSON path if the shape changed
    unknown = cube.unknown_flags()
    if unknown:
        drift.append(f"flags udsattestat does not know: {unknown}")
    jsonstat.tidy(cube, indicator="x", vintage="v", vintage_date=None, source="s")
    report(drift)
