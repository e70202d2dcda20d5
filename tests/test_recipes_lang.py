"""Both languages: texts the code writes and texts a recipe gives as { da = "…", en = "…" }."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from udsattestat.cli import main
from udsattestat.recipes.model import RecipeError
from udsattestat.recipes.reader import load_recipe

try:  # tests/ may or may not be a package
    from .recipe_helpers import claim, write
except ImportError:
    from recipe_helpers import claim, write  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "recipes" / "forandringskraft-2021.toml"
POVERTY_WHERE = 'where = { geo = "DK", age = "TOT", unit = "persons" }'

# Phrases the code writes in English; none may appear on a Danish page or in Danish claims.md.
ENGLISH = ["nothing certainly published", "has no value", "the data come from", "date not recorded",
           "(vintage ", "published 20", "lies partly inside", "; source ", "confidence ", "lacks "]


def test_comment_and_reason_in_both_languages(tmp_path):
    body = claim("c", '''measure = "value"
period = "2019"
check = { op = ">", value = 6000 }
comment = { da = "over 6.000: mere end 6.000", en = "over 6,000: more than 6,000" }''') + claim(
        "nc", '''not_comparable = { da = "en anden serie", en = "another series" }''')
    r = load_recipe(write(tmp_path, body))
    c, nc = r.claims
    assert c.text("comment", "da") == "over 6.000: mere end 6.000" and c.text("comment", "en") == "over 6,000: more than 6,000"
    assert c.comment == "over 6,000: more than 6,000"  # the one-language form is English
    assert nc.text("not_comparable", "da") == "en anden serie" and nc.not_comparable == "another series"


def test_plain_strings_stay_valid_and_one_language_falls_back(tmp_path):
    body = claim("c", '''measure = "value"
period = "2019"
check = { op = ">", value = 6000 }
comment = "same in both"''') + claim("d", '''measure = "value"
period = "2019"
check = { op = ">", value = 6000 }
comment = { da = "kun dansk" }''')
    c, d = load_recipe(write(tmp_path, body)).claims
    assert c.text("comment", "da") == c.text("comment", "en") == c.comment == "same in both"
    assert d.text("comment", "en") == "kun dansk" and d.comment == "kun dansk"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('{ de = "x" }', "de"),
        ('{ da = "" }', "comment.da: must not be empty"),
        ('""', "comment: must not be empty"),
        ("3", "comment: expected text or { da"),
    ],
)
def test_bad_language_texts_are_errors(tmp_path, value, expected):
    body = claim("c", f'''measure = "value"
period = "2019"
check = {{ op = ">", value = 6000 }}
comment = {value}''')
    with pytest.raises(RecipeError) as info:
        load_recipe(write(tmp_path, body))
    assert expected in str(info.value)
    assert "claim" in str(info.value)


def _page_text(path: Path) -> str:
    text = re.sub(r"<style>.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", text))


def test_danish_build_has_danish_explanations(tmp_path):
    # a claim whose report-date view has no data (the 2015 child count is only in undated quotations)
    body = claim("p2015", '''measure = "value"
period = "2015"
check = { op = "<", value = 50000 }''', "poverty", 'where = { geo = "DK", age = "0017", unit = "persons" }')
    recipe = write(tmp_path, body)
    for lang in ("da", "en"):
        res = CliRunner().invoke(main, ["build", str(recipe), "--out", str(tmp_path / lang), "--lang", lang,
                                        "--fail-on", "none"])
        assert res.exit_code == 0, res.output
    da_md = (tmp_path / "da" / "claims.md").read_text(encoding="utf-8")
    da_page = _page_text(tmp_path / "da" / "index.html")
    # the indicator by its title and each release by what it is, in Danish: no ids
    assert ("intet med sikkerhed offentliggjort inden da: Personer i relativ fattigdom har ingen værdi "
            "for 2015") in da_md
    assert ("tallene stammer fra AE-Rådets citat af Danmarks Statistiks børnetal for 2015 som 43.400 (i en af dets "
            "tekster fra dec. 2020 og 2023; hvilken, og dermed datoen, er ikke registreret)") in da_page
    # the two quotations are S as published (published-figures.md §2), not uncertain
    assert ("2015: 43.500 (AE-Rådet efter Danmarks Statistik; udgivet dato ikke registreret; status offentliggjort; "
            "sikkerhed: læst i en kilde, der citerer publikationen)") in da_md
    assert "ae-quote" not in da_md and "ae-quote" not in da_page
    for phrase in ENGLISH:
        assert phrase not in da_md and phrase not in da_page, phrase
    en_md = (tmp_path / "en" / "claims.md").read_text(encoding="utf-8")
    assert "nothing certainly published by then: Persons in relative poverty has no value for 2015" in en_md
    assert "status published" in en_md
    # claims.json stays one language (English) with the Danish reason beside it
    view = json.loads((tmp_path / "da" / "claims.json").read_text())["claims"][0]["as_of"]
    assert view["reason"].startswith("nothing certainly published") and view["reason_da"].startswith("intet")


def test_seed_recipe_page_in_danish(tmp_path):
    out = tmp_path / "da"
    res = CliRunner().invoke(main, ["build", str(SEED), "--out", str(out), "--lang", "da", "--fail-on", "none"])
    assert res.exit_code == 0, res.output
    page = _page_text(out / "index.html")
    for phrase in ENGLISH + ["strictly more than", "Same reading", "starts in 2015", "the bundled EMCDDA",
                             "Degree and complexity", "just under", "would be settled by", "with caution"]:
        assert phrase not in page, phrase
    assert "på den treårige fattigdomsgrænse, som CEPOS beregner" in page
    assert "kilden er ikke i datasættene; søgt efter" in page and "med forsigtighed" in page
    assert "Grad og kompleksitet af problemer" in page
    assert "mere end 6.000" in page
    claims = {c["id"]: c for c in json.loads((out / "claims.json").read_text())["claims"]}
    assert claims["p07-net-spending-7-8-bn-kr"]["no_data"].startswith("VIVE (2018)")
    assert claims["p07-net-spending-7-8-bn-kr"]["verdict"] == "no-data"


def test_empty_as_of_view_names_only_the_releases_the_claim_uses():
    # p. 5's "ca. 282.000" is checked against VIVE as quoted by Kristeligt Dagblad only; the
    # report's own quotation (the same row in vintage forandringskraft-2021) is left out on
    # purpose, so it is no answer to why the as-of view is empty.
    asof = _seed_result("p05-approach2-ca-282000").as_of
    assert asof.status == "no-data"
    assert "tallene stammer fra VIVE (2018) som gengivet i Kristeligt Dagblad" in asof.reasons["da"]
    assert "Forandringskraft" not in asof.reasons["da"] and "forandringskraft-2021" not in asof.reason


def test_a_range_of_negative_numbers_reads_in_words():
    # "−4–−2" reads as a third minus sign; a reader writes "−4 til −2"
    from udsattestat.recipes.claims import _fmt_span
    from udsattestat.recipes.spans import Span

    assert _fmt_span(Span(-4.0, -2.0), "da") == "[−4 til −2]"
    assert _fmt_span(Span(-4.0, -2.0), "en") == "[−4 to −2]"
    assert _fmt_span(Span(2.0, 4.0), "da") == "[2–4]"


def test_a_population_on_a_day_reads_as_the_day_in_words():
    # DST's population on 1 January 2018 is period 2018-01-01 in the data; a reader reads the day
    inputs = _seed_result("p05-approach1-ca-230000").latest.inputs
    day = next(i for i in inputs if i.get("period") == "2018-01-01")
    assert day["period_text"] == {"da": "1. januar 2018", "en": "1 January 2018"}
    assert all("period_text" not in i for i in inputs if i is not day)  # a year stays a year


def test_a_formula_empty_as_of_view_names_its_releases():
    # "190.000 voksne" = DST's persons − children (2019), a release whose date is not recorded:
    # the as-of view says which release it waits for, as a one-value claim's does
    asof = _seed_result("p05-approach3-190000-adults").as_of
    assert asof.status == "no-data"
    assert "; tallene stammer fra Danmarks Statistiks udgivelse om relativ fattigdom 2020" in asof.reasons["da"]
    assert asof.reasons["da"].count("tallene stammer fra") == 1  # one release, named once
    assert asof.reason.endswith("; the data come from dst-nyt-33390 (published 2021)")


def _seed_result(cid: str):
    """One claim of the shipped Forandringskraft recipe, evaluated on the bundled data."""
    from udsattestat.recipes.claims import evaluate
    from udsattestat.recipes.data import RecipeData

    recipe = load_recipe(SEED)
    return evaluate(next(c for c in recipe.claims if c.id == cid), RecipeData(lang="da"), recipe.report)


def test_a_revised_claims_margin_says_it_is_the_margin_as_published():
    # "knap 250.000": held on ≈ 248.000 (AE, Dec 2020), fails on 250.100 later; its margin
    # (2.000 higher → undecided) is that of 248.000, which a reader beside 250.100 must be told
    from udsattestat.recipes.claims import margin_text

    revised = _seed_result("poverty-2019-knap-250000")
    assert revised.verdict == "revised"
    assert margin_text(revised.deciding, "da") == ("margin 2 trin af 1.000 (2019 højere → uafgjort) på tallene "
                                                   "som offentliggjort pr. rapportens dato")
    assert "as published" not in margin_text(_seed_result("homelessness-2019-over-6000").deciding, "en")
