"""``build RECIPE --live``: bundled vintages + the live StatBank table (SYNTHETIC IFOR51)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from eurostat_fixtures import demo_pjan, hlth_cd_aro

from udsattestat.cli import main
from udsattestat.eurostat import client as es_client

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "recipes" / "forandringskraft-2021.toml"


def serve_ifor51(statbank):
    statbank.tableinfo("IFOR51", "da")
    statbank.serve_table("IFOR51", "ifor51_data_da.csv")


def serve_eurostat(statbank, monkeypatch):
    # the seed recipe's European ranking (drug-deaths-eu) has a live Eurostat source too
    monkeypatch.setenv(es_client.BASE_URL_ENV, statbank.server.url_for("/api"))
    statbank.server.expect_request("/api/statistics/1.0/data/hlth_cd_aro").respond_with_data(
        hlth_cd_aro(), content_type="application/json")
    statbank.server.expect_request("/api/statistics/1.0/data/demo_pjan").respond_with_data(
        demo_pjan(), content_type="application/json")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _claims(out: Path) -> dict:
    return {c["id"]: c for c in json.loads((out / "claims.json").read_text())["claims"]}


def _tree(out: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_live_build_keeps_bundled_vintages_for_the_report_date(statbank, tmp_path, monkeypatch):
    serve_ifor51(statbank)
    serve_eurostat(statbank, monkeypatch)
    out = tmp_path / "site"
    res = run("build", SEED, "--out", out, "--live", "--data-dir", tmp_path / "data", "--fail-on", "none")
    assert res.exit_code == 0, res.output
    assert "Live: drug-deaths-eu, poverty (de udgivne udgaver er bevaret" in res.output, res.output
    # the recipe reads poverty's persons only (every claim, figure and table on it says unit=persons):
    # only that unit's code is asked of the API
    assert [v for v in statbank.data_requests()[0]["variables"] if v["code"] == "ENHED"] == [
        {"code": "ENHED", "values": ["ANT"]}]
    assert "kun fra pakken: drug-deaths" in res.output and "homelessness" in res.output
    claim = _claims(out)["poverty-2019-knap-250000"]
    # latest: the live table (synthetic 204,000); as of the report's date: the published 2019 release
    assert claim["latest"]["measure"] == 204000.0
    assert claim["latest"]["inputs"][0]["source"] == "statbank-ifor51"
    assert claim["latest"]["inputs"][0]["vintage"] == "2025-12-10T08:00:00"
    assert claim["as_of"]["status"] != "no-data"
    assert claim["as_of"]["inputs"][0]["source"] != "statbank-ifor51"
    # exactly what the bundled build checks as of the report's date
    res = run("build", SEED, "--out", tmp_path / "bundled", "--fail-on", "none")
    assert res.exit_code == 0, res.output
    assert claim["as_of"] == _claims(tmp_path / "bundled")["poverty-2019-knap-250000"]["as_of"]
    assert claim["differs_between_vintages"] is True
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["live"] is True and manifest["live_indicators"] == ["drug-deaths-eu", "poverty"]
    pov = manifest["inputs"]["poverty"]
    assert pov["origin"] == "bundle+statbank"
    snap = pov["live"]
    assert snap["retrieved"] and snap["statbank"]["table"] == "IFOR51"
    assert snap["statbank"]["updated"] == "2025-12-10T08:00:00"
    data_snap = snap["statbank"]["snapshot"]
    assert len(snap["raw_sha256"][data_snap]) == 64
    assert "2025-12-10T08:00:00" in pov["vintages_used"]  # live
    assert any(v != "2025-12-10T08:00:00" for v in pov["vintages_used"])  # and bundled releases
    assert "live" not in manifest["inputs"]["homelessness"]
    page = (out / "index.html").read_text()
    assert "statbank-ifor51" in page
    # the page's sources name the live table and the bundled releases
    assert "statistikbanken.dk/IFOR51" in page and "ae-2020-12" in page
    assert "Hentet live: Statistikbanken, tabel IFOR51" in page and snap["raw_sha256"][data_snap] in page

    # a rebuild from the same snapshot (network not needed: offline replay) changes no byte
    before = _tree(out)
    n = len(statbank.server.log)
    res = run("build", SEED, "--out", out, "--live", "--offline", "--data-dir", tmp_path / "data",
              "--fail-on", "none")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("Uændret:")
    assert len(statbank.server.log) == n
    assert _tree(out) == before


def _previous_build(tmp_path) -> tuple[Path, dict]:
    out = tmp_path / "site"
    res = run("build", SEED, "--out", out, "--fail-on", "none")
    assert res.exit_code == 0, res.output
    return out, _tree(out)


def test_live_offline_without_snapshot_fails_cleanly(statbank, tmp_path):
    out, before = _previous_build(tmp_path)
    res = run("build", SEED, "--out", out, "--live", "--offline", "--data-dir", tmp_path / "data")
    assert res.exit_code != 0
    assert res.output.startswith("Error: ") and res.output.count("\n") == 1
    assert "--offline: no snapshot of tableinfo for IFOR51" in res.output and "without --offline" in res.output
    assert "Traceback" not in res.output
    assert statbank.server.log == []
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == []


def test_live_server_error_retries_then_fails_in_one_line(statbank, tmp_path):
    out, before = _previous_build(tmp_path)
    statbank.tableinfo("IFOR51", "da")
    statbank.server.expect_request("/v1/data", method="POST").respond_with_data(
        "<html>boom</html>", status=500, content_type="text/html")
    res = run("build", SEED, "--out", out, "--live", "--data-dir", tmp_path / "data")
    assert res.exit_code != 0
    assert res.output.startswith("Error: ") and res.output.count("\n") == 1, res.output
    assert "500" in res.output and "Traceback" not in res.output
    assert len(statbank.data_requests()) > 1  # retried before giving up
    assert _tree(out) == before


def test_a_recipe_asks_the_union_of_what_its_uses_select_and_never_less():
    from types import SimpleNamespace as NS

    from udsattestat.recipes.data import asked

    claims = [NS(indicator="low-income", where={"geo": ["DK"], "unit": ["percent"]}, part={}, item={}),
              NS(indicator="low-income", where={"geo": ["101"]}, part={"threshold": ["50"]}, item={}),
              NS(indicator="", where={}, part={}, item={})]
    figures = [NS(indicators=["low-income"], where={"low-income": {"geo": ["851"], "threshold": ["60"]}})]
    recipe = NS(claims=claims, figures=figures, tables=[])
    # geo is named by every use (their union is asked); unit and threshold are left open by one
    assert asked(recipe) == {"low-income": {"geo": ["DK", "101", "851"]}}
    # a rank over municipalities reads them all, whatever member it is about
    rank = NS(indicator="low-income", where={"unit": ["percent"], "threshold": ["60"]}, part={},
              item={"geo": ["101"]}, rank_by="geo")
    recipe = NS(claims=[claims[0], rank], figures=[], tables=[])
    assert asked(recipe) == {"low-income": {"unit": ["percent"]}}
