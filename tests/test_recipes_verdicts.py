"""Verdicts (revised, no data), precision intervals, the new claim kinds and --fail-on.

Most checks run on small frames (a fake data source with an as-of and a latest view), so
each verdict is shown on the smallest data that produces it.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from reach import explore, require

from udsattestat.cli import main
from udsattestat.qualifiers import read
from udsattestat.recipes import verify
from udsattestat.recipes.claims import (
    FAILS,
    HOLDS,
    NO_DATA,
    REVISED,
    UNDECIDED,
    Rank,
    ViewResult,
    consistency_tally,
    evaluate,
    row_span,
    tally,
    verdict_of,
)
from udsattestat.recipes.formula import FormulaError, evaluate_formula, parse_formula
from udsattestat.recipes.model import Check, Claim, RecipeError, Report, checks_of
from udsattestat.recipes.spans import Span, check_span

try:  # tests/ may or may not be a package
    from .recipe_helpers import DRUG_WHERE, claim, write
except ImportError:
    from recipe_helpers import DRUG_WHERE, claim, write  # type: ignore[no-redef]

REPORT = Report(title={"da": "x"}, date="2021-11")


def frame(rows: list[dict]) -> pl.DataFrame:
    """Tidy rows with the core columns; each row gives period, value and what differs."""
    out = []
    for r in rows:
        year = int(r["period"])
        out.append({
            "indicator": "x", "period": r["period"], "freq": "A", "period_start": dt.date(year, 1, 1),
            "period_end": dt.date(year, 12, 31), "geo": r.get("geo", "DK"), "geo_label": r.get("geo", "DK"),
            "value": r.get("value"), "value_low": r.get("value_low"), "value_high": r.get("value_high"),
            "precision": r.get("precision"), "unit": "persons", "status": r.get("status", "published"),
            "confidence": "V", "vintage": r.get("vintage", "v1"), "vintage_date": r.get("vintage_date"),
            "source": r.get("vintage", "v1"), "source_locator": None, "note": None,
        })
    schema = {"value": pl.Float64, "value_low": pl.Float64, "value_high": pl.Float64, "precision": pl.Float64,
              "vintage_date": pl.String, "source_locator": pl.String, "note": pl.String}
    return pl.DataFrame(out, schema_overrides=schema)


class FakeData:
    """What RecipeData gives a claim: the latest view, and the view as of the report's date."""

    def __init__(self, latest: pl.DataFrame, as_of: pl.DataFrame | None = None):
        self.latest, self.as_of = latest, latest if as_of is None else as_of

    def get(self, indicator, *, vintage="latest", as_of=None):
        from udsattestat.provenance import Provenance

        prov = Provenance.__new__(Provenance)
        prov.vintages = {}
        if vintage == "all":
            return pl.concat([self.as_of, self.latest]).unique(), prov
        return (self.as_of if as_of is not None else self.latest), prov


def make(measure: str, *checks: Check, **kw) -> Claim:
    return Claim(id="c", quote="q", page=7, indicator="x", measure=measure, checks=list(checks), **kw)


# -- verdicts ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "as_of, latest, verdict",
    [
        (HOLDS, HOLDS, HOLDS),
        (HOLDS, FAILS, REVISED),       # held as published; a revision changed the answer
        (HOLDS, UNDECIDED, REVISED),   # the revision made it uncertain: still not an error of the report
        (FAILS, HOLDS, FAILS),         # wrong against what the authors could read
        (FAILS, FAILS, FAILS),
        (NO_DATA, HOLDS, HOLDS),       # nothing published by then: the latest data decide
        (NO_DATA, FAILS, FAILS),
        (NO_DATA, UNDECIDED, UNDECIDED),
        (UNDECIDED, FAILS, FAILS),
        (UNDECIDED, HOLDS, UNDECIDED),  # never "holds" on what could not be decided then
        (UNDECIDED, UNDECIDED, UNDECIDED),
    ],
)
def test_verdict_of_the_two_views(as_of, latest, verdict):
    assert verdict_of(ViewResult("as_of", as_of), ViewResult("latest", latest)) == verdict


def test_knap_250000_held_as_published_then_revised():
    # AE-Rådet, Dec 2020: 248,000 written to the thousand; DST's later release: 250,200.
    as_of = frame([{"period": "2019", "value": 248000, "precision": 1000, "vintage": "ae-2020-12"}])
    latest = frame([{"period": "2019", "value": 250200, "precision": 100, "vintage": "dst-nyt-33390"}])
    c = make("value", Check("between", low=240000, high=250000), period="2019")
    r = evaluate(c, FakeData(latest, as_of), REPORT)
    assert r.verdict == REVISED
    assert r.as_of.measure == Span(247500, 248500) and r.as_of.status == HOLDS
    assert r.latest.measure == Span(250150, 250250) and r.latest.status == FAILS
    summary = r.summary()
    # both numbers and both vintages
    assert "[247,500–248,500] [ae-2020-12] → holds" in summary and "[250,150–250,250] [dst-nyt-33390] → fails" in summary


def test_no_data_claim_names_the_publication(tmp_path):
    body = """
[[claim]]
id = "spending"
quote = "mellem 7,8 og 41 mia. kr. i nettoudgifter"
page = 7
no_data = { da = "VIVE (2018), Socialt udsatte borgeres brug af velfærdssystemet", en = "VIVE (2018), Socially vulnerable citizens' use of the welfare system" }
comment = "a range of net spending by definition"
"""
    _recipe, results = verify(write(tmp_path, body))
    r = results[0]
    assert r.verdict == NO_DATA and r.as_of is None and r.latest is None
    assert "VIVE (2018)" in r.summary() and r.summary().startswith("no data: the source is not in the bundle")
    assert r.to_json()["no_data_da"].startswith("VIVE (2018), Socialt")


@pytest.mark.parametrize(
    "extra, message",
    [
        ('indicator = "poverty"', "a claim with no_data (no bundled source) takes no 'indicator'"),
        ('measure = "value"', "takes no 'measure'"),
    ],
)
def test_no_data_claim_computes_nothing(tmp_path, extra, message):
    body = f'\n[[claim]]\nid = "x"\nquote = "q"\npage = 7\nno_data = "Some report (2019)"\n{extra}\n'
    with pytest.raises(RecipeError, match=re.escape(message)):
        verify(write(tmp_path, body))


def test_a_claim_without_source_or_measure_is_an_error(tmp_path):
    body = '\n[[claim]]\nid = "x"\nquote = "q"\npage = 7\nindicator = "poverty"\n'
    with pytest.raises(RecipeError, match="no_data = "):
        verify(write(tmp_path, body))


# -- precision -------------------------------------------------------------------------------

def test_precision_gives_the_interval_not_the_digits():
    # "ca. 200.000" to the thousand: 199,500–200,500 (not 150,000–250,000)
    assert row_span({"value": 200000.0, "precision": 1000.0, "status": "approximate"}) == Span(199500, 200500)
    # null precision = exact as published
    assert row_span({"value": 250200.0, "precision": None, "status": "published"}) == Span(250200, 250200)
    # a published range rounded to the thousand at both ends
    assert row_span({"value": None, "value_low": 70000.0, "value_high": 100000.0, "precision": 1000.0,
                     "status": "published"}) == Span(69500, 100500)
    # an approximate value with no recorded precision (older data): its last significant digit
    assert row_span({"value": 200000.0, "status": "approximate"}) == Span(150000, 250000)


precisions = st.sampled_from([0.1, 1.0, 10.0, 100.0, 500.0, 1000.0, 5000.0, 10000.0])


@given(st.integers(-10**6, 10**6), precisions)
def test_precision_interval_is_centred_and_as_wide_as_the_step(k, p):
    v = k * p  # a figure as the publisher rounds it: a multiple of its step
    s = Span.around(v, p)
    assert s.lo <= v <= s.hi
    assert s.hi - s.lo == pytest.approx(p)
    assert (s.lo + s.hi) / 2 == pytest.approx(v)


@given(st.integers(-10**6, 10**6), precisions, st.floats(0.001, 0.999))
def test_every_value_that_rounds_to_the_figure_is_inside(k, p, frac):
    v = k * p
    x = v - p / 2 + frac * p  # a true value the publisher would have written as v
    s = Span.around(v, p)
    assert s.lo <= x <= s.hi
    assert round(x / p) * p == pytest.approx(v)


@given(st.integers(0, 10**6), precisions, st.floats(-1e7, 1e7), st.sampled_from(["<", "<=", ">", ">="]),
       st.floats(0, 1))
def test_a_decided_check_holds_for_every_true_value(k, p, bound, op, frac):
    # If the interval decides a check, so does every true value behind the rounded figure.
    s = Span.around(k * p, p)
    outcome = check_span(op, s, value=bound)
    x = s.lo + frac * (s.hi - s.lo)
    if outcome is not None:
        assert check_span(op, Span.of(x), value=bound) is outcome


# -- claim kinds -----------------------------------------------------------------------------

COUNTS = [("2007", 5253), ("2009", 4998), ("2011", 5290), ("2013", 5820), ("2015", 6138), ("2017", 6635),
          ("2019", 6431), ("2022", 5789)]


def test_every_change_has_one_sign_fails_on_a_fall():
    # "steget gennem alle de år, vi har målt": 2007→2009 and 2017→2019 fell
    f = frame([{"period": p, "value": v} for p, v in COUNTS])
    c = make("every_change", Check(">", value=0), since="2007", until="2019")
    r = evaluate(c, FakeData(f), REPORT)
    assert r.verdict == FAILS
    assert r.latest.measure == [-255, 292, 530, 318, 497, -204]
    assert [i["period"] for i in r.latest.inputs] == ["2007", "2009", "2011", "2013", "2015", "2017", "2019"]
    assert "−255, +292, +530, +318, +497, −204" in r.summary()


def test_every_change_holds_on_a_rise_and_is_undecided_when_rounding_hides_the_sign():
    rising = frame([{"period": p, "value": v} for p, v in [("2015", 100), ("2016", 120), ("2017", 130)]])
    c = make("every_change", Check(">", value=0), since="2015", until="2017")
    assert evaluate(c, FakeData(rising), REPORT).verdict == HOLDS
    rounded = frame([{"period": "2015", "value": 100, "precision": 10}, {"period": "2016", "value": 105,
                                                                          "precision": 10}])
    c = make("every_change", Check(">", value=0), since="2015", until="2016")
    assert evaluate(c, FakeData(rounded), REPORT).verdict == UNDECIDED


# EMCDDA Statistical Bulletin 2012, fig. DRD-7: all 30 countries (rate per million aged 15–64)
DRD7 = {"RO": 2.3, "HU": 2.3, "TR": 2.6, "LV": 4.5, "SK": 5.1, "BG": 6.7, "PT": 7.2, "CZ": 7.3, "PL": 7.5,
        "NL": 7.7, "FR": 8.0, "IT": 9.4, "ES": 14.1, "BE": 14.1, "SI": 17.6, "CY": 19.0, "GR": 20.7, "MT": 20.8,
        "LT": 21.8, "DE": 22.5, "HR": 24.6, "AT": 30.1, "LU": 35.0, "SE": 40.8, "FI": 46.7, "UK": 54.4,
        "DK": 54.8, "IE": 65.2, "NO": 87.0, "EE": 111.2}


def test_rank_denmark_4th_of_30():
    f = frame([{"period": "2012", "geo": g, "value": v, "precision": 0.1} for g, v in DRD7.items()])
    c = make("rank", Check("<=", value=6), period="2012", item={"geo": ["DK"]})
    r = evaluate(c, FakeData(f), REPORT)
    assert r.latest.measure == Rank(4, 30) and r.verdict == HOLDS
    assert "4 of 30" in r.summary()
    # the evidence: Denmark, then the three ahead of it, highest first
    assert [i.get("member") for i in r.latest.inputs] == ["DK", "EE", "NO", "IE"]
    low = make("rank", Check("<=", value=1), period="2012", item={"geo": ["RO"]}, order="lowest")
    # Romania and Hungary are both "2.3" to one decimal: either may be lowest
    assert evaluate(low, FakeData(f), REPORT).latest.measure == Rank(Span(1, 2), 30)
    exact = frame([{"period": "2012", "geo": g, "value": v} for g, v in DRD7.items()])
    assert evaluate(low, FakeData(exact), REPORT).latest.measure == Rank(1, 30)  # an exact tie shares 1st


def test_rank_is_a_span_when_rounding_overlaps():
    f = frame([{"period": "2012", "geo": "A", "value": 10.0, "precision": 1}, {"period": "2012", "geo": "B",
               "value": 10.4, "precision": 1}, {"period": "2012", "geo": "C", "value": 30.0}])
    c = make("rank", Check("<=", value=2), period="2012", item={"geo": ["A"]})
    r = evaluate(c, FakeData(f), REPORT)
    assert r.latest.measure == Rank(Span(2, 3), 3) and r.verdict == UNDECIDED


def test_ratio_to_the_last_period_of_each_view():
    # "mere end fordoblet siden årtusindskiftet": 2000 to the latest year of each view, one vintage
    as_of = frame([{"period": "2000", "value": 26700, "vintage": "cepos-a"},
                   {"period": "2019", "value": 69400, "vintage": "cepos-a"}])
    latest = frame([{"period": "2000", "value": 32500, "vintage": "cepos-2023"},
                    {"period": "2021", "value": 67800, "vintage": "cepos-2023"}])
    c = make("ratio", Check(">", value=2), from_period="2000", to_period="last")
    r = evaluate(c, FakeData(latest, as_of), REPORT)
    assert r.as_of.measure == pytest.approx(69400 / 26700) and r.latest.measure == pytest.approx(67800 / 32500)
    assert r.verdict == HOLDS
    assert [i["period"] for i in r.latest.inputs] == ["2000", "2021"]


def _stated(numbers, formula, *checks):
    return make("stated", *checks, numbers=numbers, formula=formula)


def test_stated_figures_that_cannot_agree_disagree():
    # "56%" (55,5–56,5) of "ca. 60.000" read to the nearest 5.000 (a step with a reason) is
    # at most 35.313: it cannot be "godt 36.000" (36.000–36.500), so the figures disagree
    numbers = {"share": {"reads": read("56%")},
               "children": {"reads": read("ca. 60.000", 5000, "the nearest 5.000, for the test")}}
    r = evaluate(_stated(numbers, "share / 100 * children", *checks_of(read("godt 36.000"))), FakeData(frame([])),
                 REPORT)
    assert r.kind == "consistency" and r.verdict == "disagree" and r.latest.view == "report" and r.as_of is None
    assert r.latest.measure == Span(0.555 * 57500, 0.565 * 62500)


def test_stated_figures_that_can_agree_agree_and_are_counted_apart():
    # 250.000 (245.000–255.000) − ca. 60.000 (55.000–65.000) = 180.000–200.000, which
    # overlaps "190.000" (185.000–195.000): the report's figures can agree
    numbers = {"all": {"reads": read("250.000")}, "children": {"reads": read("ca. 60.000")}}
    r = evaluate(_stated(numbers, "all - children", *checks_of(read("190.000"))), FakeData(frame([])), REPORT)
    assert r.verdict == "agree" and r.latest.measure == Span(180000, 200000)
    assert tally([r])[HOLDS] == 0 and consistency_tally([r]) == {"agree": 1, "disagree": 0}


@pytest.mark.parametrize("text", ["__import__('os')", "a.b", "a ** 2", "[a]", "a if a else a", "b + 1", "'x'",
                                  "lambda: 1", "a; a", ""])
def test_formula_rejects_anything_but_arithmetic(text):
    with pytest.raises(FormulaError):
        parse_formula(text, {"a"})


def test_formula_parser_is_total():
    def check(text):
        try:
            parse_formula(text, {"a", "b"})
        except FormulaError:
            return "refused"
        return "parsed"

    # Random text alone was a formula 2 times in 100: arithmetic-like text reaches the parser.
    arithmetic = st.recursive(st.sampled_from(["a", "b", "1", "2.5", "-a", "c"]), lambda inner: st.tuples(
        inner, st.sampled_from(["+", "-", "*", "/", "**", "%", ""]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        max_leaves=6)
    require(explore(st.one_of(st.text(max_size=40), arithmetic), check=check), parsed=0.1, refused=0.3)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(1, 1e6))
def test_formula_interval_contains_the_point_result(a, b, c):
    out = evaluate_formula("(a - b) * 2 / c + -a", {"a": Span.of(a), "b": Span.of(b), "c": Span.of(c)})
    assert out.lo == pytest.approx((a - b) * 2 / c - a) == pytest.approx(out.hi)


# -- exit-code policy ------------------------------------------------------------------------

def _policy_recipe(tmp_path):
    # Written in October 2020: 2018's first release was 252, later revised to 256 -> revised.
    report = '[report]\ntitle = "x"\ndate = "2020-10"\n'
    body = claim("d2018", 'measure = "value"\nperiod = "2018"\ncheck = { op = "==", value = 252 }', "drug-deaths",
                 DRUG_WHERE)
    body += '\n[[claim]]\nid = "nd"\nquote = "q"\npage = 7\nno_data = "Some report (2019)"\n'
    return write(tmp_path, body, report=report)


@pytest.mark.parametrize(
    "args, code",
    [
        ([], 0),                                  # default fails,undecided: revised and no data pass
        (["--fail-on", "revised"], 3),
        (["--fail-on", "no-data"], 3),
        (["--fail-on", "fails,undecided"], 0),
        (["--fail-on", "none"], 0),
        (["--fail-on", "Revised, no data"], 3),   # forgiving spelling
    ],
)
def test_fail_on_chooses_the_verdicts_that_fail_verify(tmp_path, args, code):
    res = CliRunner().invoke(main, ["verify", str(_policy_recipe(tmp_path)), *args])
    assert res.exit_code == code, res.output
    assert "0 holder, 0 holder ikke, 1 ændret ved revision, 0 uafgjort, 1 ingen data, 0 kan ikke sammenlignes." in res.output
    if code == 3:
        assert "Error: 1 claim(s)" in res.output and "Traceback" not in res.output


def test_fail_on_error_and_deprecated_flag(tmp_path):
    path = _policy_recipe(tmp_path)
    res = CliRunner().invoke(main, ["verify", str(path), "--fail-on", "wrong"])
    assert res.exit_code == 2 and "'wrong' is not a verdict" in res.output
    seed_like = write(tmp_path, claim("f", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 7000 }'),
                      name="f.toml")
    out = tmp_path / "o"
    res = CliRunner().invoke(main, ["build", str(seed_like), "--out", str(out)])
    assert res.exit_code == 3 and "1 claim(s) fail: f" in res.output
    res = CliRunner().invoke(main, ["build", str(seed_like), "--out", str(out), "--allow-failing-claims"])
    assert res.exit_code == 0 and "--allow-failing-claims is deprecated; use --fail-on none" in res.output


def test_help_names_the_failing_verdicts():
    for cmd in ("build", "verify"):
        res = CliRunner().invoke(main, [cmd, "--help"])
        text = " ".join(res.output.split())
        assert "--fail-on" in text and "[default: fails,undecided]" in text
        assert "revised" in text and "no-data" in text


def test_vintages_pin_the_primary_publication(tmp_path):
    # "4%" checked against Fællesskabsmålingen itself, never against the report's own quotation
    where = 'where = { approach = "SURVEY", group = "ALL", unit = "percent" }'
    body = 'measure = "value"\nperiod = "2017"\nvintages = ["vive-faellesskab-2017"]\ncheck = { op = "between", low = 3.5, high = 4.5 }'
    _recipe, results = verify(write(tmp_path, claim("four", body, "udsathed-definitions", where)))
    r = results[0]
    assert r.verdict == HOLDS
    assert {i["vintage"] for i in r.latest.inputs + r.as_of.inputs} == {"vive-faellesskab-2017"}
    bad = body.replace("vive-faellesskab-2017", "nope")
    with pytest.raises(RecipeError, match="unknown vintage 'nope'"):
        verify(write(tmp_path, claim("four", bad, "udsathed-definitions", where), name="bad.toml"))
