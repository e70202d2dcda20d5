"""udsattestat build: outputs, manifest, byte-identical rebuilds, exit codes, safety."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from udsattestat.cli import main
from udsattestat.recipes import build

try:  # tests/ may or may not be a package
    from .recipe_helpers import HOMELESS_WHERE, claim, seed_build, write
except ImportError:
    from recipe_helpers import HOMELESS_WHERE, claim, seed_build, write  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "recipes" / "forandringskraft-2021.toml"
BRIEF = ROOT / "recipes" / "homelessness-brief.toml"

FIGURE = f"""
[[figure]]
name = "count"
kind = "timeseries"
indicator = "homelessness"
{HOMELESS_WHERE}
title = "Homeless people"
"""
TABLE = f"""
[[table]]
name = "counts"
indicator = "homelessness"
{HOMELESS_WHERE}
"""
HOLDING = claim("over-6000", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 6000 }')
FAILING = claim("over-7000", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 7000 }')


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def leftovers(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(".")]


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    out = tmp_path_factory.mktemp("b") / "brief"
    res = run("build", BRIEF, "--out", out)
    return out, res


def test_build_writes_every_output(brief):
    out, res = brief
    assert res.exit_code == 0, res.output
    names = {p.name for p in out.iterdir()}
    assert names == {
        "count-2007-2024.svg", "count-2007-2024.png", "count-2007-2024.csv", "count-2007-2024-phone.svg",
        "young-and-old.svg", "young-and-old.png", "young-and-old.csv", "young-and-old-phone.svg",
        "counts.md", "counts.csv", "counts.csv-metadata.json", "counts-excel.csv", "counts.xlsx", "claims.json", "claims.md", "manifest.json", "index.html",
    }
    # the brief is a Danish report: its build speaks Danish in the terminal too
    assert f"Bygget {out}: 2 figurer (svg, png, csv), 1 tabeller (md, csv, csv-excel, xlsx), 4 påstande; 17 filer." in res.output
    assert "4 holder, 0 holder ikke, 0 ændret ved revision, 0 uafgjort, 0 ingen data, 0 kan ikke sammenlignes." in res.output
    assert (out / "count-2007-2024.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (out / "count-2007-2024.svg").read_bytes()[:2000]
    assert (out / "counts.xlsx").read_bytes().startswith(b"PK")
    data = (out / "count-2007-2024.csv").read_text().splitlines()
    assert data[0].startswith("indicator,period,") and "source" in data[0] and len(data) == 10  # 9 counts
    assert any(line.startswith("homelessness,2024,") and ",5989.0," in line for line in data)


def test_manifest_checksums_inputs_and_vintages(brief):
    out, _ = brief
    m = json.loads((out / "manifest.json").read_text())
    assert set(m["outputs"]) == {p.name for p in out.iterdir()} - {"manifest.json"}
    for name, sha in m["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha
    assert m["recipe"] == {"file": "homelessness-brief.toml", "sha256": hashlib.sha256(BRIEF.read_bytes()).hexdigest()}
    inputs = m["inputs"]["homelessness"]
    csv = ROOT / "datasets" / "homelessness" / "values.csv"
    assert inputs["raw_sha256"]["datasets/homelessness/values.csv"] == hashlib.sha256(csv.read_bytes()).hexdigest()
    assert inputs["vintages_used"]["vive-2024"] == "2024-09"
    assert m["tool"] == "udsattestat" and m["tool_version"] and m["claims"] == {"holds": 4, "fails": 0, "revised": 0, "undecided": 0, "no-data": 0,
                                                                       "not-comparable": 0}
    assert m["report"]["as_of"] == "2024-10-31"


def test_claims_files(brief):
    out, _ = brief
    doc = json.loads((out / "claims.json").read_text())
    first = doc["claims"][0]
    assert first["id"] == "latest-count-2024" and first["verdict"] == "holds"
    assert first["latest"]["measure"] == 5989 and first["latest"]["inputs"][0]["vintage"] == "vive-2024"
    md = (out / "claims.md").read_text()
    assert "> Ved tællingen i 2024 var 5.989 personer hjemløse. (s. 1)" in md
    assert "værdi = 5.989 → **holder**" in md


def test_index_html_is_self_contained(brief):
    out, _ = brief
    html = (out / "index.html").read_text()
    assert '<meta name="viewport"' in html and "@media print" in html
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    local = [r for r in refs if not r.startswith(("http://", "https://", "#"))]
    assert all((out / r).is_file() for r in local), local
    # external addresses only as links to publications, never loaded
    assert not re.search(r'src="https?:', html) and "<link" not in html and "<script" not in html
    assert 'href="manifest.json"' in html and 'href="counts.xlsx"' in html


def test_rebuild_changes_no_byte_and_says_so(brief):
    out, _ = brief
    before = snapshot(out)
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    res = run("build", BRIEF, "--out", out)
    assert res.exit_code == 0, res.output
    assert f"Uændret: {out} rummer allerede denne bygning (17 filer, ingen byte ændret)." in res.output
    assert snapshot(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes
    assert leftovers(out.parent) == []


def test_rebuild_into_a_fresh_directory_is_byte_identical(brief, tmp_path):
    out, _ = brief
    res = run("build", BRIEF, "--out", tmp_path / "again")
    assert res.exit_code == 0, res.output
    assert snapshot(tmp_path / "again") == snapshot(out)


def test_english_build_differs_and_replaces(tmp_path):
    recipe = write(tmp_path, TABLE + HOLDING)
    out = tmp_path / "b"
    assert run("build", recipe, "--out", out).exit_code == 0
    da = (out / "index.html").read_text()
    res = run("build", recipe, "--out", out, "--lang", "en")
    assert res.exit_code == 0 and res.output.startswith("Built")  # the terminal follows --lang too
    en = (out / "index.html").read_text()
    assert da != en and '<html lang="en">' in en and "holds" in en
    assert leftovers(tmp_path) == []


def test_failing_claim_exits_3_but_writes_the_build(tmp_path):
    recipe = write(tmp_path, TABLE + HOLDING + FAILING)
    out = tmp_path / "out"
    res = run("build", recipe, "--out", out)
    assert res.exit_code == 3
    assert "Error: 1 claim(s) fail: over-7000" in res.output and "--fail-on none accepts all" in res.output
    assert json.loads((out / "claims.json").read_text())["verdicts"] == {"holds": 1, "fails": 1, "revised": 0, "undecided": 0,
                                                                         "no-data": 0, "not-comparable": 0}
    res = run("build", recipe, "--out", out, "--fail-on", "none")
    assert res.exit_code == 0 and "Uændret" in res.output and "1 holder, 1 holder ikke" in res.output


def test_seed_build():
    out, res = seed_build()
    assert res.exit_code == 3, res.output  # claims fail or are undecided (test_claims_expected.py)
    try:
        from .test_claims_expected import count_line
    except ImportError:
        from test_claims_expected import count_line  # type: ignore[no-redef]
    assert count_line("recipes/forandringskraft-2021.toml") in res.output
    names = {p.name for p in out.iterdir()}
    for fig in ("p05-four-definitions", "homelessness-2007-latest", "poverty-2015-latest", "drug-deaths-2012-latest"):
        assert {f"{fig}.svg", f"{fig}.png", f"{fig}.csv"} <= names
    for tab in ("homelessness-counts", "poverty-persons", "drug-deaths-police", "four-definitions"):
        assert {f"{tab}.md", f"{tab}.csv", f"{tab}.xlsx"} <= names


def test_failed_build_leaves_previous_build_intact(tmp_path, monkeypatch):
    recipe = write(tmp_path, TABLE + HOLDING)
    out = tmp_path / "out"
    assert run("build", recipe, "--out", out).exit_code == 0
    before = snapshot(out)
    from udsattestat import tables
    from udsattestat.errors import OutputError

    def broken(*args, **kwargs):
        raise OutputError("disk full (simulated)")

    monkeypatch.setattr(tables, "_xlsx", broken)  # the table file written last
    # a different build whose table must be written again (an unchanged one would be reused)
    recipe.write_text(recipe.read_text().replace("value = 6000", "value = 5999")
                      .replace('name = "counts"', 'name = "counts"\ntitle = "Counts"'))
    res = run("build", recipe, "--out", out)
    assert res.exit_code == 1 and "Error: disk full (simulated)" in res.output
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "body, expected",
    [
        (FIGURE.replace('"timeseries"', '"pie"'), "figure 'count': unknown kind 'pie'; valid kinds: timeseries, definitions"),
        (FIGURE.replace('age = "TOT"', 'age = "99"'), "figure 'count': unknown code '99' for age; valid codes:"),
        (FIGURE + 'since = "1990"\n', "figure 'count': --since 1990 is outside the data"),
        (FIGURE + 'vintage = "vive-1999"\n', "unknown vintage 'vive-1999'; use 'latest', 'report'"),
        # what a kind draws is its own declaration (charts.kinds), read here as by the CLI
        ("\n[[figure]]\nname = \"two\"\nkind = \"timeseries\"\nindicators = [\"homelessness\", \"drug-deaths\"]\n",
         "figure 'two': kind timeseries draws one indicator; indicators = [...] needs kind = \"indexed\""),
        (FIGURE + 'options = { series = "colour" }\n', "options.series 'colour' is not a dimension"),
        (TABLE.replace('"homelessness"', '"homeless"'), "table 'counts': unknown indicator 'homeless'"),
        (TABLE + 'pivot = "colour"\n', "table 'counts': cannot pivot on 'colour'"),
        (TABLE + 'change = ["2009", "2021"]\n', "change period 2021 has no data"),
        (FIGURE + claim("x", 'measure = "value"\nperiod = "2021"\ncheck = { op = ">", value = 1 }'),
         "claim 'x': homelessness has no value for 2021"),
    ],
)
def test_errors_before_anything_is_written(tmp_path, body, expected):
    recipe = write(tmp_path, body)
    out = tmp_path / "out"
    res = run("build", recipe, "--out", out)
    assert res.exit_code == 2, res.output
    assert expected in res.output and res.output.startswith("Error: ") and "Traceback" not in res.output
    assert not out.exists() and leftovers(tmp_path) == []


def test_output_directory_safety(tmp_path):
    recipe = write(tmp_path, TABLE + HOLDING)
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    res = run("build", recipe, "--out", link)
    assert res.exit_code == 1 and "is a symbolic link" in res.output
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("precious")
    res = run("build", recipe, "--out", mine)
    assert res.exit_code == 1 and "holds no previous build (manifest.json missing)" in res.output
    assert (mine / "thesis.docx").read_text() == "precious"
    afile = tmp_path / "afile"
    afile.write_text("x")
    res = run("build", recipe, "--out", afile)
    assert res.exit_code != 0 and "is a file" in res.output


def test_outputs_cannot_be_written_through_links(tmp_path):
    from udsattestat.errors import OutputError
    from udsattestat.recipes.build import safe_target

    (tmp_path / "evil.svg").symlink_to("/etc/passwd")
    with pytest.raises(OutputError, match="symbolic link"):
        safe_target(tmp_path, "evil.svg")
    for bad in ("../x.svg", "/etc/x", ".hidden", "a/b.svg"):
        with pytest.raises(OutputError, match="leave the output directory"):
            safe_target(tmp_path, bad)


def test_default_output_directory(tmp_path, monkeypatch):
    recipe = write(tmp_path, TABLE + HOLDING, name="my-brief.toml")
    monkeypatch.chdir(tmp_path)
    res = run("build", recipe)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "my-brief" / "index.html").is_file()
    assert "Åbn out/my-brief/index.html" in res.output


def test_api_build_result(tmp_path):
    recipe = write(tmp_path, TABLE + HOLDING)
    result = build(recipe, tmp_path / "o")
    assert result.changed and result.tables == 1 and not result.failing
    assert build(recipe, tmp_path / "o").changed is False
    assert os.listdir(tmp_path / "o")


def test_live_applies_only_to_indicators_with_a_live_source(tmp_path):
    # homelessness has no live source: --live builds it from the bundle
    recipe = write(tmp_path, TABLE + HOLDING)
    res = run("build", recipe, "--out", tmp_path / "o", "--live", "--offline", "--data-dir", tmp_path / "data")
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "o" / "manifest.json").read_text())["live"] is True
    # poverty's live source (StatBank) with --offline and no snapshot: an error, nothing written
    poverty = write(tmp_path, claim("p", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 1 }',
                                    "poverty", 'where = { geo = "DK", age = "TOT", unit = "persons" }'), name="p.toml")
    res = run("build", poverty, "--out", tmp_path / "p", "--live", "--offline", "--data-dir", tmp_path / "data")
    assert res.exit_code != 0 and res.output.startswith("Error: ") and "Traceback" not in res.output
    assert not (tmp_path / "p").exists()


def test_figure_vintage_report_draws_the_data_as_published_then(tmp_path):
    fig = """
[[figure]]
name = "deaths-then"
kind = "timeseries"
indicator = "drug-deaths"
where = { register = "POLICE", cause = "TOT", unit = "deaths" }
vintage = "report"
"""
    recipe = write(tmp_path, fig)  # report date 2021-11 → data certainly public by 2021-11-30
    res = run("build", recipe, "--out", tmp_path / "o")
    assert res.exit_code == 0, res.output
    used = json.loads((tmp_path / "o" / "manifest.json").read_text())["inputs"]["drug-deaths"]["vintages_used"]
    assert "sst-2021" in used and "sst-2023-11" not in used  # 2021–2022 came out in Nov 2023
    assert "rigspolitiet-dr-2017" not in used  # the first 2016 figure, superseded by sst-2020 by then


@pytest.mark.parametrize("command", [["build"], ["verify"], ["recipe", "check"]])
def test_commands_have_help_with_examples_and_docs(command):
    res = run(*command, "--help")
    assert res.exit_code == 0 and "Example:" in res.output
    docs = (ROOT / "docs" / "build.md").read_text()
    assert f"udsattestat {' '.join(command)} RECIPE" in docs


def test_bad_output_directory_names(tmp_path, monkeypatch):
    recipe = write(tmp_path, FIGURE + HOLDING)
    monkeypatch.chdir(tmp_path)
    for bad in (".", ".."):
        res = run("build", recipe, "--out", bad)
        assert res.exit_code == 1 and "give the build its own directory" in res.output


def test_recipe_text_is_escaped_on_the_page(tmp_path):
    body = FIGURE.replace('title = "Homeless people"', 'title = "<b>x</b>"') + claim(
        "xss", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 6000 }').replace(
        'quote = "a sentence"', 'quote = "<script>alert(1)</script> & co"') + claim(
        "nc", 'not_comparable = "a <different> series"')
    recipe = write(tmp_path, body)
    assert run("build", recipe, "--out", tmp_path / "o").exit_code == 0
    html = (tmp_path / "o" / "index.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "a &lt;different&gt; series" in html
    md = (tmp_path / "o" / "claims.md").read_text()
    # claims.md is grouped by verdict; recipe text is text there too (an entity, never a tag)
    assert "### s. 7: **kan ikke sammenlignes** <a id=\"nc\"></a>" in md and "— a &lt;different&gt; series" in md
    assert "<script>" not in md and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in md


@pytest.mark.parametrize(("size", "usable"), [("[1.5, 4]", False), ("[2, 31]", False), ("[true, 4]", False),
                                             ('["6", "4"]', False), ("[2, 4.2]", True), ("[30, 2]", True)])
def test_recipe_check_accepts_exactly_the_sizes_build_draws(tmp_path, size, usable):
    recipe = write(tmp_path, FIGURE + f"options = {{ size = {size} }}\n" + HOLDING)
    checked, built = run("recipe", "check", recipe), run("build", recipe, "--out", tmp_path / "o")
    if usable:
        assert (checked.exit_code, built.exit_code) == (0, 0), checked.output + built.output
    else:
        assert checked.exit_code == built.exit_code == 2
        assert "options.size: must be [width, height] in inches, each 2–30" in checked.output
        assert checked.output == built.output and "--size" not in built.output


def test_each_table_selected_and_laid_out_once_in_the_build_language(tmp_path, monkeypatch):
    """Validation selects the rows and lays the table out in --lang; the build writes every
    format and the page from that one layout (no dry run, no second selection)."""
    from udsattestat import selection, tables

    calls = {"grid": [], "where": 0}
    build_grid, apply_where = tables.build_grid, selection.apply_where

    def counting_grid(*args, **kwargs):
        calls["grid"].append(kwargs["lang"])
        return build_grid(*args, **kwargs)

    def counting_where(*args, **kwargs):
        calls["where"] += 1
        return apply_where(*args, **kwargs)

    monkeypatch.setattr(tables, "build_grid", counting_grid)
    monkeypatch.setattr(selection, "apply_where", counting_where)
    recipe = write(tmp_path, FIGURE + TABLE)  # a Danish recipe, built in English
    res = run("build", recipe, "--out", tmp_path / "o", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert calls == {"grid": ["en"], "where": 2}  # one table laid out, one selection per figure and table
    assert "<th>Period</th>" in (tmp_path / "o" / "index.html").read_text()
    assert (tmp_path / "o" / "counts.md").read_text().startswith("**Homeless")
