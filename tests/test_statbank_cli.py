"""``udsattestat statbank search|info|fetch`` through CliRunner against a local SYNTHETIC StatBank."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import fixture_bytes
from jsonschemas import checked

from udsattestat.cli import COMMANDS, main, summary
from udsattestat.store import read_parquet

TABLES = [
    {"id": "IFOR51", "text": "Relativ fattigdom (syntetisk)", "unit": "-", "updated": "2025-12-10T08:00:00",
     "firstPeriod": "2015", "latestPeriod": "2024", "active": True, "variables": ["alder", "enhed", "tid"]},
    {"id": "FOLK1A", "text": "Befolkningen den 1. i kvartalet", "unit": "Antal", "updated": "2025-08-11T08:00:00",
     "firstPeriod": "2008K1", "latestPeriod": "2025K2", "active": True, "variables": ["område", "tid"]},
]


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_registered_with_help():
    assert COMMANDS["statbank"] == "udsattestat.cli.statbank:statbank_group"
    assert summary("statbank")
    res = run("statbank", "--help")
    assert res.exit_code == 0 and "search" in res.output and "UDSATTESTAT_STATBANK_URL" in res.output
    for cmd in ("search", "info", "fetch"):
        res = run("statbank", cmd, "--help")
        assert res.exit_code == 0 and "Example:" in res.output


def test_search(statbank):
    statbank.server.expect_request("/v1/tables", method="POST").respond_with_json(TABLES)
    res = run("statbank", "search", "FATTIGDOM")
    assert res.exit_code == 0, res.output
    assert "IFOR51" in res.output and "2015–2024" in res.output and "updated 2025-12-10T08:00:00" in res.output
    assert "FOLK1A" not in res.output
    res = run("statbank", "search", "kvartalet", "--json", "--subject", "02")
    assert checked("statbank-search", res.output)["tables"][0]["id"] == "FOLK1A"
    body = json.loads(statbank.server.log[-1][0].data)
    assert body["subjects"] == ["02"]
    res = run("statbank", "search", "nothing-like-this")
    assert res.exit_code == 0 and "No table matches" in res.output


def test_info_shows_codes_labels_both_languages(statbank, tmp_path):
    statbank.tableinfo("FOLK1A", "da")
    statbank.tableinfo("FOLK1A", "en")
    res = run("statbank", "info", "folk1a", "--data-dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    out = res.output
    assert "FOLK1A: Befolkningen den 1. i kvartalet" in out
    assert "Updated:       2025-08-11T08:00:00" in out
    assert "OMRÅDE — område / region (may be eliminated, map Denmark_municipality_07), 4 values" in out
    assert "420: Assens / Assens" in out and "101: København / Copenhagen" in out
    assert "Time variable: Tid" in out
    assert "Documentation: https://www.dst.dk/statistikdokumentation/synthetic" in out
    doc = checked("statbank-info", run("statbank", "info", "folk1a", "--data-dir", str(tmp_path), "--json").output)
    assert doc["da"]["id"] == doc["en"]["id"] == "FOLK1A" and doc["da"]["text"] == "Befolkningen den 1. i kvartalet"


def test_info_unknown_table_is_one_line_with_hint(statbank, tmp_path):
    statbank.error("tableinfo", "error_notfound.json")
    res = run("statbank", "info", "INVALIDTABLE999", "--data-dir", str(tmp_path))
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: StatBank refused the request (EXTRACT-NOTFOUND): Tabel findes ikke: INVALIDTABLE999")
    assert "udsattestat statbank search" in lines[0]


def test_fetch_writes_tidy_parquet(statbank, tmp_path):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_data_da.csv")
    out = tmp_path / "folk1a.parquet"
    res = run("statbank", "fetch", "FOLK1A", "--var", "OMRÅDE=*", "--var", "Tid=2025*", "--out", str(out),
              "--data-dir", str(tmp_path / "d"))
    assert res.exit_code == 0, res.output
    assert f"{out}: 8 rows (CSV, fetched, 1 suppressed; FOLK1A updated 2025-08-11T08:00:00)" in res.output
    frame, prov = read_parquet(out)
    assert frame.height == 8 and prov.origin == "statbank"
    res = run("statbank", "fetch", "FOLK1A", "--var", "OMRÅDE=*", "--var", "Tid=2025*", "--out", str(out),
              "--data-dir", str(tmp_path / "d"), "--quiet")
    assert res.exit_code == 0 and res.output == ""


def test_fetch_dry_run_prints_the_plan_and_fetches_nothing(statbank, tmp_path):
    statbank.tableinfo("FOLK1A", "da")
    res = run("statbank", "fetch", "FOLK1A", "--var", "Tid=*", "--var", "OMRÅDE=*", "--format", "bulk",
              "--dry-run", "--out", str(tmp_path / "x.parquet"), "--data-dir", str(tmp_path / "d"))
    assert res.exit_code == 0, res.output
    assert "format BULK, 1 request" in res.output and "cells" in res.output
    assert "dry run: nothing fetched" in res.output
    assert statbank.data_requests() == []
    assert not (tmp_path / "x.parquet").exists()


def test_fetch_bad_var_and_bad_out(statbank, tmp_path):
    res = run("statbank", "fetch", "FOLK1A", "--var", "OMRÅDE", "--out", str(tmp_path / "x.parquet"))
    assert res.exit_code == 2 and res.output.startswith("Error: --var 'OMRÅDE': write CODE=V1,V2")
    res = run("statbank", "fetch", "FOLK1A", "--var", "Tid=*", "--out", str(tmp_path / "x.csv"),
              "--data-dir", str(tmp_path / "d"))
    assert res.exit_code == 1 and "unsupported file type '.csv'; use one of .parquet" in res.output


def test_fetch_unknown_code_exit_2(statbank, tmp_path):
    statbank.tableinfo("FOLK1A", "da")
    res = run("statbank", "fetch", "FOLK1A", "--var", "OMRÅDE=999", "--out", str(tmp_path / "x.parquet"),
              "--data-dir", str(tmp_path / "d"))
    assert res.exit_code == 2
    assert res.output.strip() == ("Error: OMRÅDE has no code '999'; codes are 000, 101, 420, 421 "
                                  "(see 'udsattestat statbank info')")


def test_fetch_complete_reports_omitted(statbank, tmp_path):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_bulk_da.csv")
    res = run("statbank", "fetch", "FOLK1A", "--var", "OMRÅDE=000,101", "--var", "KØN=1,2", "--var", "ALDER=0,1",
              "--var", "CIVILSTAND=U,G", "--var", "Tid=2025K1", "--format", "BULK", "--complete",
              "--out", str(tmp_path / "b.parquet"), "--data-dir", str(tmp_path / "d"))
    assert res.exit_code == 0, res.output
    assert "16 rows (BULK, fetched, 0 suppressed, 2 omitted restored" in res.output


def test_base_url_from_environment(statbank, tmp_path, monkeypatch):
    for lang in ("da", "en"):
        statbank.server.expect_request(
            "/mirror/v1/tableinfo", method="POST", json={"table": "FOLK1A", "lang": lang, "format": "JSON"}
        ).respond_with_data(fixture_bytes("statbank", f"folk1a_tableinfo_{lang}.json"), content_type="application/json")
    monkeypatch.setenv("UDSATTESTAT_STATBANK_URL", statbank.server.url_for("/mirror/v1/"))
    res = run("statbank", "info", "FOLK1A", "--data-dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert [req.path for req, _ in statbank.server.log] == ["/mirror/v1/tableinfo"] * 2
    assert "OMRÅDE — område / region" in res.output
