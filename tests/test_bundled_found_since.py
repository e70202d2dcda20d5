"""The values published-figures.md §10 ("Found since") adds to the bundle, and the
population denominators: each as the reference gives it, with its own source and vintage,
and what was not found left out and said so."""

from __future__ import annotations

import polars as pl
import pytest
from bundled_rows import one, rows

from udsattestat.bundle import load_bundled
from udsattestat.vintages import select

NEW = ("population", "udsatte-spending", "susy-udsat")


# -- population ----------------------------------------------------------------------------

def test_population_on_1_january_as_dst_published_it():
    got = {r["period"]: (r["value"], r["confidence"], r["vintage"]) for r in rows("population", age="TOT")}
    assert got == {
        "2018-01-01": (5781190, "D", "dst-befudv-2018"),
        "2019-01-01": (5806081, "V", "dst-befudv-2018"),
        "2020-01-01": (5822763, "V", "dst-befudv-2019"),
        "2021-01-01": (5840045, "V", "dst-nyt-31820"),
    }
    # exact counts: no rounding step
    assert all(r["precision"] is None and r["status"] == "published" for r in rows("population"))
    # the derived 2018 value says how: 2019 minus the growth the same release gives
    derived = one("population", period="2018-01-01")
    assert "5806081" in derived["note"] and "24891" in derived["note"]
    assert 5806081 - 24891 == derived["value"]


def test_population_periods_are_the_day_counted():
    frame, _, _ = load_bundled("population", "en")
    assert set(frame["freq"].to_list()) == {"D"}
    assert all(str(d).endswith("-01-01") for d in frame["period_start"].to_list())


def test_population_says_what_it_does_not_hold():
    _, prov, _ = load_bundled("population", "en")
    text = " ".join(prov.caveats["en"])
    assert "adults (18 and over)" in text and "not found" in text  # no adult base bundled
    assert "1 January 2017 was not found" in text
    assert not rows("population", period="2017-01-01")
    assert prov.citations["dst-befudv-2018"]["url"].endswith("cid=29443")
    assert prov.vintages["dst-befudv-2018"]["published"] == "2019-10-23"
    assert prov.vintages["dst-befudv-2019"]["published"] == "2020-10-16"


# -- VIVE (2018) as quoted in the press ------------------------------------------------------

def test_vive_2018_282000_is_vives_own_figure_quoted_by_kristeligt_dagblad():
    kd = {r["unit"]: r for r in rows("udsathed-definitions", approach="REGISTER", vintage="vive-2018-kd")}
    assert (kd["persons"]["value"], kd["persons"]["confidence"], kd["persons"]["precision"]) == (282000, "S", 1000)
    assert (kd["percent"]["value"], kd["percent"]["confidence"]) == (7, "S")
    _, prov, _ = load_bundled("udsathed-definitions", "en")
    assert "Kristeligt Dagblad" in prov.citations["vive-2018-kd"]["via"]
    # the report's own row no longer says "not found in the primary publication"
    report = one("udsathed-definitions", approach="REGISTER", unit="persons", vintage="forandringskraft-2021")
    assert "not found" not in report["note"] and "vive-2018-kd" in report["note"]


def test_vives_most_complex_group_is_about_20000_not_the_reports_70_100000():
    r = one("udsathed-definitions", approach="REGISTER_MOST_COMPLEX")
    assert (r["value"], r["status"], r["precision"], r["confidence"]) == (20000, "approximate", 10000, "S")
    assert "not the report's 70000–100000" in r["note"]


def test_spending_41_bn_in_two_quotations_and_the_78_not_found():
    found = rows("udsatte-spending", unit="dkk-bn")
    assert sorted((r["value"], r["vintage"]) for r in found) == [(41, "vive-2018-ds"), (41, "vive-2018-kd")]
    assert all(r["confidence"] == "S" for r in found)
    _, prov, _ = load_bundled("udsatte-spending", "en")
    assert any("'7,8 mia. kr.'" in c and "not found" in c for c in prov.caveats["en"])


# -- SUSY UDSAT 2017 -------------------------------------------------------------------------

def test_susy_udsat_2017_as_quoted_and_the_reports_figures_not_found():
    got = {(r["measure"], r["group"]): r["value"] for r in rows("susy-udsat")}
    assert got == {("LONG_PHYSICAL_ILLNESS", "UDSATTE"): 60, ("STRESSED", "UDSATTE"): 50,
                   ("STRESSED", "POPULATION"): 20, ("SUICIDE_ATTEMPT", "UDSATTE"): 40}
    assert all(r["confidence"] == "S" and r["status"] == "approximate" for r in rows("susy-udsat"))
    # physical illness only: never the seed's 63 % long-term illness
    assert not [r for r in rows("susy-udsat") if r["value"] in (63, 54, 42)]
    _, prov, _ = load_bundled("susy-udsat", "en")
    assert prov.vintages["susy-udsat-2017-sl"]["published"] == "2018-06-19"


# -- Epinion by age ----------------------------------------------------------------------------

def test_epinion_self_assessment_by_age_from_the_councils_press_release():
    got = {(r["group"], r["period"]): r["value"] for r in rows("udsathed-definitions", approach="SELF_ASSESSED")
           if r["group"] != "ALL"}
    assert got == {("18-34", "2015"): 5, ("18-34", "2017"): 14, ("35-55", "2015"): 9, ("35-55", "2017"): 16}
    # the report's 6 %, 10 %, 580,000: NF in the primary, said in every note
    _, prov, _ = load_bundled("udsathed-definitions", "en")
    for r in rows("udsathed-definitions", approach="SELF_ASSESSED", group="ALL"):
        assert "the reference marks it NF" in r["note"]
        assert "referencen markerer det NF" in prov.extra["notes"][r["note"]]["da"]


# -- NEET: DST's November 2015 ------------------------------------------------------------------

def test_neet_dst_2015_is_a_point_in_time_not_a_duration():
    share = one("neet", age="16-24", unit="percent")
    count = one("neet", age="16-24", unit="persons")
    assert (share["value"], share["confidence"], share["precision"]) == (pytest.approx(10.5), "V", pytest.approx(0.1))
    assert (count["value"], count["status"], count["precision"]) == (70000, "approximate", 10000)
    assert "November 2015" in share["note"]


# -- homelessness --------------------------------------------------------------------------------

def test_homelessness_section_10_breakdowns():
    assert one("homelessness", period="2007", situation="STREET")["value"] == 552
    assert one("homelessness", period="2011", age="18-24")["value"] == 1002
    assert sorted((r["period"], r["value"]) for r in rows("homelessness", geo="461")) == [("2019", 125), ("2022", 117)]
    assert sorted((r["period"], r["value"]) for r in rows("homelessness", geo="KBH-OMR")) == [("2015", 3152), ("2017", 3242)]
    assert one("homelessness", geo="KBH-FRB-OMEGN")["value"] == 2776
    cph = one("homelessness", geo="101", period="2019", unit="percent-of-national")
    assert (cph["value"], cph["source"]) == (pytest.approx(22.4), "bl-hjemloesekort")
    # every §10 row was read in a secondary source: S, and its own vintage
    for r in rows("homelessness"):
        if r["vintage"] in ("udfordringen-2007-08", "odense-kommune-2012", "fyens-2019", "odense-kommune-2022",
                            "aarhus-kommune-2019-09", "tv2lorry", "ritzau-upday-2024-09", "bl-hjemloesekort"):
            assert r["confidence"] == "S" and r["source"] == r["vintage"], r


def test_the_2017_age_50_59_figure_is_cited_to_vive_2019():
    r = one("homelessness", period="2017", age="50-59")
    assert (r["value"], r["source"], r["vintage"]) == (1057, "vive-2019", "vive-2019")


def test_default_views_of_the_new_rows_keep_the_national_series():
    frame, _, _ = load_bundled("homelessness", "en")
    national = select(frame).filter((pl.col("geo") == "DK") & (pl.col("population") == "COUNTED")
                                    & (pl.col("situation") == "TOT") & (pl.col("age") == "TOT"))
    assert national.height == 9


@pytest.mark.parametrize("indicator", NEW)
def test_new_dataset_chart_list_and_info(runner, cli, tmp_path, indicator):
    out = tmp_path / f"{indicator}.png"
    res = runner.invoke(cli, ["chart", indicator, "--out", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["info", indicator, "--lang", "da"])
    assert res.exit_code == 0, res.output
    _, prov, _ = load_bundled(indicator, "da")
    assert prov.title["da"] in res.output
