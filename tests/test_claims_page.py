"""claims.md and the page's claims read at a glance: the counts first, each a link to its
group; what fails first, "no data" last; each claim with one plain sentence; every text from
a recipe escaped, so a hostile title or quote is text, never markup."""

from __future__ import annotations

import re

from click.testing import CliRunner

from udsattestat.cli import main

try:
    from .recipe_helpers import HOMELESS_WHERE, claim, seed_build, write
except ImportError:
    from recipe_helpers import HOMELESS_WHERE, claim, seed_build, write  # type: ignore[no-redef]


def test_claims_md_has_the_pages_structure():
    out, _res = seed_build()
    md = (out / "claims.md").read_text("utf-8")
    lines = md.splitlines()
    assert lines[0].startswith("# Påstande: ")
    counts = lines[2]
    assert counts.startswith("[2 holder ikke](#v-fails)") and "ingen data](#v-no-data)" in counts
    groups = [line for line in lines if line.startswith("## ") and '<a id="v-' in line]
    assert groups[0].startswith("## Holder ikke") and groups[-1].startswith("## Ingen data")
    for anchor in re.findall(r"\(#(v-[a-z-]+)\)", counts):
        assert f'<a id="{anchor}"></a>' in md
    # each failing claim: its quote, then one sentence of what the data say; no ISO date, no brackets
    first = md[md.index("## Holder ikke"):md.index("\n## ", md.index("## Holder ikke"))]
    assert "\n— " in first and "påstanden: mellem 36.000 og 36.500" in first
    assert "Data som offentliggjort pr. 30. november 2021" in md and "Data som offentliggjort pr. 2021-11-30" not in md


def test_recipe_text_is_escaped_in_claims_md(tmp_path):
    body = claim("x", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 6000 }',
                 where=HOMELESS_WHERE).replace('quote = "', 'quote = "<img src=x onerror=alert(1)> *loud* [link](http://x) ')
    recipe = write(tmp_path, body, report='[report]\ntitle = "<script>alert(1)</script>"\npublisher = "T"\ndate = "2021-11"\n')
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(recipe), "--out", str(out), "--fail-on", "none"])
    assert res.exit_code == 0, res.output
    md = (out / "claims.md").read_text("utf-8")
    assert "<script>" not in md and "<img" not in md and "[link](http://x)" not in md and " *loud* " not in md
    assert "&lt;script&gt;" in md and "\\*loud\\*" in md  # shown as written, not run or rendered
    page = (out / "index.html").read_text("utf-8")
    assert "<script>" not in page and "<img src=x" not in page


def test_a_claim_about_one_value_has_its_evidence_chart():
    """The series as a line, the values the claim allows as a band, the claimed year as a dot;
    only for a claim about one value of a series (a change or the report's arithmetic has none)."""
    from udsattestat.recipes import verify
    from udsattestat.recipes.data import RecipeData
    from udsattestat.recipes.sparks import HEIGHT, spark

    recipe, results = verify("recipes/forandringskraft-2021.toml")
    data = RecipeData(lang="da")
    by_id = {r.claim.id: r.claim for r in results}
    s = spark(by_id["homelessness-2019-over-6000"], data, recipe.report.as_of)
    assert s is not None and s["first"] == "2007" and len(s["line"].split()) >= 8
    # "over 6.000": a band from 6,000 up, the dot (6,431 in 2019) inside it
    band = s["band"]
    assert band["y"] <= s["mark"]["y"] <= band["y"] + band["h"] and band["y"] + band["h"] < HEIGHT
    assert spark(by_id["homelessness-2009-2019-plus-1433"], data, recipe.report.as_of) is None  # a difference
    out, _res = seed_build()
    page = (out / "index.html").read_text("utf-8")
    assert page.count('<figure class="spark">') >= 3
