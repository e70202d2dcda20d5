"""A live table that stopped being updated is reported by ``info --live`` and ``update``,
with the successor a dataset names. SYNTHETIC tableinfo on a loopback server."""

from __future__ import annotations

import json
from datetime import date, timedelta

from conftest import fixture_bytes

from udsattestat.stopped import stopped_reason


def test_the_rule_inactive_overdue_or_no_new_periods():
    today = date(2026, 12, 6)
    assert stopped_reason(updated="2026-06-30T08:00:00", latest="2025", today=today) is None
    assert "inactive" in stopped_reason(updated="2026-06-30", latest="2025", active=False, today=today)["en"]
    overdue = stopped_reason(updated="2023-06-30T08:00:00", latest="2022", today=today)
    assert overdue["en"].startswith("not updated since 2023-06-30 (1255 days, newest period 2022)")
    assert overdue["da"].startswith("ikke opdateret siden 2023-06-30")
    # updated last summer, but its newest year is 2021: only old years revised
    assert "no new periods" in stopped_reason(updated="2026-06-30", latest="2021", today=today)["en"]
    # a quarterly table: two quarters and the grace
    assert stopped_reason(updated="2026-06-01", latest="2026K1", today=today) is None
    assert stopped_reason(updated="2026-01-02", latest="2025K4", today=today) is not None


def _doda1(updated: str, last_year: int, active: bool = True) -> dict:
    info = json.loads(fixture_bytes("statbank", "doda1_tableinfo_da.json"))
    info["updated"], info["active"] = updated, active
    tid = info["variables"][-1]
    tid["values"] = [{"id": str(y), "text": str(y)} for y in range(2007, last_year + 1)]
    return info


def test_info_live_says_a_table_stopped_and_names_the_successor(statbank, runner, cli, datasets_copy):
    statbank.tableinfo("DODA1", "da", body=_doda1("2023-06-30T08:00:00", 2022))
    res = runner.invoke(cli, ["info", "deaths-by-cause", "--live", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "  DODA1: updated 2023-06-30T08:00:00, newest period 2022 — STOPPED? not updated since 2023-06-30" in res.output
    assert "; successor:" not in res.output  # none is named: none was found
    toml = datasets_copy / "deaths-by-cause" / "dataset.toml"
    toml.write_text(toml.read_text("utf-8").replace('table = "DODA1"\n', 'table = "DODA1"\nsuccessor = "DODA2"\n'), "utf-8")
    res = runner.invoke(cli, ["info", "deaths-by-cause", "--live", "--lang", "da"])
    assert res.exit_code == 0, res.output
    assert "STOPPET? ikke opdateret siden 2023-06-30" in res.output and "; efterfølger: DODA2" in res.output


def test_info_live_of_a_current_table_says_nothing_is_wrong(statbank, runner, cli):
    recent = (date.today() - timedelta(days=30)).isoformat() + "T08:00:00"
    statbank.tableinfo("DODA1", "da", body=_doda1(recent, date.today().year - 1))
    res = runner.invoke(cli, ["info", "deaths-by-cause", "--live", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert f"  DODA1: updated {recent}, newest period {date.today().year - 1}\n" in res.output
    assert "STOPPED" not in res.output


def test_update_reports_a_stopped_table(statbank, runner, cli, tmp_path, monkeypatch):
    from udsattestat.recipes import update as update_module
    from udsattestat.recipes.reader import load_recipe

    statbank.tableinfo("DODA1", "da", body=_doda1("2023-06-30T08:00:00", 2022, active=False))
    monkeypatch.setattr(update_module, "live_indicators", lambda recipe: ["deaths-by-cause"])
    checks = update_module.check(load_recipe("recipes/forandringskraft-2021.toml"), tmp_path / "none", lang="da")
    assert [c.indicator for c in checks] == ["deaths-by-cause"]
    line = checks[0].line()
    assert "source now: 2023-06-30T08:00:00 → changed: would fetch" in line
    assert "↳ DODA1: updated 2023-06-30T08:00:00, newest period 2022 — STOPPED? the table is marked inactive" in line
    assert sum(1 for r in statbank.server.log if r[0].path == "/v1/tableinfo") == 1  # asked once


def test_info_live_of_a_eurostat_dataset_reads_its_updated_stamp(httpserver, monkeypatch, runner, cli):
    from eurostat_fixtures import cube

    from udsattestat.eurostat import client as es_client

    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    dims = [("freq", [("A", "Annual")]), ("age", [("TOTAL", "Total")]), ("sex", [("T", "Total")]),
            ("unit", [("PC", "Percentage")]), ("geo", [("DK", "Denmark")]), ("time", [("2019", "2019")])]
    httpserver.expect_request("/api/statistics/1.0/data/ilc_peps01n").respond_with_data(
        cube(dims, {("A", "TOTAL", "T", "PC", "DK", "2019"): (17.0, None)}, updated="2020-06-01T23:00:00+0200",
             dataset="ilc_peps01n"), content_type="application/json")
    res = runner.invoke(cli, ["info", "poverty-social-exclusion-eu", "--live", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "  ilc_peps01n: updated 2020-06-01T23:00:00+0200, newest period 2019 — STOPPED? not updated since 2020-06-01" in res.output
