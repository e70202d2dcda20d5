"""The live drift checks (tests/drift.py) against the recordings: none for the recorded
bytes themselves, and the right report for each kind of change, so that a check which
could never fail would be caught here rather than trusted."""

from __future__ import annotations

import json

import drift
import pytest
from recordings import interaction, recorded_bytes

from udsattestat.eurostat import sdmxcsv


def info(lang="da"):
    return interaction("statbank", {"da": "table_info_straf42_da.yml", "en": "table_info_straf42.yml"}[lang]).body


def edited(raw: bytes, change) -> bytes:
    doc = json.loads(raw)
    change(doc)
    return json.dumps(doc).encode()


def test_recordings_show_no_drift_against_themselves():
    assert drift.statbank_tableinfo(info("da"), info("da")) == []
    assert drift.statbank_tableinfo(info("en"), info("en")) == []
    csv = interaction("statbank", "data_straf42_csv.yml").body
    assert drift.statbank_csv(csv, csv) == []
    tables = interaction("statbank", "tables_subject_crime.yml").body
    assert drift.statbank_tables(tables, tables, "STRAF42") == []
    for name in ("nama_10_gdp.json", "demo_gind.json"):
        body = recorded_bytes("eurostat", name)
        assert drift.eurostat_jsonstat(body, body) == []


@pytest.mark.parametrize("change, report", [
    (lambda d: d.pop("updated"), "tableinfo: key 'updated' missing"),
    (lambda d: d.update(footnote="plain text"), "tableinfo: footnote is now text (recorded object)"),
    (lambda d: d["footnote"].update(link="x"), "tableinfo footnote: new key 'link'"),
    (lambda d: d["variables"].pop(0), "tableinfo: the variables are now ['OVERTRÆD'"),
    (lambda d: d["variables"][1].update(map="x"), "tableinfo variable OVERTRÆD: new key 'map'"),
    (lambda d: d["variables"][0].update(values="none"), "tableinfo: udsattestat cannot read it"),
])
def test_tableinfo_changes_are_reported(change, report):
    found = drift.statbank_tableinfo(edited(info(), change), info())
    assert any(r.startswith(report) for r in found), found


@pytest.mark.parametrize("live, report", [
    (b"HERKOMST1;TID;INDHOLD\r\nTotal;2023;233454\r\n", "CSV: UTF-8 BOM now absent"),
    (b"\xef\xbb\xbfHERKOMST1;TID;INDHOLD\nTotal;2023;233454\n", "CSV: line ends changed (LF now)"),
    (b"\xef\xbb\xbfHERKOMST1;Tid;INDHOLD\r\nTotal;2023;233454\r\n", "CSV: header is now 'HERKOMST1;Tid;INDHOLD'"),
    (b"\xef\xbb\xbfHERKOMST1;TID;INDHOLD\r\nTotal;2023;233.454\r\n", "CSV: value '233.454' is not written"),
    (b"\xef\xbb\xbfHERKOMST1;TID;INDHOLD\r\n00;2023;233454\r\n", "CSV: the first row's keys are now '00;2023'"),
    (b"\xef\xbb\xbfHERKOMST1;TID;INDHOLD\r\n", "CSV: no data row"),
])
def test_csv_changes_are_reported(live, report):
    found = drift.statbank_csv(live, interaction("statbank", "data_straf42_csv.yml").body)
    assert any(r.startswith(report) for r in found), found


def test_tables_changes_are_reported():
    rec = interaction("statbank", "tables_subject_crime.yml").body
    doc = [{k: v for k, v in t.items() if k != "latestPeriod"} for t in json.loads(rec) if t["id"] != "STRAF42"]
    found = drift.statbank_tables(json.dumps(doc).encode(), rec, "STRAF42")
    assert found == ["tables: key 'latestPeriod' missing", "tables: STRAF42 is no longer listed"]


@pytest.mark.parametrize("change, report", [
    (lambda d: d.update(role={"time": ["time"]}), "JSON-stat: new key 'role'"),
    (lambda d: d["extension"].pop("positions-with-no-data"), "JSON-stat extension: key 'positions-with-no-data' missing"),
    (lambda d: d.update(id=d["id"][::-1]), "JSON-stat: the dimensions are now"),
    (lambda d: d["dimension"]["geo"]["category"].pop("label"), "JSON-stat dimension geo category: key 'label' missing"),
    (lambda d: d["status"].update({"0": "q"}), "JSON-stat: flags udsattestat does not know: {'q': 1}"),
    (lambda d: d.update(size=[1]), "JSON-stat: udsattestat cannot read it"),
])
def test_jsonstat_changes_are_reported(change, report):
    rec = recorded_bytes("eurostat", "nama_10_gdp.json")
    found = drift.eurostat_jsonstat(edited(rec, change), rec)
    assert any(r.startswith(report) for r in found), found


def test_sdmxcsv_changes_are_reported():
    dims = sdmxcsv.parse(recorded_bytes("eurostat", "ei_bpm6ca_q_sdmxcsv2_labels.csv")).ids
    by_code = ("DATAFLOW,LAST UPDATE," + ",".join(dims) + ",OBS_VALUE,OBS_FLAG,CONF_STATUS\r\n"
               "ESTAT:EI_BPM6CA_Q(1.0),30/10/25 23:00:00,Q,MIO_EUR,NSA,S1,S1,EXT_EA20,BAL,CA,EA20,2023-Q1,1,,\r\n").encode()
    assert drift.eurostat_sdmxcsv(by_code, dims) == []  # the shape a by-code answer must have
    assert drift.eurostat_sdmxcsv(recorded_bytes("eurostat", "ei_bpm6ca_q_sdmxcsv2_labels.csv"), dims)[:2] == [
        "SDMX-CSV: the header starts ['STRUCTURE', 'STRUCTURE_ID'] (expected DATAFLOW, LAST UPDATE)",
        "SDMX-CSV: the header ends ['Observation status (Flag) V2 structure', 'CONF_STATUS', "
        "'Confidentiality status (flag)'] (expected OBS_VALUE, OBS_FLAG, CONF_STATUS)"]
    found = drift.eurostat_sdmxcsv(recorded_bytes("eurostat", "ei_bpm6ca_q_sdmxcsv1_labels.csv"), dims)
    assert found and found[-1].startswith("SDMX-CSV: udsattestat cannot read it: not a readable SDMX-CSV file: the freq column")
    fewer = by_code.replace(b",geo,", b",").replace(b",EA20,2023", b",2023")
    assert drift.eurostat_sdmxcsv(fewer, dims) == [f"SDMX-CSV: the dimensions are now {[d for d in dims if d != 'geo']} "
                                                    f"(recorded {dims})"]
