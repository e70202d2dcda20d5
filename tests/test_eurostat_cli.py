"""``udsattestat eurostat …`` and ``fetch poverty-eu/drug-deaths-eu --live`` through CliRunner,
against a local server: output, exit codes, one-line errors, offline replay."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from eurostat_fixtures import TOC, demo_pjan, error, hlth_cd_aro, ilc_li02_new
from jsonschemas import checked

from udsattestat.cli import main
from udsattestat.eurostat import client as es_client
from udsattestat.store import read_parquet

JSON = "application/json"
DATA = "/api/statistics/1.0/data/"


@pytest.fixture
def env(httpserver, monkeypatch, tmp_path):
    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    monkeypatch.setenv("UDSATTESTAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def serve(httpserver, name, body, status=200, ctype=JSON):
    httpserver.expect_request(DATA + name).respond_with_data(body, status=status, content_type=ctype)


def test_search(httpserver, env):
    httpserver.expect_request("/api/catalogue/toc/txt").respond_with_data(TOC, content_type="text/plain")
    code, out = run("eurostat", "search", "poverty", "rate")
    assert code == 0, out
    assert out.splitlines()[0].startswith("ilc_li02         At-risk-of-poverty rate")
    assert "[1995–2024; updated 15.10.2025]" in out and "Next: udsattestat eurostat info ilc_li02" in out
    code, out = run("eurostat", "search", "death", "--json")
    assert [r["code"] for r in checked("eurostat-search", out)["datasets"]] == ["hlth_cd_aro"]
    code, out = run("eurostat", "search", "unicorns")
    assert code == 0 and "No Eurostat dataset matches 'unicorns'" in out
    # the table of contents was kept: offline search works with the server gone
    httpserver.clear()
    code, out = run("eurostat", "search", "population", "--offline")
    assert code == 0 and out.startswith("demo_pjan")


def test_info(httpserver, env):
    serve(httpserver, "ilc_li02", ilc_li02_new())
    code, out = run("eurostat", "info", "ilc_li02", "--filter", "geo=DK,SE")
    assert code == 0, out
    args = httpserver.log[0][0].args
    assert args["lastTimePeriod"] == "1" and args.getlist("geo") == ["DK", "SE"]
    assert "rskpovth (rskpovth), 2 code(s):" in out and "B_60           Below 60% of median" in out
    assert "b  break in time series" in out and "u  low reliability" in out
    code, out = run("eurostat", "info", "ilc_li02", "--filter", "geo=DK,SE", "--json")
    doc = checked("eurostat-info", out)
    assert [d["id"] for d in doc["dimensions"]][:3] == ["freq", "statinfo", "rskpovth"]
    assert doc["flags"]["c"] == "confidential"


def test_fetch_writes_parquet_with_provenance_and_replays_offline(httpserver, env):
    serve(httpserver, "ilc_li02", ilc_li02_new())
    code, out = run("eurostat", "fetch", "ilc_li02", "--filter", "unit=PC", "--since", "2021", "--out", "p.parquet")
    assert code == 0, out
    assert "p.parquet: 11 rows, 3 flagged (fetched; Source: Eurostat (ilc_li02), extracted " in out
    frame, prov = read_parquet(env / "p.parquet")
    assert prov.origin == "eurostat" and prov.query["filters"] == {"unit": ["PC"]}
    assert prov.query["since"] == "2021"
    assert frame.filter(frame["flags"] == "c")["status"].to_list() == ["suppressed"]
    assert (env / "cache" / prov.query["snapshot"]).is_file()
    assert not (env / "data").exists()  # snapshots are a cache, not an output: nothing in ./data
    httpserver.clear()
    code, out = run("eurostat", "fetch", "ilc_li02", "--filter", "unit=PC", "--since", "2021", "--out", "q.parquet", "--offline")
    assert code == 0 and "replayed snapshot" in out
    assert read_parquet(env / "q.parquet")[0].equals(frame)
    code, out = run("eurostat", "fetch", "ilc_li02", "--since", "2020", "--out", "r.parquet", "--offline")
    assert code == 1
    assert out.startswith("Error: --offline: no snapshot of Eurostat dataset ilc_li02") and "Traceback" not in out


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--filter", "geo"], 2, "Error: cannot read --filter 'geo'; write DIM=CODE or DIM=CODE1,CODE2"),
        (["--since", "last year"], 2, "Error: --since: cannot read time code 'last year'"),
        (["--out", "x.csv"], 1, "Error: --out 'x.csv' must end in .parquet"),
    ],
)
def test_fetch_bad_input(env, args, code, message):
    argv = ["eurostat", "fetch", "ilc_li02", *args]
    if "--out" not in args:
        argv += ["--out", "x.parquet"]
    got, out = run(*argv)
    assert got == code and out.startswith(message), out


def test_provider_error_is_one_line(httpserver, env):
    serve(httpserver, "nosuch", error(404, "No results found"), status=404)
    code, out = run("eurostat", "fetch", "nosuch", "--out", "x.parquet")
    assert code == 1
    log, error_line = out.strip().splitlines()  # without a terminal: one log line per attempt, then the error
    assert log.startswith("udsattestat: Eurostat nosuch: attempt 1 of 4: GET http://")
    assert error_line == ("Error: Eurostat refused the request (404/100): No results found — check the dataset "
                           "id with 'udsattestat eurostat search WORDS' and the codes with 'udsattestat eurostat info DATASET'")
    assert not (env / "x.parquet").exists()


def test_fetch_live_indicators(httpserver, env):
    serve(httpserver, "ilc_li02", ilc_li02_new())
    serve(httpserver, "hlth_cd_aro", hlth_cd_aro())
    serve(httpserver, "demo_pjan", demo_pjan())
    code, out = run("fetch", "poverty-eu", "drug-deaths-eu", "--live", "--data-dir", "out")
    assert code == 0, out
    assert "poverty-eu.parquet: 5 rows (eurostat; Source: Eurostat (ilc_li02), extracted" in out
    frame, prov = read_parquet(env / "out" / "drug-deaths-eu.parquet")
    # the live view: the bundled EMCDDA rates (every vintage) plus the live Eurostat rows
    assert set(frame["unit"]) == {"deaths", "per-million", "per-million-15-64"}
    assert prov.citations["eurostat-demo_pjan"]["citation"].startswith("Source: Eurostat (demo_pjan), extracted")
    # both snapshots replay offline with the server gone, to the same table
    httpserver.clear()
    code, out = run("fetch", "drug-deaths-eu", "--live", "--offline", "--data-dir", "out")
    assert code == 0, out
    replayed, prov2 = read_parquet(env / "out" / "drug-deaths-eu.parquet")
    assert replayed.equals(frame) and prov2.raw_sha256 == prov.raw_sha256
    assert httpserver.log == []


def test_offline_commands_say_poverty_eu_is_live_only(env):
    code, out = run("fetch", "poverty-eu")
    assert code == 2
    assert out.strip() == ("Error: 'poverty-eu' has no bundled values (nothing citable offline); "
                           "read it live from eurostat:ilc_li02: udsattestat fetch poverty-eu --live "
                           "(add --offline to replay the last live read without the network)")
    code, out = run("list", "--json")
    rows = {r["id"]: r for r in checked("list", out)["indicators"]}
    assert rows["poverty-eu"]["periods"] == "live only" and rows["poverty-eu"]["live"] == "eurostat:ilc_li02"
    code, out = run("info", "poverty-eu", "--lang", "en")
    assert "Periods:     none bundled (live only: udsattestat show poverty-eu --live)" in out


def test_bundled_drug_deaths_eu(env):
    code, out = run("fetch", "drug-deaths-eu", "--data-dir", "b")
    assert code == 0, out
    frame, prov = read_parquet(env / "b" / "drug-deaths-eu.parquet")
    rates = dict(zip(frame.filter(frame["unit"] == "per-million-15-64")["geo"],
                     frame.filter(frame["unit"] == "per-million-15-64")["value"], strict=True))
    # all 30 countries of EMCDDA 2012 fig. DRD-7, with N as rows of their own
    assert len(rates) == 30
    assert {g: rates[g] for g in ("EE", "NO", "IE", "DK", "UK", "FI", "SE", "DE")} == {
        "EE": 111.2, "NO": 87.0, "IE": 65.2, "DK": 54.8, "UK": 54.4, "FI": 46.7, "SE": 40.8, "DE": 22.5}
    deaths = dict(zip(frame.filter(frame["unit"] == "deaths")["geo"],
                      frame.filter(frame["unit"] == "deaths")["value"], strict=True))
    assert len(deaths) == 30 and deaths["DK"] == 222.0
    assert set(frame["status"]) == {"uncertain"}
    assert all("most recent year reported" in n for n in frame["note"].to_list())
    assert any("TOXICO" in c for c in prov.caveats["en"])
    assert any("the period 2012 is the bulletin edition" in c for c in prov.caveats["en"])


def test_every_command_has_help_with_an_example():
    for cmd in ("search", "info", "fetch"):
        code, out = run("eurostat", cmd, "--help")
        assert code == 0 and "Example:" in out


def test_empty_answer_is_an_error_not_an_empty_file(httpserver, env):
    doc = json.loads(ilc_li02_new())
    doc["value"], doc["status"] = {}, {}
    serve(httpserver, "ilc_li02", json.dumps(doc).encode())
    code, out = run("eurostat", "fetch", "ilc_li02", "--filter", "geo=DK", "--out", "e.parquet")
    assert code == 2
    assert out.strip().splitlines()[-1] == "Error: Eurostat returned no values for ilc_li02 with this selection; loosen --filter/--since"
    assert not (env / "e.parquet").exists()


def test_unreachable_server(env, monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv(es_client.BASE_URL_ENV, f"http://127.0.0.1:{port}/api")
    from udsattestat.errors import FetchError
    from udsattestat.eurostat.fetch import Session, get_dataset
    from udsattestat.net.http import HttpClient

    waits = []
    with pytest.raises(FetchError, match="failed after 2 attempts: connection failed"):
        get_dataset(Session.open(env, http=HttpClient(sleep=waits.append, retries=1)), "ilc_li02")


def test_command_modules_import_no_heavy_libraries():
    import sys

    import offline

    code = ("import sys, udsattestat.cli.eurostat, udsattestat.eurostat.fetch, udsattestat.eurostat.indicators; "
            "print(sorted(m for m in ('polars', 'pandas', 'pyarrow', 'matplotlib') if m in sys.modules))")
    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    out = offline.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout
    assert out.strip() == "[]"


def test_show_live_rows_of_a_eurostat_view_are_the_live_views_rows(httpserver, env):
    """``show --live`` merges the bundled rows and the live table as plain rows (no polars for a
    StatBank view; Eurostat's frame is converted): the rows and order of load_with_provenance."""
    from udsattestat.api import load_with_provenance
    from udsattestat.bundle import read_bundled, tidy_rows
    from udsattestat.live import live_rows

    serve(httpserver, "hlth_cd_aro", hlth_cd_aro())
    serve(httpserver, "demo_pjan", demo_pjan())
    view, _ = load_with_provenance("drug-deaths-eu", live=True, vintage="all", data_dir=env / "data")
    meta, raw, bprov = read_bundled("drug-deaths-eu")
    rows, rprov = live_rows(meta, tidy_rows(meta, raw, "da"), bprov, lang="da", data_dir=env / "data", offline=True)
    assert "flags" in view.columns and {r["source"] for r in rows} == set(view["source"])  # bundled and live
    assert rows == view.to_dicts()
    _, replayed = load_with_provenance("drug-deaths-eu", live=True, vintage="all", data_dir=env / "data", offline=True)
    assert rprov.to_json() == replayed.to_json()  # both replayed
