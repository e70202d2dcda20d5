"""The indicators added as folders only (no provider code): child-poverty (IFOR51, age
0–17), low-income (IFOR12A + IFOR12P by municipality), deaths-by-cause (DODA1) and
poverty-social-exclusion-eu (Eurostat ilc_peps01n). SYNTHETIC fixtures in the exact shape of
the real tableinfo and data responses; no network."""

from __future__ import annotations

import json

import polars as pl
import pytest
from conftest import fixture_bytes
from eurostat_fixtures import ilc_peps01n
from jsonschemas import checked

from udsattestat.api import load_with_provenance
from udsattestat.errors import FetchError
from udsattestat.eurostat import client as es_client
from udsattestat.schema import polars_schema
from udsattestat.store import read_parquet


def test_child_poverty_is_ifor51_at_age_0017_one_year_never_summed(statbank, tmp_path):
    statbank.tableinfo("IFOR51", "da")
    statbank.data("ifor51_children_data_da.csv")
    frame, prov = load_with_provenance("child-poverty", live=True, vintage="all", data_dir=tmp_path)
    assert statbank.data_requests()[0]["variables"] == [
        {"code": "ALDER", "values": ["0017"]}, {"code": "ENHED", "values": ["ANT", "AND"]},
        {"code": "KMDR", "values": ["1AAR"]}, {"code": "Tid", "values": ["*"]}]
    assert dict(frame.schema) == polars_schema([])
    assert frame.height == 20 and set(frame["unit"]) == {"persons", "percent"}
    row = frame.filter((pl.col("period") == "2019") & (pl.col("unit") == "persons")).row(0, named=True)
    assert row["value"] == 42000.0 and row["geo_label"] == "Hele landet"  # synthetic value
    assert prov.origin == "statbank" and prov.extra["statbank_mapping"]["fixed"] == {
        "ALDER": {"code": "0017", "label": "0-17 år", "by": "mapping", "labels": {"da": "0-17 år", "en": "0-17 years"}},
        "KMDR": {"code": "1AAR", "label": "1 år", "by": "nested-durations", "found_by": "id",
                 "labels": {"da": "1 år", "en": "1 year"}}}
    assert prov.extra["units"]["persons"] == {"da": "børn", "en": "children"}


def _serve_ifor12(statbank, info_a=None):
    statbank.tableinfo("IFOR12A", "da", body=info_a)
    statbank.tableinfo("IFOR12P", "da")
    statbank.data("ifor12a_data_da.csv", match={"table": "IFOR12A", "format": "CSV", "lang": "da",
                                                "valuePresentation": "Code", "variables": _ifor12_vars()})
    statbank.data("ifor12p_data_da.csv", match={"table": "IFOR12P", "format": "CSV", "lang": "da",
                                                "valuePresentation": "Code", "variables": _ifor12_vars()})


def _ifor12_vars():
    info = json.loads(fixture_bytes("statbank", "ifor12a_tableinfo_da.json"))
    areas = [v["id"] for v in info["variables"][0]["values"] if not v["text"].startswith("Region")]
    return [{"code": "KOMMUNEDK", "values": areas}, {"code": "INDKN", "values": ["50", "60"]},
            {"code": "Tid", "values": [str(y) for y in range(2000, 2025)]}]


def test_low_income_all_98_municipalities_and_the_country_two_tables_one_frame(statbank, tmp_path):
    _serve_ifor12(statbank)
    frame, prov = load_with_provenance("low-income", live=True, vintage="all", data_dir=tmp_path)
    assert [r["table"] for r in statbank.data_requests()] == ["IFOR12A", "IFOR12P"]
    geos = frame["geo"].unique().to_list()
    assert len(geos) == 99 and "DK" in geos and "000" not in geos and not any(g.startswith("08") for g in geos)
    assert frame.height == 99 * 2 * 25 * 2  # areas x thresholds x years x units
    assert set(frame["unit"]) == {"persons", "percent"} and set(frame["threshold"]) == {"50", "60"}
    assert frame["period"].min() == "2000"
    dk = frame.filter((pl.col("geo") == "DK") & (pl.col("threshold") == "60") & (pl.col("period") == "2000"))
    assert dict(zip(dk["unit"], dk["value"], strict=True)) == {"persons": 600.0, "percent": 9.0}  # synthetic
    assert dk["geo_label"].unique().to_list() == ["Hele landet"]
    laeso = frame.filter((pl.col("geo") == "825") & (pl.col("period") == "2000") & (pl.col("threshold") == "50"))
    assert laeso["status"].unique().to_list() == ["suppressed"] and laeso["value"].null_count() == 2
    assert laeso["geo_label"][0] == "Læsø" and laeso["threshold_label"][0] == "Under 50 pct. af medianen"
    # municipality labels travel in the provenance in both languages, from tableinfo in each
    assert prov.extra["dimensions"]["geo"]["codes"]["101"] == {"da": "København", "en": "Copenhagen"}
    assert prov.extra["dimensions"]["geo"]["codes"]["DK"] == {"da": "Hele landet", "en": "Denmark"}
    assert set(prov.citations) == {"statbank-ifor12a", "statbank-ifor12p"}
    assert [m["table"] for m in prov.extra["statbank_mapping"]] == ["IFOR12A", "IFOR12P"]


def test_low_income_refuses_a_table_that_lost_a_municipality(statbank, tmp_path):
    info = json.loads(fixture_bytes("statbank", "ifor12a_tableinfo_da.json"))
    info["variables"][0]["values"] = [v for v in info["variables"][0]["values"] if v["id"] != "825"]
    _serve_ifor12(statbank, info_a=info)
    with pytest.raises(FetchError, match="KOMMUNEDK gives 98 codes for geo, the mapping expects 99"):
        load_with_provenance("low-income", live=True, data_dir=tmp_path)
    assert statbank.data_requests() == []


def test_low_income_whole_country_found_by_text_whatever_its_code(statbank, tmp_path):
    lines = ["KOMMUNEDK;INDKN;TID;INDHOLD", "0;50;2020;1000"]
    statbank.data(("\ufeff" + "".join(f"{x}\r\n" for x in lines)).encode())
    for table in ("IFOR12A", "IFOR12P"):
        info = json.loads(fixture_bytes("statbank", f"{table.lower()}_tableinfo_da.json"))
        info["variables"][0]["values"][0]["id"] = "0"  # the notes: "000 or 0"
        statbank.tableinfo(table, "da", body=info)
    frame, _ = load_with_provenance("low-income", live=True, vintage="all", data_dir=tmp_path)
    assert statbank.data_requests()[0]["variables"][0]["values"][0] == "0"
    assert sorted(frame.select("geo", "geo_label", "unit").rows()) == [("DK", "Hele landet", "percent"),
                                                                       ("DK", "Hele landet", "persons")]


def test_deaths_by_cause_every_group_both_sexes_age_total_by_text(statbank, tmp_path):
    statbank.tableinfo("DODA1", "da")
    statbank.data("doda1_data_da.csv")
    frame, prov = load_with_provenance("deaths-by-cause", live=True, vintage="all", data_dir=tmp_path)
    body = statbank.data_requests()[0]["variables"]
    assert body[0]["code"] == "ÅRSAG" and len(body[0]["values"]) == 27  # TOT, A01–A24, A23X, UOPL
    assert body[1] == {"code": "ALDER", "values": ["TOT"]} and body[2] == {"code": "KØN", "values": ["TOT", "1", "2"]}
    assert body[3]["values"][0] == "2007"
    assert dict(frame.schema) == polars_schema(["cause", "sex"])
    assert frame.height == 27 * 3 * 16 and set(frame["unit"]) == {"deaths"}
    tot = frame.filter((pl.col("cause") == "TOT") & (pl.col("sex") == "TOT") & (pl.col("period") == "2007"))
    assert tot["value"].to_list() == [1000.0] and tot["cause_label"][0] == "Alle dødsårsager"
    a05 = frame.filter(pl.col("cause") == "A05")["cause_label"].unique().to_list()
    assert a05 == ["Dødsårsagsgruppe 5 (syntetisk)"]  # tableinfo's label for undeclared codes
    assert prov.extra["statbank_mapping"]["fixed"]["ALDER"]["code"] == "TOT"
    assert any("narkotikarelaterede" in c for c in prov.caveats["da"])


def test_deaths_by_cause_age_total_by_id_and_by_text_only_when_the_id_is_gone(statbank, tmp_path):
    """ALDER is held at TOT by id; an extra value with the same text does not matter. Only when
    TOT is gone is the total found by its text — and two matches are refused, not guessed."""
    from udsattestat.bundle import datasets_dir, read_meta
    from udsattestat.statbank.mapping import Mapping, resolve
    from udsattestat.statbank.tableinfo import TableInfo

    meta = read_meta(datasets_dir() / "deaths-by-cause")
    mapping = Mapping.parse(meta.doc.statbank)
    declared = {"cause": ["TOT"], "sex": ["TOT", "1", "2"]}
    for lang in ("da", "en"):
        info = json.loads(fixture_bytes("statbank", f"doda1_tableinfo_{lang}.json"))
        info["variables"][1]["values"].append({"id": "IALT", "text": "I alt"})
        res = resolve(mapping, TableInfo.from_json(info, lang=lang), indicator="deaths-by-cause", declared=declared,
                      table_unit="deaths")
        assert res.fixed["ALDER"]["code"] == "TOT"
        info["variables"][1]["values"].pop()
        info["variables"][1]["values"][0]["id"] = "ALLE"  # the id renamed: its text decides, in either language
        res = resolve(mapping, TableInfo.from_json(info, lang=lang), indicator="deaths-by-cause", declared=declared,
                      table_unit="deaths")
        assert res.fixed["ALDER"]["code"] == "ALLE"
    info = json.loads(fixture_bytes("statbank", "doda1_tableinfo_da.json"))
    info["variables"][1]["values"][0]["id"] = "ALLE"
    info["variables"][1]["values"].append({"id": "IALT", "text": "I alt"})
    statbank.tableinfo("DODA1", "da", body=info)
    with pytest.raises(FetchError, match=r"expected one ALDER value in ALDER \('TOT', else text .* found 2"):
        load_with_provenance("deaths-by-cause", live=True, data_dir=tmp_path)


def test_poverty_social_exclusion_eu(httpserver, tmp_path, monkeypatch, runner, cli):
    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    httpserver.expect_request("/api/statistics/1.0/data/ilc_peps01n").respond_with_data(
        ilc_peps01n(), content_type="application/json")
    res = runner.invoke(cli, ["fetch", "poverty-social-exclusion-eu", "--live", "--data-dir", str(tmp_path)])
    assert res.exit_code == 0, res.output
    args = httpserver.log[0][0].args
    assert args["unit"] == "PC" and args["sex"] == "T" and args["age"] == "TOTAL"
    frame, prov = read_parquet(tmp_path / "poverty-social-exclusion-eu.parquet")
    assert frame.height == 8 and set(frame["unit"]) == {"percent"}
    ee = frame.filter((pl.col("geo") == "EE") & (pl.col("period") == "2022")).row(0, named=True)
    assert ee["value"] == 24.2 and ee["status"] == "break" and ee["geo_label"] == "Estonia"
    dk = frame.filter(pl.col("geo") == "DK")["geo_label"].unique().to_list()
    assert dk == ["Danmark"]  # the dataset's own Danish label
    # Eurostat publishes English labels only, and the provenance says so
    assert prov.extra["dimensions"]["geo"]["codes"]["EE"] == {"en": "Estonia", "label_language": "en"}


@pytest.mark.parametrize("indicator", ["child-poverty", "low-income", "deaths-by-cause", "poverty-social-exclusion-eu"])
def test_offline_commands_say_the_new_indicators_are_live_only(runner, cli, indicator):
    res = runner.invoke(cli, ["show", indicator])
    assert res.exit_code == 2
    assert f"udsattestat show {indicator} --live (add --offline" in res.output


def test_charts_and_tables_of_live_indicators_work(statbank, tmp_path, runner, cli):
    statbank.tableinfo("IFOR12A", "da")
    statbank.tableinfo("IFOR12P", "da")
    statbank.serve_table("IFOR12A", "ifor12a_data_da.csv")
    statbank.serve_table("IFOR12P", "ifor12p_data_da.csv")
    out = tmp_path / "low-income.svg"
    res = runner.invoke(cli, ["chart", "low-income", "--live", "--data-dir", str(tmp_path), "--where", "geo=DK,101,851",
                              "--where", "threshold=60", "--series", "geo", "--out", str(out)])
    assert res.exit_code == 0, res.output
    # only what the chart shows is asked for, as codes (DK is the table's 000); the chart's
    # default unit (percent) means only the per-cent table is read
    assert [(r["table"], r["variables"][:2]) for r in statbank.data_requests()] == [
        ("IFOR12P", [{"code": "KOMMUNEDK", "values": ["000", "101", "851"]}, {"code": "INDKN", "values": ["60"]}])]
    svg = out.read_text("utf-8")
    # labels from tableinfo (municipalities) and the dataset (DK) reach the chart, with the source line
    assert "København" in svg and "Aalborg" in svg and "Hele landet" in svg and "statistikbanken.dk/IFOR12" in svg
    # replayed offline: same bytes
    again = tmp_path / "again.svg"
    res = runner.invoke(cli, ["chart", "low-income", "--live", "--offline", "--data-dir", str(tmp_path), "--where",
                              "geo=DK,101,851", "--where", "threshold=60", "--series", "geo", "--out", str(again)])
    assert res.exit_code == 0, res.output
    assert again.read_bytes() == out.read_bytes()
    md = tmp_path / "t.md"
    table = ["table", "low-income", "--live", "--offline", "--data-dir", str(tmp_path), "--where", "geo=DK",
             "--where", "unit=percent", "--pivot", "period", "--since", "2020", "--out", str(md)]
    # offline, a smaller selection is answered by the chart's snapshot, which holds it
    res = runner.invoke(cli, [*table, "--where", "threshold=60"])
    assert res.exit_code == 0, res.output
    text = md.read_text("utf-8")
    assert "2020" in text and "pct. af befolkningen" in text.lower() and "statistikbanken.dk/IFOR12P" in text
    # …and a miss says which part of the query no snapshot has
    res = runner.invoke(cli, [*table, "--where", "threshold=50"])
    assert res.exit_code == 1
    assert res.output.startswith("Error: --offline: no snapshot of table IFOR12P holds this query: INDKN=50 is in "
                                 "none of its 1 snapshot; run it once without --offline to fetch it")


def test_the_default_chart_of_deaths_by_cause_is_the_all_causes_total(statbank, tmp_path, runner, cli):
    statbank.tableinfo("DODA1", "en")  # --lang en reads the table in English (integers: no decimal mark)
    statbank.data("doda1_data_da.csv")
    out = tmp_path / "d.svg"
    res = runner.invoke(cli, ["chart", "deaths-by-cause", "--live", "--data-dir", str(tmp_path), "--lang", "en",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "(48 rows)" not in res.output and "(16 rows)" in res.output  # cause=TOT, sex=TOT, 2007–2022
    assert "Deaths by cause of death" in out.read_text("utf-8")


def test_export_live_replays_offline(statbank, tmp_path, runner, cli):
    statbank.tableinfo("IFOR51", "da")
    statbank.data("ifor51_children_data_da.csv")
    out = tmp_path / "kids.csv"
    args = ["export", "child-poverty", "--live", "--data-dir", str(tmp_path), "--where", "unit=persons", "--out", str(out)]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    n = len(statbank.server.log)
    res = runner.invoke(cli, [*args[:2], "--offline", *args[2:]])
    assert res.exit_code == 0 and len(statbank.server.log) == n
    assert "statistikbanken.dk/IFOR51" in out.read_text("utf-8")


def test_release_now_of_a_two_table_indicator(statbank):
    from udsattestat.bundle import datasets_dir, read_meta
    from udsattestat.providers import provider

    statbank.tableinfo("IFOR12A", "da")
    statbank.tableinfo("IFOR12P", "da")
    meta = read_meta(datasets_dir() / "low-income")
    assert provider(meta.provider).release(meta, lang="da") == (
        "statbank:IFOR12A+IFOR12P", "2025-12-01T08:00:00+2025-12-01T08:00:00")
    assert statbank.data_requests() == []  # tableinfo only


def test_show_live_prints_the_live_table_and_replays_it_offline(statbank, runner, cli):
    statbank.tableinfo("IFOR51", "da")
    statbank.data("ifor51_children_data_da.csv")
    res = runner.invoke(cli, ["show", "child-poverty", "--live", "--where", "unit=persons", "--since", "2019",
                              "--until", "2019", "--json"])
    assert res.exit_code == 0, res.output
    shown = checked("show", res.stdout)
    assert [(r["period"], r["value"], r["unit"]) for r in shown["rows"]] == [("2019", 42000.0, "persons")]  # synthetic
    row = shown["rows"][0]
    assert (row["source"], row["vintage_date"], row["status"]) == ("statbank-ifor51", "2025-12-10", "published")
    assert "statistikbanken.dk/IFOR51" in shown["source_line"]
    # only what is shown was asked for: one year, the persons code
    assert statbank.data_requests()[0]["variables"][1:] == [
        {"code": "ENHED", "values": ["ANT"]}, {"code": "KMDR", "values": ["1AAR"]}, {"code": "Tid", "values": ["2019"]}]
    n = len(statbank.server.log)
    res = runner.invoke(cli, ["show", "child-poverty", "--live", "--offline", "--where", "unit=persons",
                              "--since", "2019", "--until", "2019", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert len(statbank.server.log) == n  # replayed: no request, in the other language too
    assert "42,000" in res.output and "2019" in res.output and "Traceback" not in res.output
    res = runner.invoke(cli, ["show", "child-poverty", "--live", "--offline", "--where", "unit=persons"])
    assert res.exit_code == 1 and "Tid=2015,2016,2017,2018,2020" in res.output  # what no snapshot has
    # without --live the indicator still says how to get it
    res = runner.invoke(cli, ["show", "child-poverty"])
    assert res.exit_code == 2 and "--live" in res.output


def test_a_eurostat_live_view_asks_for_its_countries_and_replays_from_a_larger_extract(
        httpserver, tmp_path, monkeypatch, runner, cli):
    """--where geo and --since go into Eurostat's request; offline, the whole extract a fetch
    made answers the smaller view; a view outside every extract says so."""
    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    httpserver.expect_request("/api/statistics/1.0/data/ilc_peps01n").respond_with_data(
        ilc_peps01n(), content_type="application/json")
    view = ["show", "poverty-social-exclusion-eu", "--live", "--where", "geo=DK,SE", "--since", "2022", "--json",
            "--quiet"]
    res = runner.invoke(cli, view)
    assert res.exit_code == 0, res.output
    args = httpserver.log[-1][0].args
    assert args.getlist("geo") == ["DK", "SE"] and args["sinceTimePeriod"] == "2022" and args["unit"] == "PC"
    assert {r["geo"] for r in json.loads(res.stdout)["rows"]} == {"DK", "SE"}
    # a fetch of the whole extract, then views of parts of it offline
    assert runner.invoke(cli, ["fetch", "poverty-social-exclusion-eu", "--live", "--data-dir", str(tmp_path)]).exit_code == 0
    n = len(httpserver.log)
    res = runner.invoke(cli, [*view[:4], "geo=EU27_2020", *view[5:], "--offline"])
    assert res.exit_code == 0, res.output
    assert len(httpserver.log) == n and {r["geo"] for r in json.loads(res.stdout)["rows"]} == {"EU27_2020"}
    # a code the dataset does not declare is not sent: the view names the valid ones
    res = runner.invoke(cli, [*view[:4], "geo=XX", *view[5:]])
    assert res.exit_code == 2 and "unknown code 'XX' for geo" in res.output


def test_the_other_languages_tableinfo_asked_beside_the_data_its_error_still_first(statbank, tmp_path):
    # The English tableinfo is asked while the data download (one round trip less to wait for);
    # when both fail, the error is the tableinfo's, as when it was asked before the data.
    statbank.tableinfo("IFOR51", "da", other_language=False)
    statbank.error("tableinfo", "error_notfound.json", match={"table": "IFOR51", "lang": "en", "format": "JSON"})
    _refuse_data(statbank)
    with pytest.raises(FetchError, match="INVALIDTABLE999"):
        load_with_provenance("child-poverty", live=True, vintage="all", data_dir=tmp_path, lang="en")
    # the data alone failing is the data's error; the English labels were asked all the same
    statbank.server.clear()
    statbank.tableinfo("IFOR51", "da")
    _refuse_data(statbank)
    with pytest.raises(FetchError, match="Ukendt variabel: KMDR"):
        load_with_provenance("child-poverty", live=True, vintage="all", data_dir=tmp_path, lang="en")
    asked = [json.loads(req.data)["lang"] for req, _ in statbank.server.log if req.path == "/v1/tableinfo"]
    assert asked == ["da", "en"]


def _refuse_data(statbank):
    body = json.dumps({"errorTypeCode": "EXTRACT-NOTFOUND", "message": "Ukendt variabel: KMDR"}).encode()
    statbank.server.expect_request("/v1/data", method="POST").respond_with_data(
        body, status=400, content_type="application/json; charset=utf-8")
