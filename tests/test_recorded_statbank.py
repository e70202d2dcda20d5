"""StatBank responses RECORDED from api.statbank.dk, replayed through the loopback server.

The cassettes in tests/fixtures/recorded/statbank/ are public recordings kept byte for byte
(where each came from: tests/fixtures/recorded/README.md). Their numbers are Statistics
Denmark's as served on the day of recording; the tests read them, never change them.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from jsonschemas import checked
from recordings import interaction, replay

from udsattestat.cli import main
from udsattestat.statbank.body import ParseError
from udsattestat.statbank.fetch import fetch_table
from udsattestat.statbank.tableinfo import TableInfo

INFO = {"da": "table_info_straf42_da.yml", "en": "table_info_straf42.yml"}


def run(*args):
    return CliRunner().invoke(main, list(args))


def serve_tableinfo(statbank, lang: str):
    """The recorded tableinfo answer, at the POST our client sends (the recording was a GET
    with the same three parameters in the query string; DST documents both forms)."""
    rec = interaction("statbank", INFO[lang])
    assert rec.method == "GET" and f"id=STRAF42&lang={lang}" in rec.uri and "format=json" in rec.uri
    replay(statbank.server, "/v1/tableinfo", rec, method="POST", json={"table": "STRAF42", "lang": lang, "format": "JSON"})
    return rec


@pytest.mark.parametrize("lang", ["da", "en"])
def test_recorded_tableinfo_reads_with_its_object_footnote(lang):
    rec = interaction("statbank", INFO[lang])
    assert rec.content_type == "text/json; charset=utf-8"  # not application/json: both are accepted
    info = TableInfo.from_json(json.loads(rec.body), lang=lang)
    assert info.id == "STRAF42" and info.updated == "2025-03-25T08:00:00" and info.suppressed_value == "0"
    assert [v.id for v in info.variables] == ["HERKOMST1", "OVERTRÆD", "AFGØRELSE", "ALDER", "KØN", "Tid"]
    assert [len(v.values) for v in info.variables] == [7, 97, 47, 19, 4, 30]
    assert info.time_variable.id == "Tid" and info.geo_variable is None  # no variable has a map
    # The real footnote is an object {"text", "mandatory"}, not text (the reader refused it before).
    assert info.footnote_mandatory is True
    assert info.footnote.startswith({"da": "Antal domme for Love vedr. dyr", "en": "The number of convictions"}[lang])
    assert "\r\n" in info.footnote  # kept as sent
    assert info.documentation_url.endswith("3806026b-3f64-451f-9836-c7a442da922f")


def test_recorded_tableinfo_through_statbank_info(statbank, tmp_path):
    serve_tableinfo(statbank, "da")
    serve_tableinfo(statbank, "en")
    res = run("statbank", "info", "straf42", "--data-dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    out = res.output
    assert "STRAF42: Strafferetlige afgørelser" in out and "      Decisions, total" in out
    assert "Updated:       2025-03-25T08:00:00 (Danish time)" in out
    assert "Unit:          Antal / Number" in out
    assert "Footnote (mandatory): Antal domme for Love vedr. dyr, jagt mv. er for lavt i 2023." in out
    assert "OVERTRÆD — overtrædelsens art / type of offence (may be eliminated), 97 values" in out
    assert "00: I alt / Total" in out and "Tid — tid / time (time), 30 values" in out


def test_recorded_csv_has_the_dialect_the_synthetic_fixtures_assume():
    """The recorded CSV (lang=en) has BOM, CRLF, ';', the time column upper-cased (``TID``
    although tableinfo's id is ``Tid``) and INDHOLD last — as the synthetic fixtures do."""
    rec = interaction("statbank", "data_straf42_csv.yml")
    assert rec.request_json()["lang"] == "en" and rec.content_type == "text/csv; charset=utf-8"
    assert rec.body == b"\xef\xbb\xbfHERKOMST1;TID;INDHOLD\r\nTotal;2023;233454\r\n"
    synthetic = (FIXTURES / "statbank" / "folk1a_data_en.csv").read_bytes()
    assert synthetic.startswith(b"\xef\xbb\xbf") and synthetic.endswith(b"\r\n")
    assert synthetic.split(b"\r\n", 1)[0].endswith(b";TID;INDHOLD")
    assert rec.header("StatbankAPI-Request-Id") == "8216e6ab-04cb-4076-8d4d-d59288bcc412"


def test_recorded_label_csv_is_refused_with_the_reason(statbank, tmp_path):
    """The recording answers valuePresentation "Default" (labels: "Total", not "00");
    udsattestat asks for codes. Served in place of a code answer, it is an error that says
    so — never a row keyed by a label."""
    serve_tableinfo(statbank, "en")
    rec = interaction("statbank", "data_straf42_csv.yml")
    assert rec.request_json()["valuePresentation"] == "Default"
    replay(statbank.server, "/v1/data", rec)
    with pytest.raises(ParseError, match=r"the label 'Total' for HERKOMST1 where a code was asked for"):
        fetch_table("STRAF42", {"HERKOMST1": ["00"], "Tid": ["2023"]}, lang="en",
                    data_dir=tmp_path / "data", out=tmp_path / "out.parquet")
    sent = statbank.data_requests()[0]
    assert sent["valuePresentation"] == "Code"
    assert sent["variables"] == [{"code": "HERKOMST1", "values": ["00"]}, {"code": "Tid", "values": ["2023"]}]
    assert not (tmp_path / "out.parquet").exists()


def test_recorded_tables_list_through_statbank_search(statbank):
    rec = interaction("statbank", "tables_subject_crime.yml")
    assert "lang=en&subjects=4" in rec.uri
    replay(statbank.server, "/v1/tables", rec, method="POST")
    res = run("statbank", "search", "decisions total", "--lang", "en", "--subject", "4", "--json")
    assert res.exit_code == 0, res.output
    rows = checked("statbank-search", res.output)["tables"]
    assert [r["id"] for r in rows] == ["STRAF42", "STRAF44"]
    assert rows[0] == {"id": "STRAF42", "text": "Decisions, total", "unit": "Number", "firstPeriod": "1995",
                       "latestPeriod": "2024", "updated": "2025-03-25T08:00:00", "active": True}
    sent = json.loads(statbank.server.log[-1][0].data)
    assert sent == {"lang": "en", "format": "JSON", "includeInactive": False, "subjects": ["4"]}
