"""Fetching any StatBank table through a local server shaped like the API (SYNTHETIC data)."""

from __future__ import annotations

import json

import polars as pl
import pytest
from conftest import fixture_bytes

from udsattestat.errors import FetchError, OfflineError, ProviderError, SelectionError
from udsattestat.statbank.fetch import fetch_table
from udsattestat.store import read_parquet


def fetch(tmp_path, selection, **kw):
    kw.setdefault("lang", "da")
    return fetch_table("FOLK1A", selection, data_dir=tmp_path / "data", out=tmp_path / "out.parquet", **kw)


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def test_csv_da_by_code_with_bom_decimal_comma_and_suppressed(statbank, tmp_path, data_dir, cache_root):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_data_da.csv")
    result = fetch(tmp_path, {"OMRÅDE": ["*"], "Tid": ["2025K1", "2025K2"]})
    assert result.plan.format == "CSV"
    body = statbank.data_requests()[0]
    assert body == {"table": "FOLK1A", "format": "CSV", "lang": "da", "valuePresentation": "Code",
                    "variables": [{"code": "OMRÅDE", "values": ["*"]}, {"code": "Tid", "values": ["2025K1", "2025K2"]}]}
    frame, prov = read_parquet(result.path)
    assert frame.schema["geo"] == pl.String  # dictionary-encoded on disk, text when read
    assert "område" not in frame.columns  # the variable with a map is the geo column
    # OMRÅDE has a map → it is the geo column; labels joined by code, duplicates kept apart
    assert frame["geo"].to_list()[:4] == ["000", "101", "420", "421"]
    assert frame["geo_label"].to_list()[:4] == ["Hele landet", "København", "Assens", "Assens"]
    assert frame.filter(pl.col("geo") == "420")["value"].to_list() == [41.5, 0.0]  # a true zero stays 0
    sup = frame.filter(pl.col("status") == "suppressed")
    assert sup["geo"].to_list() == ["421"] and sup["value"].to_list() == [None]
    assert frame.filter(pl.col("geo") == "000")["value"].to_list() == [5961249.0, 5965000.25]
    q1 = frame.row(0, named=True)
    assert (q1["period"], q1["freq"], str(q1["period_start"]), str(q1["period_end"])) == ("2025K1", "Q", "2025-01-01", "2025-03-31")
    assert q1["vintage"] == "2025-08-11T08:00:00" and q1["vintage_date"] == "2025-08-11"
    assert q1["confidence"] == "V" and q1["unit"] == "Antal" and q1["source"] == "statbank-folk1a"
    assert prov.origin == "statbank" and prov.indicator == "FOLK1A"
    assert prov.extra["statbank"]["request_id"] == "00000000-0000-4000-8000-000000000001"
    assert prov.extra["statbank"]["updated"] == "2025-08-11T08:00:00"
    assert prov.extra["rows"] == {"total": 8, "suppressed": 1, "omitted": 0}
    assert prov.source_line("da") == "Kilde: Danmarks Statistik, statistikbanken.dk/FOLK1A"
    # the licence and the release in the reader's language (the plain fields keep English)
    from udsattestat.presentation import dataset_text, vintage_text

    assert dataset_text(prov, "licence", "da").startswith("Fri genbrug") and "statistikbanken.dk/FOLK1A" in \
        dataset_text(prov, "licence", "da")
    assert prov.licence.startswith("Free reuse") and dataset_text(prov, "producer", "da") == "Danmarks Statistik"
    assert vintage_text(prov, "2025-08-11T08:00:00", "da").startswith("Statistikbankens tabel FOLK1A, opdateret")
    # raw bytes kept as fetched, with checksum
    snap_rel = prov.extra["statbank"]["snapshot"]
    raw = (cache_root / snap_rel).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    import hashlib

    assert prov.raw_sha256[snap_rel] == hashlib.sha256(raw).hexdigest()
    record = json.loads((cache_root / snap_rel).with_suffix(".record.json").read_text())
    assert record["response"]["headers"]["StatbankAPI-Request-Id"] == "00000000-0000-4000-8000-000000000001"
    assert record["metadata"]["updated"] == "2025-08-11T08:00:00"
    assert record["metadata"]["tableinfo"]["file"] == prov.extra["statbank"]["tableinfo_snapshot"]
    assert record["metadata"]["plan"]["cells"] == 24


def test_csv_en_decimal_point(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "en")
    statbank.data("folk1a_data_en.csv")
    result = fetch(tmp_path, {"område": ["*"], "tid": ["2025K1"]}, lang="en")
    frame, _ = read_parquet(result.path)
    assert frame["value"].to_list() == [48.58, None, 37.7, 0.0]  # not 4858
    assert frame["geo_label"].to_list() == ["All Denmark", "Copenhagen", "Assens", "Assens"]


def test_decimal_comma_under_en_is_an_error_not_a_wrong_number(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "en")
    statbank.data("folk1a_data_da.csv")  # comma decimals although lang=en
    with pytest.raises(FetchError, match=r"value '41,5' in INDHOLD is not a number written with a decimal point"):
        fetch(tmp_path, {"OMRÅDE": ["*"], "Tid": ["2025K1"]}, lang="en")
    assert not (tmp_path / "out.parquet").exists()


def test_header_that_does_not_match_the_request_is_refused_and_not_kept(statbank, tmp_path, data_dir, cache_root):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data(b"\xef\xbb\xbfOMR\xc3\x85DE;K\xc3\x98N;TID;INDHOLD\r\n000;1;2025K1;5\r\n")
    with pytest.raises(FetchError, match="response header is 'OMRÅDE;KØN;TID;INDHOLD' but the request asked for 'OMRÅDE;TID;INDHOLD'"):
        fetch(tmp_path, {"OMRÅDE": ["*"], "Tid": ["2025K1"]})
    assert not list((cache_root / "raw" / "statbank" / "FOLK1A").rglob("*.csv"))


def test_snapshot_reused_until_updated_changes_then_refetched(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_data_da.csv")
    sel = {"OMRÅDE": ["*"], "Tid": ["2025K1", "2025K2"]}
    first = fetch(tmp_path, sel)
    second = fetch(tmp_path, sel)
    assert not first.reused and second.reused
    assert len(statbank.data_requests()) == 1
    forced = fetch(tmp_path, sel, refresh=True)
    assert not forced.reused and len(statbank.data_requests()) == 2
    # the table is updated upstream: a new tableinfo → a new fetch
    statbank.server.clear()
    info = json.loads(fixture_bytes("statbank", "folk1a_tableinfo_da.json"))
    info["updated"] = "2025-11-11T08:00:00"
    statbank.tableinfo("FOLK1A", "da", body=info)
    statbank.data("folk1a_data_da.csv")
    third = fetch(tmp_path, sel)
    assert not third.reused
    frame, prov = read_parquet(third.path)
    assert frame["vintage"].unique().to_list() == ["2025-11-11T08:00:00"]


def test_offline_replays_and_never_touches_network(statbank, tmp_path, data_dir):
    sel = {"OMRÅDE": ["*"], "Tid": ["2025K1", "2025K2"]}
    with pytest.raises(OfflineError, match="--offline: no snapshot of tableinfo for FOLK1A"):
        fetch(tmp_path, sel, offline=True)
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_data_da.csv")
    fetch(tmp_path, sel)
    n = len(statbank.server.log)
    (tmp_path / "out.parquet").unlink()
    result = fetch(tmp_path, sel, offline=True)
    assert result.reused and len(statbank.server.log) == n
    assert read_parquet(result.path)[0].height == 8
    with pytest.raises(OfflineError, match="no snapshot of table FOLK1A was fetched with this very query; one holds "
                                           "it inside a larger selection"):
        fetch(tmp_path, {"OMRÅDE": ["000"], "Tid": ["2025K1"]}, offline=True)
    with pytest.raises(OfflineError, match="no snapshot of table FOLK1A holds this query: Tid=2024K4 is in none"):
        fetch(tmp_path, {"OMRÅDE": ["000"], "Tid": ["2024K4"]}, offline=True)


def test_request_limit_learns_the_cap_and_switches_to_bulk(statbank, tmp_path, data_dir, cache_root):
    statbank.tableinfo("FOLK1A", "da")
    csv_body = {"table": "FOLK1A", "format": "CSV", "lang": "da", "valuePresentation": "Code",
                "variables": [{"code": "OMRÅDE", "values": ["000", "101"]}, {"code": "KØN", "values": ["1", "2"]},
                              {"code": "ALDER", "values": ["0", "1"]}, {"code": "CIVILSTAND", "values": ["U", "G"]},
                              {"code": "Tid", "values": ["2025K1"]}]}
    statbank.error("data", "error_request_limit.json", match=csv_body)
    statbank.data("folk1a_bulk_da.csv", match={**csv_body, "format": "BULK"})
    sel = {"OMRÅDE": ["000", "101"], "KØN": ["1", "2"], "ALDER": ["0", "1"], "CIVILSTAND": ["U", "G"], "Tid": ["2025K1"]}
    result = fetch(tmp_path, sel)
    assert result.plan.format == "BULK"
    assert any("switched to BULK" in n for n in result.plan.notes)
    limits = json.loads((cache_root / "raw" / "statbank" / "limits.json").read_text())
    assert limits["cell_cap"] == 1_000_000
    frame, _ = read_parquet(result.path)
    assert frame.height == 14  # left-out combinations are not invented without --complete
    assert set(frame["status"].unique()) == {"published"}


def test_bulk_complete_restores_left_out_rows_as_omitted(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_bulk_da.csv")
    sel = {"OMRÅDE": ["000", "101"], "KØN": ["1", "2"], "ALDER": ["0", "1"], "CIVILSTAND": ["U", "G"], "Tid": ["2025K1"]}
    result = fetch(tmp_path, sel, force_format="BULK", complete=True)
    frame, prov = read_parquet(result.path)
    assert frame.height == 16
    omitted = frame.filter(pl.col("status") == "omitted").sort("geo")
    assert omitted.select("geo", "køn", "alder", "civilstand").rows() == [("000", "1", "0", "G"), ("101", "2", "1", "G")]
    assert omitted["value"].to_list() == [None, None]  # never silently a true 0
    assert "suppressedDataValue='0'" in omitted["note"][0]
    assert omitted["køn_label"].to_list() == ["Mænd", "Kvinder"]
    assert prov.extra["rows"]["omitted"] == 2


def test_bulk_fills_every_variable(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_bulk_da.csv")
    result = fetch(tmp_path, {"OMRÅDE": ["000", "101"], "Tid": ["2025K1"]}, force_format="BULK")
    body = statbank.data_requests()[0]
    assert [v["code"] for v in body["variables"]] == ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "Tid"]
    assert body["variables"][1]["values"] == ["*"]
    assert any("BULK needs every variable" in n for n in result.plan.notes)


def test_dst_json_error_is_a_typed_error_with_hint(statbank, tmp_path, data_dir):
    statbank.error("tableinfo", "error_notfound.json")
    with pytest.raises(ProviderError) as info:
        fetch_table("INVALIDTABLE999", {}, lang="da", data_dir=data_dir, out=tmp_path / "o.parquet")
    assert info.value.code == "EXTRACT-NOTFOUND"
    assert info.value.provider_message == "Tabel findes ikke: INVALIDTABLE999"
    assert "statbank info" in str(info.value) and "statbank search" in str(info.value)


def test_iis_html_404_is_a_clear_error(statbank, tmp_path, data_dir):
    statbank.server.expect_request("/v1/tableinfo").respond_with_data(
        fixture_bytes("statbank", "error_iis_404.html"),
        status=404, content_type="text/html; charset=iso-8859-1")
    with pytest.raises(FetchError, match=r"HTTP 404 \(an HTML error page\)"):
        fetch(tmp_path, {})


def test_wrong_content_type_and_empty_body(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data(b"%PDF", content_type="application/pdf", ordered=True)
    statbank.data(b"", ordered=True)
    with pytest.raises(FetchError, match="content type 'application/pdf'"):
        fetch(tmp_path, {"Tid": ["2025K1"]})
    with pytest.raises(FetchError, match="empty body"):
        fetch(tmp_path, {"Tid": ["2025K1"]})


def test_5xx_retried_then_one_line_error(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "da")
    statbank.server.expect_request("/v1/data").respond_with_data("busy", status=503)
    with pytest.raises(FetchError) as info:
        fetch(tmp_path, {"Tid": ["2025K1"]})
    assert "failed after 4 attempts: HTTP 503" in str(info.value)
    assert len(statbank.data_requests()) == 4


def test_failed_fetch_keeps_the_previous_parquet(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_data_da.csv", ordered=True)
    statbank.data(b"\xef\xbb\xbfOMR\xc3\x85DE;TID;INDHOLD\r\n000;2025K1;1.5\r\n", ordered=True)
    sel = {"OMRÅDE": ["*"], "Tid": ["2025K1", "2025K2"]}
    fetch(tmp_path, sel)
    before = (tmp_path / "out.parquet").read_bytes()
    with pytest.raises(FetchError, match="'1.5'"):
        fetch(tmp_path, sel, refresh=True)
    assert (tmp_path / "out.parquet").read_bytes() == before


def test_unknown_code_is_caught_before_fetching(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "da")
    with pytest.raises(SelectionError, match="OMRÅDE has no code '999'; codes are 000, 101, 420, 421"):
        fetch(tmp_path, {"OMRÅDE": ["999"]})
    assert statbank.data_requests() == []


def test_time_not_selected_means_latest_only_and_says_so(statbank, tmp_path, data_dir):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data(b"TID;INDHOLD\r\n2025K2;5965000\r\n")
    result = fetch(tmp_path, {})
    assert statbank.data_requests()[0]["variables"] == [{"code": "Tid", "values": ["(1)"]}]
    assert result.plan.eliminated == ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND"]
    frame, _ = read_parquet(result.path)
    assert frame.select("geo", "geo_label", "period").row(0) == ("DK", "Hele landet", "2025K2")
