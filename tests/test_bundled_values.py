"""The bundled values of issue 9, checked against published-figures.md: every vintage its own
row (never a pooled range), statuses, confidence, precision and citations as transcribed."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from bundled_rows import one, rows

from udsattestat.bundle import load_bundled
from udsattestat.catalog import indicator_ids
from udsattestat.vintages import select

NEW = ("poverty-3yr", "mental-health", "mortality-gap", "neet")


# -- every dataset -------------------------------------------------------------------------

@pytest.mark.parametrize("indicator", indicator_ids())
def test_every_row_cites_a_publication_and_follows_the_precision_rule(indicator):
    frame, prov, _ = load_bundled(indicator, "en")
    assert "precision" in frame.columns
    assert frame.columns.index("precision") == frame.columns.index("value_high") + 1
    for r in frame.to_dicts():
        assert r["source"] and prov.citations[r["source"]]["publication"], r
        assert r["vintage"] in prov.vintages, r
        if r["status"] == "approximate":
            assert r["precision"], f"approximate without precision: {r}"
        if r["precision"] is not None:
            assert r["precision"] > 0
        # a share, rate or other non-whole number is always rounded (rule 3), range ends too
        for v in (r["value"], r["value_low"], r["value_high"]):
            if v is not None and not float(v).is_integer():
                assert r["precision"] is not None, r
        if r["confidence"] == "D":
            assert r["note"] and "derived" in r["note"], r


def test_the_new_datasets_are_listed():
    assert set(NEW) <= set(indicator_ids())


# -- poverty -------------------------------------------------------------------------------

def test_poverty_2019_is_three_vintages_never_a_range():
    found = rows("poverty", period="2019", age="TOT", unit="persons")
    assert len(found) == 3
    assert all(r["value_low"] is None and r["value_high"] is None for r in found)
    by = {r["vintage"]: r for r in found}
    assert set(by) == {"ae-2020-12", "dst-nyt-33390", "ae-2022-01"}
    assert (by["ae-2020-12"]["value"], by["ae-2020-12"]["precision"], by["ae-2020-12"]["status"],
            by["ae-2020-12"]["confidence"], by["ae-2020-12"]["vintage_date"]) == (248000, 1000, "approximate", "S", "2020-12")
    assert (by["dst-nyt-33390"]["value"], by["dst-nyt-33390"]["precision"], by["dst-nyt-33390"]["confidence"]) == (250200, 100, "V")
    assert (by["ae-2022-01"]["value"], by["ae-2022-01"]["precision"], by["ae-2022-01"]["vintage_date"]) == (250100, 100, "2022-01")
    _, prov, _ = load_bundled("poverty", "en")
    assert "ae-dst-2019-early" not in prov.vintages and "ae-dst-2019-early" not in prov.citations
    assert prov.citations["dst-nyt-33390"]["url"].endswith("cid=33390")
    assert one("poverty", period="2019", age="0017", unit="persons")["value"] == 60100


def test_poverty_2019_as_of_the_report_is_the_figure_published_before_it():
    frame, prov, _ = load_bundled("poverty", "en")
    known = {k: v["known_by"] for k, v in prov.vintages.items() if v.get("known_by")}
    view = select(frame.filter((pl.col("age") == "TOT") & (pl.col("unit") == "persons")),
                  as_of=date(2021, 11, 30), known=known)
    r = view.filter(pl.col("period") == "2019").to_dicts()
    assert [(x["value"], x["vintage"]) for x in r] == [(248000, "ae-2020-12")]
    latest = select(frame).filter((pl.col("period") == "2019") & (pl.col("age") == "TOT")
                                  & (pl.col("unit") == "persons")).to_dicts()
    assert [x["vintage"] for x in latest] == ["ae-2022-01"]  # the latest-dated vintage


def test_poverty_2015_children_are_two_quotations_and_the_total_approximate():
    kids = rows("poverty", period="2015", age="0017")
    assert sorted((r["value"], r["vintage"]) for r in kids) == [(43400, "ae-quote-43400"), (43500, "ae-quote-43500")]
    # two quotations kept as two vintages: each as published (S), neither a range nor U
    assert all(r["value_low"] is None and r["status"] == "published" and r["confidence"] == "S" for r in kids)
    total = one("poverty", period="2015", age="TOT")
    assert (total["value"], total["precision"], total["status"], total["vintage"]) == (200000, 1000, "approximate", "ae-2020-12")


def test_poverty_2021_total_is_derived_and_2022_as_published():
    r = one("poverty", period="2021", age="TOT", unit="persons")
    assert (r["value"], r["confidence"], r["precision"]) == (233000, "D", 200)
    assert "213900" in r["note"] and "19100" in r["note"]
    assert one("poverty", period="2022", age="TOT", unit="persons")["value"] == 213900
    assert one("poverty", period="2022", age="0017", unit="percent")["value"] == pytest.approx(4.2)


# -- drug deaths ---------------------------------------------------------------------------

def test_drug_deaths_citations_corrected():
    first = one("drug-deaths", period="2016", register="POLICE", vintage="rigspolitiet-dr-2017")
    assert first["value"] == 276 and first["confidence"] == "S"
    _, prov, _ = load_bundled("drug-deaths", "en")
    assert prov.citations["rigspolitiet-dr-2017"]["author"] == "Rigspolitiet"
    assert "DR" in prov.citations["rigspolitiet-dr-2017"]["via"]
    # EMCDDA's 254 names no register: not a vintage of the police series
    assert one("drug-deaths", period="2017", vintage="emcdda-cdr-2019")["register"] == "NOT_STATED"
    assert one("drug-deaths", period="2017", register="POLICE")["value"] == 256
    first = one("drug-deaths", period="2018", register="POLICE", vintage="first-release-2019-09")
    assert first["value"] == 252
    assert "author" not in prov.citations["first-release-2019-09"]  # no publisher is named
    assert one("drug-deaths", period="2019", register="POLICE", vintage="sst-2020-09-29")["value"] == 265
    assert one("drug-deaths", period="2011", register="POLICE")["source"] == "sst-2012"


def test_country_drug_reports_are_two_vintages_of_the_cause_of_death_series():
    r15 = one("drug-deaths", period="2015", register="COD_SELB")
    r16 = one("drug-deaths", period="2016", register="COD_SELB", unit="deaths")
    rate = one("drug-deaths", period="2016", register="COD_SELB", unit="per-million-15-64")
    assert (r15["value"], r15["vintage"]) == (201, "emcdda-cdr-2018")
    assert (r16["value"], r16["vintage"], rate["value"]) == (237, "emcdda-cdr-2019", 55)
    police = {r["vintage"] for r in rows("drug-deaths", register="POLICE")}
    assert "emcdda-cdr-2018" not in police


def test_emcdda_2012_all_thirty_countries_and_denmark_fourth():
    rates = rows("drug-deaths-eu", cause="DRD", unit="per-million-15-64")
    deaths = {r["geo"]: r["value"] for r in rows("drug-deaths-eu", cause="DRD", unit="deaths")}
    assert len(rates) == 30 and len(deaths) == 30
    ranked = sorted(rates, key=lambda r: -r["value"])
    assert [r["geo"] for r in ranked[:4]] == ["EE", "NO", "IE", "DK"]
    dk = next(r for r in rates if r["geo"] == "DK")
    assert (dk["value"], deaths["DK"]) == (pytest.approx(54.8), 222)
    assert deaths["UK"] == 2334 and deaths["DE"] == 1237
    notes = {r["geo"]: r["note"] for r in rates}
    assert "three-year average" in notes["CY"] and "three-year average" in notes["MT"]
    assert "Selection D" in notes["CZ"] and "DSD" in notes["UK"]
    assert all("2010 population" in r["note"] and "most recent year reported" in r["note"] for r in rates)
    assert all(r["status"] == "uncertain" and r["confidence"] == "V" and r["precision"] == pytest.approx(0.1)
               for r in rates)
    _, prov, _ = load_bundled("drug-deaths-eu", "en")
    assert any("with caution" in c for c in prov.caveats["en"])
    assert any("4th highest of 30" in c for c in prov.caveats["en"])


# -- homelessness --------------------------------------------------------------------------

def test_homelessness_further_breakdowns():
    assert one("homelessness", period="2017", age="50-59")["value"] == 1057
    assert one("homelessness", period="2019", age="50-59")["value"] == 1131
    assert one("homelessness", period="2015", population="WOMEN", unit="persons")["value"] == 1325
    assert one("homelessness", period="2017", population="WOMEN", unit="percent-of-national")["value"] == 25
    shares = rows("homelessness", geo="751", unit="percent-of-national")
    assert sorted((r["period"], r["value"]) for r in shares) == [("2019", 11.7), ("2022", 8.8)]
    # read on KL's map (date not recorded): their own vintage, not the VIVE reports'
    assert all(r["source"] == r["vintage"] == "kl-kommunekort" and r["vintage_date"] is None for r in shares)
    counts = rows("homelessness", geo="751", unit="persons")
    assert sorted((r["period"], r["value"]) for r in counts) == [("2017", 767), ("2019", 750)]


def test_homelessness_national_totals_untouched_by_the_breakdowns():
    frame, _, _ = load_bundled("homelessness", "en")
    totals = frame.filter((pl.col("geo") == "DK") & (pl.col("population") == "COUNTED")
                          & (pl.col("situation") == "TOT") & (pl.col("age") == "TOT"))
    assert totals["unit"].unique().to_list() == ["persons"] and totals.height == 9


# -- the new indicators --------------------------------------------------------------------

def test_three_year_poverty_line_keeps_every_vintage():
    base = {r["vintage"]: r for r in rows("poverty-3yr", period="2000")}
    assert {v: r["value"] for v, r in base.items()} == {"cepos-earlier": 26700, "abcepos-2023": 32500}
    assert base["cepos-earlier"]["confidence"] == "S" and base["abcepos-2023"]["confidence"] == "V"
    # the revised base is read in ABCepos 0127, the same series as the 2021 value
    assert base["abcepos-2023"]["source"] == "abcepos-0127" and "32.500" in base["abcepos-2023"]["note"]
    r16 = one("poverty-3yr", period="2016")
    assert (r16["value"], r16["status"], r16["confidence"], r16["precision"]) == (50000, "approximate", "S", 10000)
    assert (one("poverty-3yr", period="2017")["value"], one("poverty-3yr", period="2017")["confidence"]) == (56000, "V")
    assert one("poverty-3yr", period="2019")["value"] == 69400
    assert one("poverty-3yr", period="2021", unit="persons")["value"] == 67800
    kids = one("poverty-3yr", age="0017")
    assert (kids["period"], kids["value"], kids["confidence"]) == ("2018", 14900, "S")
    # the ratios the caveats state, from the rows
    assert 69400 / 26700 == pytest.approx(2.60, abs=0.005) and 67800 / 32500 == pytest.approx(2.09, abs=0.005)
    frame, _, _ = load_bundled("poverty-3yr", "en")
    latest = select(frame).filter(pl.col("period") == "2000").to_dicts()
    assert [r["value"] for r in latest] == [32500]  # the revised base is the default view


def test_mental_health_by_sex_with_derived_2010():
    women10 = one("mental-health", period="2010", group="F16-24")
    men10 = one("mental-health", period="2010", group="M16-24")
    assert (women10["value"], women10["confidence"]) == (pytest.approx(15.3), "D")
    assert (men10["value"], men10["confidence"]) == (pytest.approx(8.3), "D")
    assert "8.0" in women10["note"] and "4.6" in men10["note"]
    assert one("mental-health", period="2017", group="F16-24")["value"] == pytest.approx(23.3)
    assert one("mental-health", period="2017", group="M16-24")["value"] == pytest.approx(12.9)
    assert one("mental-health", period="2017", group="T16-")["value"] == pytest.approx(13.2)
    assert [one("mental-health", period="2021", group=g)["value"] for g in ("F16-24", "M16-24", "T16-")] == [
        34, 21, pytest.approx(17.4)]
    assert one("mental-health", period="2021", group="F16-24")["precision"] == 1
    # the seed's unpublished totals (12 %, 18.3 %) are not bundled
    assert not [r for r in rows("mental-health") if r["value"] in (12, 18.3)]


def test_mortality_gap_three_studies():
    gaps = rows("mortality-gap", measure="GAP")
    assert [(r["period"], r["value"], r["vintage"], r["confidence"]) for r in gaps] == [
        ("2013", 22, "davidsen-2013", "S"), ("2017", 19, "strobaek-2017", "V"), ("2023", 17, "pedersen-2023", "S")]
    assert len({r["source"] for r in gaps}) == 3
    assert one("mortality-gap", measure="AGE_VULNERABLE")["value"] == 57
    assert one("mortality-gap", measure="AGE_OTHERS")["value"] == 79


def test_neet_range_and_what_was_not_found():
    share = one("neet", unit="percent", age="25-29")
    assert share["value"] is None and (share["value_low"], share["value_high"]) == (7, 8)
    assert share["confidence"] == "S" and share["precision"] == 1  # each end to the whole percent
    per_group = one("neet", unit="persons-per-year-group")
    # the year is an assumption: both ROCKWOOL rows are uncertain and say so
    assert (per_group["value"], per_group["status"], per_group["precision"]) == (5000, "uncertain", 1000)
    assert all("period assumed" in r["note"] for r in (share, per_group))
    _, prov, _ = load_bundled("neet", "en")
    assert any("lidt over 4 pct." in c and "not bundled" in c for c in prov.caveats["en"])


# -- every new dataset draws, lists and informs ---------------------------------------------

@pytest.mark.parametrize("indicator", NEW)
def test_new_dataset_chart_list_and_info(runner, cli, tmp_path, indicator):
    out = tmp_path / f"{indicator}.png"
    res = runner.invoke(cli, ["chart", indicator, "--out", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 10_000
    res = runner.invoke(cli, ["list"])
    assert res.exit_code == 0 and indicator in res.output
    res = runner.invoke(cli, ["info", indicator, "--lang", "en"])
    assert res.exit_code == 0, res.output
    _, prov, _ = load_bundled(indicator, "en")
    assert prov.title["en"] in res.output
