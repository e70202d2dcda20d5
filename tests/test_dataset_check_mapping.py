"""``dataset check`` checks a live mapping against the table's metadata: the line, the bad
code, the nearest good one — from the cache, or fetched with ``--live``. Loopback servers in
the APIs' dialects; SYNTHETIC tableinfo and structures."""

from __future__ import annotations

import re

from eurostat_fixtures import cube

from udsattestat.eurostat import client as es_client


def _edit(folder, old: str, new: str) -> None:
    toml = folder / "dataset.toml"
    text = toml.read_text("utf-8")
    assert old in text
    toml.write_text(text.replace(old, new, 1), "utf-8")


def test_a_code_the_table_lacks_is_named_at_its_line_with_the_nearest(statbank, datasets_copy, runner, cli):
    folder = datasets_copy / "child-poverty"
    _edit(folder, 'fixed = { ALDER = "0017" }', 'fixed = { ALDER = "0071" }')
    statbank.tableinfo("IFOR51", "da")
    res = runner.invoke(cli, ["dataset", "check", str(folder), "--live"])
    assert res.exit_code == 1
    line = next(i for i, text in enumerate((folder / "dataset.toml").read_text("utf-8").splitlines(), 1)
                if text.startswith("fixed = "))
    assert res.output.startswith(f"error {folder}/dataset.toml, line {line}: statbank.fixed.ALDER: ALDER has no "
                                 "code '0071' for ALDER; did you mean '0017'?")
    assert "the [statbank] mapping does not match StatBank table IFOR51" in res.output
    assert "changed shape" not in res.output and "bundled data" not in res.output  # a live-only dataset's own mistake
    assert statbank.data_requests() == []  # metadata only


def test_a_matching_mapping_is_checked_from_the_cache_after_a_live_check(statbank, datasets_copy, runner, cli):
    folder = datasets_copy / "child-poverty"
    res = runner.invoke(cli, ["dataset", "check", str(folder)])
    assert res.exit_code == 0 and "mapping not checked: no tableinfo of IFOR51 in the cache (--live fetches it)" in res.output
    statbank.tableinfo("IFOR51", "da")
    res = runner.invoke(cli, ["dataset", "check", str(folder), "--live"])
    assert res.exit_code == 0, res.output
    assert "mapping matches IFOR51 (tableinfo of 2025-12-10T08:00:00, fetched)" in res.output
    n = len(statbank.server.log)
    res = runner.invoke(cli, ["dataset", "check", str(folder)])
    assert res.exit_code == 0 and "mapping matches IFOR51 (tableinfo of 2025-12-10T08:00:00, cached)" in res.output
    assert len(statbank.server.log) == n


def test_changed_shape_only_when_the_table_differs_from_what_matched(statbank, datasets_copy, runner, cli):
    """A mapping that matched, then a table that lost a code: the table's change, told as such."""
    import json

    from conftest import fixture_bytes

    folder = datasets_copy / "child-poverty"
    statbank.tableinfo("IFOR51", "da")
    assert runner.invoke(cli, ["dataset", "check", str(folder), "--live"]).exit_code == 0
    statbank.server.clear()
    info = json.loads(fixture_bytes("statbank", "ifor51_tableinfo_da.json"))
    info["variables"][0]["values"] = [v for v in info["variables"][0]["values"] if v["id"] != "0017"]
    statbank.tableinfo("IFOR51", "da", body=info)
    res = runner.invoke(cli, ["dataset", "check", str(folder), "--live"])
    assert res.exit_code == 1
    assert re.match(r"error StatBank table IFOR51 changed shape since the mapping last matched it \(its tableinfo "
                    r"of 2025-12-10T08:00:00; now 2025-12-10T08:00:00\): ALDER has no code '0017'", res.output)
    assert "bundled data" not in res.output  # child-poverty is live only


STRUCTURE = [("freq", [("A", "Annual")]), ("unit", [("NR", "Number"), ("RT", "Rate")]),
             ("sex", [("T", "Total"), ("M", "Males"), ("F", "Females")]), ("age", [("TOTAL", "Total")]),
             ("icd10", [("A-R_V-Y", "All causes of death"), ("F", "Mental and behavioural disorders"),
                        ("TOXICO", "Drug dependence, toxicomania (F11-F16, F18-F19)")]),
             ("resid", [("TOT_IN", "All deaths reported in the country"), ("TOT_RESID", "All residents")]),
             ("geo", [("DK", "Denmark")]), ("time", [("2022", "2022")])]


def _serve_structure(httpserver, monkeypatch):
    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    httpserver.expect_request("/api/statistics/1.0/data/hlth_cd_aro").respond_with_data(
        cube(STRUCTURE, {}, dataset="hlth_cd_aro"), content_type="application/json")


def test_a_eurostat_filter_code_the_dataset_lacks_is_an_error_not_an_empty_series(
        httpserver, monkeypatch, datasets_copy, runner, cli):
    folder = datasets_copy / "drug-deaths-eu"
    _edit(folder, 'icd10 = ["TOXICO"]', 'icd10 = ["TOXICA"]')
    _serve_structure(httpserver, monkeypatch)
    res = runner.invoke(cli, ["dataset", "check", str(folder), "--live"])
    assert res.exit_code == 1
    assert re.search(r"dataset\.toml, line \d+: eurostat\.filters\.icd10: dimension icd10 has no code 'TOXICA'; "
                     r"did you mean 'TOXICO'\? — Eurostat would answer with an empty or another series", res.output)
    assert httpserver.log[0][0].args.get("lastTimePeriod") == "1"  # the structure: the latest period, every code


def test_the_eurostat_mapping_as_bundled_matches_the_structure(httpserver, monkeypatch, datasets_copy, runner, cli):
    _serve_structure(httpserver, monkeypatch)
    res = runner.invoke(cli, ["dataset", "check", str(datasets_copy / "drug-deaths-eu"), "--live"])
    assert res.exit_code == 0, res.output
    assert "mapping matches Eurostat hlth_cd_aro (fetched, updated" in res.output


def test_a_eurostat_answer_without_the_filtered_code_or_any_value_is_refused_at_fetch(
        httpserver, monkeypatch, tmp_path):
    """At fetch time a wrong code is not an error from Eurostat: it is refused here instead
    of becoming an empty or another series."""
    import pytest

    from udsattestat.api import load_with_provenance
    from udsattestat.errors import ProviderError

    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    other = [(d, [("F", "Mental and behavioural disorders")]) if d == "icd10" else (d, codes) for d, codes in STRUCTURE]
    httpserver.expect_oneshot_request("/api/statistics/1.0/data/hlth_cd_aro").respond_with_data(
        cube(other, {("A", "NR", "T", "TOTAL", "F", "TOT_IN", "DK", "2022"): (1.0, None)}, dataset="hlth_cd_aro"),
        content_type="application/json")
    with pytest.raises(ProviderError, match=r"the filter icd10=TOXICO is not in the answer \(it has F\)"):
        load_with_provenance("drug-deaths-eu", live=True, data_dir=tmp_path, refresh=True)
    empty = [(d, []) if d == "time" else (d, codes) for d, codes in STRUCTURE]
    httpserver.expect_oneshot_request("/api/statistics/1.0/data/hlth_cd_aro").respond_with_data(
        cube(empty, {}, dataset="hlth_cd_aro"), content_type="application/json")
    with pytest.raises(ProviderError, match="holds no value; a filter code may be wrong"):
        load_with_provenance("drug-deaths-eu", live=True, data_dir=tmp_path, refresh=True)


def test_a_misspelt_code_in_adds_up_is_named(statbank, datasets_copy, runner, cli):
    """adds_up inside = ["A32X"] would forbid nothing and let A23X be added: refused at its line."""
    folder = datasets_copy / "deaths-by-cause"
    _edit(folder, 'inside = ["A23X"]', 'inside = ["A32X"]')
    statbank.tableinfo("DODA1", "da")
    res = runner.invoke(cli, ["dataset", "check", str(folder), "--live"])
    assert res.exit_code == 1
    assert re.search(r"dataset\.toml, line \d+: dimensions\.cause\.adds_up: inside code 'A32X' is not a code of cause "
                     r"\(StatBank table DODA1, ÅRSAG\); did you mean 'A23X'\?", res.output), res.output
    _edit(folder, 'inside = ["A32X"]', 'inside = ["A23X"]')
    res = runner.invoke(cli, ["dataset", "check", str(folder), "--live"])
    assert res.exit_code == 0 and "mapping matches DODA1" in res.output
