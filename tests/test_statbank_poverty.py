"""``fetch poverty --live``: IFOR51 (SYNTHETIC fixture) into the bundled poverty schema."""

from __future__ import annotations

import json

import polars as pl
import pytest
from click.testing import CliRunner
from conftest import fixture_bytes

from udsattestat.api import load_with_provenance
from udsattestat.bundle import load_bundled
from udsattestat.cli import main
from udsattestat.errors import FetchError, OfflineError
from udsattestat.store import read_parquet


def serve_ifor51(statbank, info: dict | None = None):
    statbank.tableinfo("IFOR51", "da", body=info)
    statbank.data("ifor51_data_da.csv")


def test_live_poverty_has_the_bundle_schema_and_codes(statbank, tmp_path):
    serve_ifor51(statbank)
    view, prov = load_with_provenance("poverty", live=True, vintage="all", data_dir=tmp_path)
    bundled, _, _ = load_bundled("poverty", "da")
    assert view.schema == bundled.schema
    # the live view is every bundled vintage plus the live rows
    assert view.filter(pl.col("source") != "statbank-ifor51").equals(bundled)
    live = view.filter(pl.col("source") == "statbank-ifor51")
    assert live.height == 40
    assert set(live["age"].unique()) == {"TOT", "0017"}
    assert set(live["unit"].unique()) == {"persons", "percent"}
    body = statbank.data_requests()[0]
    # codes by id (ANT persons, AND per cent, 1AAR one year), as documentation mirrors give them
    assert body["variables"] == [
        {"code": "ALDER", "values": ["TOT", "0017"]},
        {"code": "ENHED", "values": ["ANT", "AND"]},
        {"code": "KMDR", "values": ["1AAR"]},
        {"code": "Tid", "values": ["*"]},
    ]
    row = live.filter((pl.col("period") == "2019") & (pl.col("age") == "TOT") & (pl.col("unit") == "persons")).row(0, named=True)
    assert row["value"] == 204000.0  # synthetic fixture value
    assert row["age_label"] == "Alle" and row["geo"] == "DK" and row["geo_label"] == "Hele landet"
    assert row["vintage"] == "2025-12-10T08:00:00" and row["vintage_date"] == "2025-12-10"
    assert row["status"] == "published" and row["confidence"] == "V" and row["source"] == "statbank-ifor51"
    pct = live.filter((pl.col("period") == "2019") & (pl.col("unit") == "percent"))["value"].to_list()
    assert pct == [3.1, 3.5] or sorted(pct) == [3.1, 3.5]
    sup = live.filter(pl.col("status") == "suppressed")
    assert sup.select("period", "age", "unit").rows() == [("2016", "0017", "persons")]
    assert sup["value"].to_list() == [None]
    assert prov.origin == "bundle+statbank" and prov.indicator == "poverty"
    assert prov.vintages["2025-12-10T08:00:00"] == {
        "published": "2025-12-10", "description": "StatBank table IFOR51 as updated 2025-12-10T08:00:00 (Danish time)",
        "texts": {"description": {"da": "Statistikbankens tabel IFOR51, opdateret 2025-12-10T08:00:00 (dansk tid)",
                                  "en": "StatBank table IFOR51 as updated 2025-12-10T08:00:00 (Danish time)"}}}
    assert set(bundled["vintage"]) < set(prov.vintages)
    from udsattestat.presentation import dataset_text

    # bundled + live: the licence shown is the dataset's, in both languages
    assert prov.licence == dataset_text(prov, "licence", "en") and dataset_text(prov, "licence", "da").startswith("Fri")
    mapping = prov.extra["statbank_mapping"]
    assert mapping["fixed"] == {"KMDR": {"code": "1AAR", "label": "1 år", "by": "nested-durations", "found_by": "id",
                                         "labels": {"da": "1 år", "en": "1 year"}}}
    assert mapping["dimensions"] == {"age": "ALDER"} and mapping["unit"] == {"ENHED": {"ANT": "persons", "AND": "percent"}}
    assert prov.extra["units"]["persons"] == {"da": "personer", "en": "persons"}
    # labels of both languages travel with the data
    assert prov.extra["dimensions"]["age"]["codes"]["0017"] == {"da": "Børn (0–17 år)", "en": "Children (0–17 years)"}
    assert prov.extra["live"]["statbank"]["table"] == "IFOR51"


def test_cli_fetch_poverty_live_then_offline(statbank, tmp_path):
    serve_ifor51(statbank)
    runner = CliRunner()
    res = runner.invoke(main, ["fetch", "poverty", "--live", "--data-dir", str(tmp_path)])
    assert res.exit_code == 0, res.output
    bundled, _, _ = load_bundled("poverty", "da")
    rows = 40 + bundled.height
    assert f"poverty.parquet: {rows} rows (bundle+statbank; Source: Statistics Denmark" in res.output
    assert "statbank.dk/IFOR51" in res.output
    frame, prov = read_parquet(tmp_path / "poverty.parquet")
    assert prov.origin == "bundle+statbank" and frame.height == rows
    n = len(statbank.server.log)
    res = runner.invoke(main, ["fetch", "poverty", "--live", "--offline", "--data-dir", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert len(statbank.server.log) == n


def test_cli_offline_without_snapshot_says_so(statbank, tmp_path):
    res = CliRunner().invoke(main, ["fetch", "poverty", "--live", "--offline", "--data-dir", str(tmp_path)])
    assert res.exit_code == 1
    assert res.output.startswith("Error: --offline: no snapshot of tableinfo for IFOR51")
    assert "Traceback" not in res.output
    assert statbank.server.log == []


def _info(**changes):
    info = json.loads(fixture_bytes("statbank", "ifor51_tableinfo_da.json"))
    for var in info["variables"]:
        if var["id"] in changes:
            change = changes[var["id"]]
            if change is None:
                info["variables"].remove(var)
            else:
                var.update(change)
    return info


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ALDER": {"values": [{"id": "TOT", "text": "I alt"}, {"id": "0-17", "text": "0-17 år"}]}},
         "ALDER has no code(s) 0017"),
        ({"ENHED": {"values": [{"id": "A", "text": "Antal"}, {"id": "B", "text": "Antal personer"}]}},
         "expected one 'persons' value in ENHED ('ANT', else text ~ /antal|personer|number|persons/ and not"),
        ({"KMDR": {"values": [{"id": "V1", "text": "Mindst 1 år"}, {"id": "W1", "text": "1 år, ny opgørelse"}]}},
         "expected the 1-year duration 1AAR in KMDR, or one value whose text gives 1; found 2"),
        ({"KMDR": None}, "expected the duration variable KMDR (or one variable whose text says varighed/duration), "
                         "found 0 among"),
    ],
)
def test_a_changed_table_fails_clearly(statbank, tmp_path, changes, message):
    """The mapping matched the table before (a fetch recorded its shape); the table changed."""
    serve_ifor51(statbank)
    load_with_provenance("poverty", live=True, data_dir=tmp_path)
    statbank.server.clear()
    statbank.tableinfo("IFOR51", "da", body=_info(**changes))
    with pytest.raises(FetchError) as info:
        load_with_provenance("poverty", live=True, data_dir=tmp_path)
    text = str(info.value)
    assert text.startswith("StatBank table IFOR51 changed shape since the mapping last matched it (its tableinfo "
                           "of 2025-12-10T08:00:00; now 2025-12-10T08:00:00): ")
    assert message in text and "(the bundled data still work without --live)" in text
    assert statbank.data_requests() == []


@pytest.mark.parametrize(("changes", "key", "message"), [
    ({"ALDER": {"values": [{"id": "TOT", "text": "I alt"}, {"id": "0-17", "text": "0-17 år"}]}},
     ("dimensions", "age", "codes"), "dimensions.age.codes: ALDER has no code(s) 0017; did you mean '0-17'?"),
    ({"KMDR": None}, ("statbank", "nested-durations"),
     "statbank.nested-durations: expected the duration variable KMDR"),
])
def test_a_mapping_that_never_matched_is_the_mappings_mistake_at_its_line(statbank, tmp_path, changes, key, message):
    """No fetch ever matched: not 'changed shape' (and no word of bundled data) but the line to fix."""
    from udsattestat.bundle import datasets_dir
    from udsattestat.toml_schema import line_of

    toml = datasets_dir() / "poverty" / "dataset.toml"
    line = line_of(toml.read_text("utf-8").splitlines(), key)
    statbank.tableinfo("IFOR51", "da", body=_info(**changes))
    with pytest.raises(FetchError) as info:
        load_with_provenance("poverty", live=True, data_dir=tmp_path)
    text = str(info.value)
    assert f"dataset.toml, line {line}: {message}" in text
    assert "changed shape" not in text and "bundled data" not in text
    assert text.endswith("the [statbank] mapping does not match StatBank table IFOR51; 'udsattestat statbank info "
                         "IFOR51' lists its variables and codes")


def test_offline_error_type(statbank, tmp_path):
    with pytest.raises(OfflineError):
        load_with_provenance("poverty", live=True, offline=True, data_dir=tmp_path)


def test_live_poverty_in_english_fetches_the_codes_once(statbank, tmp_path):
    """--lang en shows English labels (from tableinfo in English) over the same data snapshot:
    the codes are fetched once, in the mapping's language, whatever language is shown."""
    statbank.tableinfo("IFOR51", "da")
    statbank.serve_table("IFOR51", "ifor51_data_da.csv")
    da, _ = load_with_provenance("poverty", lang="da", live=True, vintage="all", data_dir=tmp_path)
    n = len(statbank.data_requests())
    view, prov = load_with_provenance("poverty", lang="en", live=True, vintage="all", data_dir=tmp_path, offline=True)
    assert len(statbank.data_requests()) == n == 1 and statbank.data_requests()[0]["lang"] == "da"
    live = view.filter(pl.col("source") == "statbank-ifor51")
    assert live["value"].to_list() == da.filter(pl.col("source") == "statbank-ifor51")["value"].to_list()
    assert live.filter(pl.col("age") == "0017")["age_label"].unique().to_list() == ["Children (0–17 years)"]
    assert prov.extra["statbank_mapping"]["fixed"]["KMDR"]["labels"] == {"da": "1 år", "en": "1 year"}
    assert prov.caveats["en"][-1].endswith("KMDR=1AAR (1 year).")


def test_a_mapping_read_in_english_reads_decimal_points(statbank, tmp_path, datasets_copy):
    toml = datasets_copy / "poverty" / "dataset.toml"
    toml.write_text(toml.read_text("utf-8").replace('[statbank]\ntable = "IFOR51"',
                                                    '[statbank]\ntable = "IFOR51"\nlanguage = "en"'), "utf-8")
    statbank.tableinfo("IFOR51", "en")
    lines = ["ALDER;ENHED;KMDR;TID;INDHOLD", "TOT;ANT;1AAR;2022;213900", "TOT;AND;1AAR;2022;3.7",
             "0017;ANT;1AAR;2022;47200", "0017;AND;1AAR;2022;4.2"]  # synthetic rows, English number format
    statbank.data(("\ufeff" + "".join(f"{line}\r\n" for line in lines)).encode("utf-8"))
    view, prov = load_with_provenance("poverty", lang="da", live=True, vintage="all", data_dir=tmp_path)
    live = view.filter(pl.col("source") == "statbank-ifor51")
    assert statbank.data_requests()[0]["lang"] == "en"
    pct = live.filter(pl.col("unit") == "percent").sort("age")["value"].to_list()
    assert pct == [4.2, 3.7]  # 0017 sorts before TOT; never 37 or 42
    assert live.filter(pl.col("age") == "0017")["age_label"].unique().to_list() == ["Børn (0–17 år)"]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_show_live_rows_without_polars_are_the_live_views_rows(statbank, tmp_path, lang):
    """``show --live`` builds its rows without polars (pyarrow, then dicts): the same rows, in
    the same order, with the same provenance, as the polars view of load_with_provenance."""
    from udsattestat.bundle import read_bundled, tidy_rows
    from udsattestat.live import live_rows

    serve_ifor51(statbank)
    where = {"age": ["TOT"]}
    view, prov = load_with_provenance("poverty", live=True, vintage="all", data_dir=tmp_path, lang=lang, where=where)
    meta, raw, bprov = read_bundled("poverty")
    rows, rprov = live_rows(meta, tidy_rows(meta, raw, lang), bprov, lang=lang, data_dir=tmp_path, where=where)
    assert any(r["source"] == "statbank-ifor51" for r in rows) and any(r["source"] != "statbank-ifor51" for r in rows)
    assert rows == view.to_dicts()
    assert rprov.to_json() == prov.to_json()
