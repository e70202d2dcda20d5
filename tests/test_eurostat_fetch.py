"""The Eurostat client against a local server: requests, snapshots, offline replay, retries,
every error shape, and the two live indicators (both ilc_li02 code sets, the TOXICO rate)."""

from __future__ import annotations

import json

import pytest
from eurostat_fixtures import TOC, demo_pjan, error, hlth_cd_aro, ilc_li02_new, ilc_li02_old

from udsattestat.bundle import datasets_dir, read_meta
from udsattestat.errors import FetchError, OfflineError, ProviderError
from udsattestat.eurostat import client as es_client
from udsattestat.eurostat.fetch import Session, fetch_table, get_dataset
from udsattestat.eurostat.indicators import fetch_indicator
from udsattestat.eurostat.jsonstat import JsonStatError
from udsattestat.net.http import HttpClient
from udsattestat.schema import STATUSES

JSON = "application/json"
DATA = "/api/statistics/1.0/data/"


@pytest.fixture
def base(httpserver, monkeypatch):
    url = httpserver.url_for("/api")
    monkeypatch.setenv(es_client.BASE_URL_ENV, url)
    return url


@pytest.fixture
def session(tmp_path, base, no_sleep):
    sleep, _ = no_sleep
    return Session.open(tmp_path, http=HttpClient(sleep=sleep, retries=2))


def serve(httpserver, name: str, body: bytes, status: int = 200, ctype: str = JSON):
    httpserver.expect_request(DATA + name).respond_with_data(body, status=status, content_type=ctype)


def test_base_url_from_environment(monkeypatch):
    monkeypatch.delenv(es_client.BASE_URL_ENV, raising=False)
    assert es_client.base_url() == "https://ec.europa.eu/eurostat/api/dissemination"
    monkeypatch.setenv(es_client.BASE_URL_ENV, "http://mirror.example/api/")
    assert es_client.EurostatClient(http=object()).base == "http://mirror.example/api"


def test_fetch_sends_filters_as_repeated_parameters(httpserver, session):
    serve(httpserver, "ilc_li02", ilc_li02_new())
    frame, prov = fetch_table(session, "ilc_li02", {"geo": ["DK", "SE"], "sex": ["T"]}, since="2021")
    args = httpserver.log[0][0].args
    assert args.getlist("geo") == ["DK", "SE"]
    assert args["sex"] == "T" and args["format"] == "JSON" and args["lang"] == "EN"
    assert args["sinceTimePeriod"] == "2021"
    # every documented column, every flag kept
    assert {"geo", "geo_label", "period", "value", "unit", "status", "flags", "rskpovth", "statinfo"} <= set(frame.columns)
    assert set(frame["status"]) <= set(STATUSES)
    assert sorted(frame["flags"].drop_nulls()) == ["b", "bu", "c"]
    sup = frame.filter(frame["flags"] == "c")
    assert sup["value"].to_list() == [None] and sup["status"].to_list() == ["suppressed"]
    assert prov.source_line("en") == f"Source: Eurostat (ilc_li02), extracted {prov.retrieved[:10]}"
    assert prov.origin == "eurostat"
    assert any("flagged 'b'" in c for c in prov.caveats["en"])
    [(path, sha)] = prov.raw_sha256.items()
    assert path.startswith("raw/eurostat/ilc_li02/") and len(sha) == 64


def test_snapshot_is_reused_then_replayed_offline(httpserver, session, tmp_path):
    serve(httpserver, "ilc_li02", ilc_li02_new())
    cube, snap, reused = get_dataset(session, "ilc_li02", {"geo": ["DK"]})
    assert not reused and snap.path.read_bytes() == ilc_li02_new()
    record = json.loads(snap.record_path.read_text())
    assert record["request"]["params"]["geo"] == ["DK"] and record["sha256"] == snap.sha256
    _, _, reused = get_dataset(session, "ilc_li02", {"geo": ["DK"]})
    assert reused and len(httpserver.log) == 1  # fresh snapshot: no second request
    httpserver.clear()  # the server is gone now
    offline = Session.open(tmp_path, offline=True)
    cube2, snap2, reused2 = get_dataset(offline, "ilc_li02", {"geo": ["DK"]})
    assert reused2 and snap2.sha256 == snap.sha256
    assert cube2.observations.equals(cube.observations)
    assert httpserver.log == []


def test_refresh_fetches_again(httpserver, session, tmp_path):
    serve(httpserver, "ilc_li02", ilc_li02_new())
    get_dataset(session, "ilc_li02")
    get_dataset(Session.open(tmp_path, refresh=True), "ilc_li02")
    assert len(httpserver.log) == 2


def test_offline_without_snapshot(tmp_path, base):
    with pytest.raises(OfflineError, match="no snapshot of Eurostat dataset ilc_li02.*without --offline"):
        get_dataset(Session.open(tmp_path, offline=True), "ilc_li02")


def test_transient_errors_are_retried(httpserver, session, no_sleep):
    _, waits = no_sleep
    httpserver.expect_ordered_request(DATA + "ilc_li02").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request(DATA + "ilc_li02").respond_with_data(ilc_li02_new(), content_type=JSON)
    cube, snap, _ = get_dataset(session, "ilc_li02")
    assert cube.observations.height > 0 and len(waits) == 1 and 1.0 <= waits[0] <= 2.0  # backoff + jitter
    assert snap.record["response"]["attempts"] == 2


def test_retries_are_bounded(httpserver, session, no_sleep):
    _, waits = no_sleep
    httpserver.expect_request(DATA + "ilc_li02").respond_with_data("busy", status=503)
    with pytest.raises(FetchError, match="failed after 3 attempts"):
        get_dataset(session, "ilc_li02")
    assert len(waits) == 2


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (404, error(404, "No results found"), r"Eurostat refused the request \(404/100\): No results found — check the dataset id"),
        (400, error(400, "Dimension 'gyo' not found", as_list=True), r"\(400/140\): Dimension 'gyo' not found — check the dimension ids"),
        (413, error(413, "EXTRACTION_TOO_BIG: please narrow"), r"\(413/140\): EXTRACTION_TOO_BIG.*narrow it with --filter or --since"),
        (200, error(413, "ASYNCHRONOUS_RESPONSE. Your request will be treated asynchronously", key="warning"), r"narrow it with --filter"),
        (400, json.dumps({"error": "bad request"}).encode(), r"Eurostat refused the request \(400\): bad request"),
    ],
)
def test_eurostat_error_bodies_become_provider_errors(httpserver, session, tmp_path, status, body, expected):
    serve(httpserver, "ilc_li02", body, status=status)
    with pytest.raises(ProviderError, match=expected) as exc:
        get_dataset(session, "ilc_li02")
    assert exc.value.provider_message
    # a refused answer never becomes a snapshot that --offline would replay
    with pytest.raises(OfflineError):
        get_dataset(Session.open(tmp_path, offline=True), "ilc_li02")


def test_html_and_non_jsonstat_bodies(httpserver, session):
    serve(httpserver, "ilc_li02", b"<html><body>Maintenance</body></html>", ctype="text/html")
    with pytest.raises(FetchError, match="HTML page instead of data"):
        get_dataset(session, "ilc_li02")
    httpserver.clear()
    serve(httpserver, "ilc_li02", json.dumps({"version": "2.0", "class": "dataset"}).encode())
    with pytest.raises(JsonStatError, match="'id', 'size' and 'dimension' are required"):
        get_dataset(session, "ilc_li02")


def test_plain_http_error_without_json(httpserver, session):
    serve(httpserver, "nosuch", b"Not Found", status=404, ctype="text/plain")
    with pytest.raises(FetchError, match="HTTP 404: Not Found; not found"):
        get_dataset(session, "nosuch")


# --- table of contents -----------------------------------------------------------------

def test_toc_parsing_and_search():
    entries = es_client.parse_toc(TOC)
    assert [e.code for e in entries] == ["ilc_li02", "hlth_cd_aro", "demo_pjan"]  # folders out, dup once
    assert entries[0].title.startswith("At-risk-of-poverty rate") and entries[0].data_end == "2024"
    assert [e.code for e in es_client.search_toc(entries, "poverty rate")] == ["ilc_li02"]
    assert [e.code for e in es_client.search_toc(entries, "DEATH")] == ["hlth_cd_aro"]
    assert es_client.search_toc(entries, "demo_pjan")[0].code == "demo_pjan"
    with pytest.raises(ProviderError, match="no 'title' and 'code' columns"):
        es_client.parse_toc(b"a\tb\n1\t2\n")


# --- live indicators ---------------------------------------------------------------------

def test_poverty_eu_new_code_set(httpserver, tmp_path, base):
    serve(httpserver, "ilc_li02", ilc_li02_new())
    frame, prov = fetch_indicator(read_meta(datasets_dir() / "poverty-eu"), table="ilc_li02", lang="da",
                                  data_dir=tmp_path)
    args = httpserver.log[0][0].args
    assert args["unit"] == "PC" and "rskpovth" not in args  # the threshold is picked from the response
    assert frame.columns[:7] == ["indicator", "period", "freq", "period_start", "period_end", "geo", "geo_label"]
    assert "rskpovth" not in frame.columns and frame.columns[-1] == "flags"
    got = {(r["geo"], r["period"]): (r["value"], r["status"], r["flags"]) for r in frame.iter_rows(named=True)}
    assert got == {
        ("DK", "2021"): (12.0, "published", None),
        ("DK", "2022"): (12.1, "break", "b"),
        ("SE", "2021"): (13.0, "published", None),
        ("SE", "2022"): (None, "suppressed", "c"),
        ("EE", "2022"): (14.1, "low_reliability", "bu"),
    }
    assert set(frame["unit"]) == {"percent"}
    assert dict(zip(frame["geo"], frame["geo_label"], strict=True))["DK"] == "Danmark"  # the dataset's Danish label
    assert prov.source_line("da", frame["source"].to_list()).startswith("Kilde: Eurostat (ilc_li02), udtrukket ")
    assert any("60 pct.-grænse" in c for c in prov.caveats["da"])


def test_poverty_eu_old_code_set(httpserver, tmp_path, base):
    serve(httpserver, "ilc_li02", ilc_li02_old())
    frame, _ = fetch_indicator(read_meta(datasets_dir() / "poverty-eu"), table="ilc_li02", lang="en",
                               data_dir=tmp_path)
    assert sorted(frame["value"].to_list()) == [12.5] * 4  # LI_R_MD60 only, not LI_R_MD50
    assert set(frame["status"]) == {"published", "estimated"}
    assert dict(zip(frame["geo"], frame["geo_label"], strict=True))["SE"] == "Sweden"


def test_poverty_eu_refuses_an_unknown_structure(httpserver, tmp_path, base):
    doc = json.loads(ilc_li02_old())
    doc["id"][1] = "threshold"
    doc["dimension"]["threshold"] = doc["dimension"].pop("indic_il")
    serve(httpserver, "ilc_li02", json.dumps(doc).encode())
    with pytest.raises(ProviderError, match="none of the dimensions rskpovth, indic_il"):
        fetch_indicator(read_meta(datasets_dir() / "poverty-eu"), table="ilc_li02", lang="en", data_dir=tmp_path)


def test_drug_deaths_eu_counts_and_rates(httpserver, tmp_path, base):
    serve(httpserver, "hlth_cd_aro", hlth_cd_aro())
    serve(httpserver, "demo_pjan", demo_pjan())
    frame, prov = fetch_indicator(read_meta(datasets_dir() / "drug-deaths-eu"), table="hlth_cd_aro", lang="en",
                                  data_dir=tmp_path)
    args = {r.path.rsplit("/", 1)[1]: r.args for r, _ in httpserver.log}
    assert args["hlth_cd_aro"]["icd10"] == "TOXICO" and args["hlth_cd_aro"]["resid"] == "TOT_RESID"
    assert args["demo_pjan"]["age"] == "TOTAL"
    assert set(frame["cause"]) == {"TOXICO"}
    deaths = {(r["geo"], r["period"]): (r["value"], r["status"]) for r in frame.filter(frame["unit"] == "deaths").iter_rows(named=True)}
    assert deaths[("DK", "2022")] == (150.0, "provisional")
    assert deaths[("SE", "2022")] == (None, "suppressed")
    rate = {(r["geo"], r["period"]): r for r in frame.filter(frame["unit"] == "per-million").iter_rows(named=True)}
    assert rate[("DK", "2021")]["value"] == pytest.approx(20.0)
    assert rate[("DK", "2022")]["value"] == pytest.approx(25.0) and rate[("DK", "2022")]["status"] == "provisional"
    assert rate[("SE", "2022")]["value"] is None and rate[("SE", "2022")]["status"] == "suppressed"
    assert rate[("EE", "2021")]["value"] == pytest.approx(50.0) and rate[("EE", "2021")]["flags"] == "e"
    assert ("EE", "2022") not in rate  # no deaths published: no rate invented
    assert {r["confidence"] for r in rate.values()} == {"D"}
    assert "demo_pjan" in rate[("DK", "2021")]["note"]
    # the population table is named in the provenance, and the TOXICO caveat travels
    assert "eurostat-demo_pjan" in prov.citations and prov.query["population_table"] == "demo_pjan"
    assert len(prov.raw_sha256) == 2
    assert any("TOXICO" in c and "X42" in c for c in prov.caveats["en"])
    line = prov.source_line("en", ["eurostat-rate"])
    assert line.startswith("Source: Eurostat (hlth_cd_aro, demo_pjan), own calculation, extracted ")
