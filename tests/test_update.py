"""udsattestat update: ask each live source whether its table changed since the last build,
fetch only what did (loopback StatBank and Eurostat servers, SYNTHETIC fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from eurostat_fixtures import demo_pjan, hlth_cd_aro

from udsattestat.cli import main
from udsattestat.eurostat import client as es_client

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "recipes" / "forandringskraft-2021.toml"
TABLEINFO = json.loads((ROOT / "tests" / "fixtures" / "statbank" / "ifor51_tableinfo_da.json").read_text())


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def serve(statbank, monkeypatch, *, updated: str = TABLEINFO["updated"]):
    """IFOR51 (tableinfo saying ``updated``, and its data) and Eurostat's two tables."""
    statbank.server.clear_all_handlers()
    statbank.server.clear_log()  # count only the requests made after this point
    statbank.tableinfo("IFOR51", "da", body={**TABLEINFO, "updated": updated})
    statbank.data("ifor51_data_da.csv")
    monkeypatch.setenv(es_client.BASE_URL_ENV, statbank.server.url_for("/api"))
    statbank.server.expect_request("/api/statistics/1.0/data/hlth_cd_aro").respond_with_data(
        hlth_cd_aro(), content_type="application/json")
    statbank.server.expect_request("/api/statistics/1.0/data/demo_pjan").respond_with_data(
        demo_pjan(), content_type="application/json")


def eurostat_data_requests(statbank) -> list[str]:
    # the probe asks for the latest period only; a fetch asks for the whole series
    return [req.query_string.decode() for req, _ in statbank.server.log
            if req.path.startswith("/api/statistics/1.0/data/") and b"lastTimePeriod" not in req.query_string]


def test_dry_run_without_a_live_build_would_fetch_everything(statbank, monkeypatch, tmp_path):
    serve(statbank, monkeypatch)
    res = run("update", SEED, "--out", tmp_path / "site", "--dry-run")
    assert res.exit_code == 4, res.output  # something would change
    assert "poverty          statbank:IFOR51" in res.output
    assert "last build: no live build yet; source now: 2025-12-10T08:00:00 → changed: would fetch" in res.output
    assert "drug-deaths-eu   eurostat:hlth_cd_aro" in res.output
    assert "would fetch: drug-deaths-eu, poverty" in res.output
    assert statbank.data_requests() == [] and eurostat_data_requests(statbank) == []  # asked, not fetched
    assert not (tmp_path / "site").exists()


def test_update_fetches_only_the_table_that_changed(statbank, monkeypatch, tmp_path):
    serve(statbank, monkeypatch)
    site = tmp_path / "site"
    res = run("build", SEED, "--out", site, "--live", "--fail-on", "none")
    assert res.exit_code == 0, res.output

    # nothing new at either source: the dry run says so, and update leaves the build alone
    serve(statbank, monkeypatch)
    res = run("update", SEED, "--out", site, "--dry-run")
    assert res.exit_code == 0, res.output
    assert "source now: 2025-12-10T08:00:00 → unchanged: replay the snapshot" in res.output
    assert "would fetch: nothing" in res.output
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    res = run("update", SEED, "--out", site)
    assert res.exit_code == 0 and "up to date" in res.output, res.output
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before

    # StatBank publishes a new release of IFOR51: only it is fetched, Eurostat is replayed
    serve(statbank, monkeypatch, updated="2026-06-30T08:00:00")
    res = run("update", SEED, "--out", site, "--dry-run")
    assert "last build: 2025-12-10T08:00:00; source now: 2026-06-30T08:00:00 → changed: would fetch" in res.output
    assert "would fetch: poverty" in res.output and statbank.data_requests() == []
    res = run("update", SEED, "--out", site)
    assert res.exit_code == 4, res.output  # the build changed
    assert "fetched: poverty; replayed: drug-deaths-eu" in res.output
    assert len(statbank.data_requests()) == 1 and eurostat_data_requests(statbank) == []
    assert "## udsattestat diff:" in res.output and "2026-06-30T08:00:00" in res.output
    manifest = json.loads((site / "manifest.json").read_text())
    assert manifest["inputs"]["poverty"]["live"]["statbank"]["updated"] == "2026-06-30T08:00:00"


def test_update_errors_are_one_line(tmp_path):
    res = run("update", SEED, ROOT / "recipes" / "homelessness-brief.toml", "--out", tmp_path / "x")
    assert res.exit_code == 2 and res.output.startswith("Error: --out names one build folder")
    res = run("update", ROOT / "recipes" / "homelessness-brief.toml", "--out", tmp_path / "x", "--dry-run")
    assert res.exit_code == 0 and "no live indicators: nothing to update" in res.output


def test_a_network_error_is_the_same_exit_code_from_update_and_fetch(statbank, monkeypatch, tmp_path):
    """One exit-code table for every command (docs/cli.md): a source that keeps failing is 1,
    whether `fetch` or `update` asked."""
    statbank.server.expect_request("/v1/tableinfo").respond_with_data("busy", status=503)
    monkeypatch.setenv(es_client.BASE_URL_ENV, statbank.server.url_for("/api"))
    statbank.server.expect_request("/api/statistics/1.0/data/hlth_cd_aro").respond_with_data("busy", status=503)
    fetched = run("fetch", "poverty", "--live", "--data-dir", tmp_path / "data")
    updated = run("update", SEED, "--out", tmp_path / "site", "--dry-run")
    assert fetched.exit_code == updated.exit_code == 1, fetched.output + updated.output
    for res in (fetched, updated):
        assert res.output.splitlines()[-1].startswith("Error: ") and "failed after" in res.output
        assert "Traceback" not in res.output


def test_a_missing_snapshot_is_the_same_exit_code_from_fetch_and_build(monkeypatch, tmp_path):
    """--live --offline with nothing cached: 1 from every command, located in the recipe by build."""
    monkeypatch.setenv("UDSATTESTAT_CACHE_DIR", str(tmp_path / "cache"))
    fetched = run("fetch", "poverty", "--live", "--offline", "--data-dir", tmp_path / "data")
    verified = run("verify", SEED, "--live", "--offline")
    built = run("build", SEED, "--live", "--offline", "--out", tmp_path / "site")
    assert fetched.exit_code == verified.exit_code == built.exit_code == 1, fetched.output + verified.output
    assert "no snapshot of tableinfo for IFOR51" in verified.output and str(SEED) in verified.output
    assert not (tmp_path / "site").exists()
