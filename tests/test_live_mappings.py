"""The live mappings against the evidence of the real tables (tests/fixtures/recorded/README.md
says which parts rest on a recorded response and which on documentation mirrors only).

- low-income (IFOR12P): the RECORDED tableinfo (lang=en, updated 2025-12-01) — 000 "All
  Denmark" and 98 municipalities, no regions, INDKN 50/60, 2000–2024.
- poverty / child-poverty (IFOR51): no recording; the ids documentation mirrors give
  (KMDR 1AAR…4AAR, ENHED ANT/AND) in the synthetic tableinfo, Danish and English.
"""

from __future__ import annotations

import json

import polars as pl
import pytest
from conftest import fixture_bytes
from recordings import recorded_bytes

from udsattestat.api import load_with_provenance
from udsattestat.bundle import datasets_dir, read_meta
from udsattestat.statbank.mapping import Mapping, resolve
from udsattestat.statbank.resolved import TableShapeError
from udsattestat.statbank.tableinfo import TableInfo

IFOR12P_EN = ("statbank", "ifor12p_tableinfo_en.json")


def recorded_ifor12p() -> TableInfo:
    return TableInfo.from_json(json.loads(recorded_bytes(*IFOR12P_EN)), lang="en")


def low_income_mapping() -> Mapping:
    return Mapping.parse(read_meta(datasets_dir() / "low-income").doc.statbank)


def test_the_recorded_ifor12p_tableinfo_is_what_the_issue_quotes():
    info = recorded_ifor12p()
    assert info.id == "IFOR12P" and info.updated == "2025-12-01T08:00:00" and info.unit == "Per cent"
    assert [v.id for v in info.variables] == ["KOMMUNEDK", "INDKN", "Tid"]
    kommune, indkn, tid = info.variables
    assert len(kommune.values) == 99 and kommune.values[0] == ("000", "All Denmark") and kommune.map
    assert indkn.codes == ["50", "60"] and not indkn.elimination
    assert tid.codes[0] == "2000" and tid.codes[-1] == "2024" and len(tid.codes) == 25
    # no regions, no Christiansø: the mapping's old exclude rule matched nothing
    assert not [t for _, t in kommune.values if t.lower().startswith("region") or "christiansø" in t.lower()]


def test_low_income_mapping_resolves_against_the_recorded_ifor12p():
    info = recorded_ifor12p()
    mapping = low_income_mapping()
    geo = next(d for d in mapping.dimensions if d.dim == "geo")
    assert geo.exclude is None and geo.count == 99  # every code kept; 99 or the fetch stops
    res = resolve(mapping, info, indicator="low-income", declared={"threshold": ["50", "60"], "geo": ["DK"]},
                  table_unit="percent")
    assert res.selection["KOMMUNEDK"] == info.variables[0].codes
    assert res.selection["INDKN"] == ["50", "60"] and res.selection["Tid"] == [str(y) for y in range(2000, 2025)]
    assert res.recodes == {"geo": {"000": "DK"}}  # "All Denmark" found by its text


def test_low_income_refuses_the_recorded_table_with_regions_added():
    raw = json.loads(recorded_bytes(*IFOR12P_EN))
    raw["variables"][0]["values"].insert(1, {"id": "084", "text": "Region Hovedstaden"})
    with pytest.raises(TableShapeError, match="KOMMUNEDK gives 100 codes for geo, the mapping expects 99"):
        resolve(low_income_mapping(), TableInfo.from_json(raw, lang="en"), indicator="low-income",
                declared={"threshold": ["50", "60"]}, table_unit="percent")


def test_low_income_live_in_english_through_the_recorded_ifor12p_tableinfo(statbank, tmp_path, datasets_copy):
    """The recorded tableinfo served as the API sends it, the mapping read in English (as the
    recording was made); the data body is synthetic, in the dialect the recorded CSV of the
    same repository confirms (KOMMUNEDK;INDKN;TID;INDHOLD, decimal point under en)."""
    toml = datasets_copy / "low-income" / "dataset.toml"
    toml.write_text(toml.read_text("utf-8").replace('since = "2000"\n', 'since = "2000"\nlanguage = "en"\n'), "utf-8")
    statbank.server.expect_request("/v1/tableinfo", method="POST",
                                   json={"table": "IFOR12P", "lang": "en", "format": "JSON"}).respond_with_data(
        recorded_bytes(*IFOR12P_EN), content_type="text/json; charset=utf-8")
    statbank.tableinfo("IFOR12P", "da", other_language=False)  # Danish labels: synthetic (none recorded)
    statbank.tableinfo("IFOR12A", "en")
    synthetic_a = TableInfo.from_json(json.loads(fixture_bytes("statbank", "ifor12a_tableinfo_en.json")), lang="en")
    for table, value, info in (("IFOR12A", "1200", synthetic_a), ("IFOR12P", "12.5", recorded_ifor12p())):
        codes = info.variables[0].codes
        lines = ["KOMMUNEDK;INDKN;TID;INDHOLD", *[f"{c};60;2024;{value}" for c in codes]]
        statbank.data(("\ufeff" + "".join(f"{x}\r\n" for x in lines)).encode(), match={
            "table": table, "format": "CSV", "lang": "en", "valuePresentation": "Code",
            "variables": [{"code": "KOMMUNEDK", "values": codes}, {"code": "INDKN", "values": ["50", "60"]},
                          {"code": "Tid", "values": [str(y) for y in range(2000, 2025)]}]})
    frame, prov = load_with_provenance("low-income", lang="en", live=True, vintage="all", data_dir=tmp_path)
    pct = frame.filter((pl.col("unit") == "percent") & (pl.col("geo") == "DK"))
    assert pct["value"].to_list() == [12.5] and pct["geo_label"].to_list() == ["Denmark"]
    assert frame.filter(pl.col("unit") == "percent")["geo"].n_unique() == 99
    assert prov.extra["dimensions"]["geo"]["codes"]["101"] == {"da": "København", "en": "Copenhagen"}


def ifor51(lang: str) -> dict:
    return json.loads(fixture_bytes("statbank", f"ifor51_tableinfo_{lang}.json"))


def resolve_poverty(raw: dict, lang: str, years: int = 1):
    meta = read_meta(datasets_dir() / "poverty")
    sb = dict(meta.doc.statbank)
    sb["nested-durations"] = {"years": years}
    return resolve(Mapping.parse(sb), TableInfo.from_json(raw, lang=lang), indicator="poverty",
                   declared={"age": ["TOT", "0017"]}, table_unit=None)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_durations_found_by_id_whatever_the_labels_say(lang):
    raw = ifor51(lang)
    kmdr = next(v for v in raw["variables"] if v["id"] == "KMDR")
    kmdr["text"] = "ny overskrift" if lang == "da" else "reworded heading"  # a reworded label
    for value in kmdr["values"]:
        value["text"] = "?"
    res = resolve_poverty(raw, lang, years=3)
    assert res.selection["KMDR"] == ["3AAR"]
    assert res.fixed["KMDR"] == {"code": "3AAR", "label": "?", "by": "nested-durations", "found_by": "id"}
    assert res.selection["ENHED"] == ["ANT", "AND"]  # units by id too


@pytest.mark.parametrize(("lang", "text", "value"), [("da", "varighed", "2 år i træk"),
                                                     ("en", "duration", "2 consecutive years")])
def test_durations_by_label_only_when_the_id_is_gone_in_either_language(lang, text, value):
    raw = ifor51(lang)
    kmdr = next(v for v in raw["variables"] if v["id"] == "KMDR")
    kmdr["id"] = "VARIGHED"
    kmdr["text"] = text
    for v in kmdr["values"]:
        v["id"] = "V" + v["id"][0]
    res = resolve_poverty(raw, lang, years=2)
    assert res.fixed["VARIGHED"]["code"] == "V2" and res.fixed["VARIGHED"]["label"] == value
    assert res.fixed["VARIGHED"]["found_by"] == "text"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_units_by_label_only_when_their_ids_are_gone(lang):
    raw = ifor51(lang)
    enhed = next(v for v in raw["variables"] if v["id"] == "ENHED")
    enhed["values"][0]["id"], enhed["values"][1]["id"] = "N1", "P1"
    res = resolve_poverty(raw, lang)
    assert res.units == {"N1": "persons", "P1": "percent"}
