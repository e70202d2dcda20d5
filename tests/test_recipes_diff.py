"""udsattestat diff: two real builds, one with a revised dataset; and build --compare."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschemas import checked

from udsattestat.cli import main
from udsattestat.recipes import build
from udsattestat.recipes.diff import diff_builds, markdown, row_diff

try:  # tests/ may or may not be a package
    from .recipe_helpers import DRUG_WHERE, HOMELESS_WHERE, claim, write
except ImportError:
    from recipe_helpers import DRUG_WHERE, HOMELESS_WHERE, claim, write  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent

RECIPE = f"""
[[figure]]
name = "drugs"
kind = "timeseries"
indicator = "drug-deaths"
{DRUG_WHERE}

[[figure]]
name = "homeless"
kind = "timeseries"
indicator = "homelessness"
{HOMELESS_WHERE}

[[table]]
name = "drug-table"
indicator = "drug-deaths"
{DRUG_WHERE}
""" + claim("stable-256-279", 'measure = "range"\nsince = "2016"\nuntil = "2020"\ncheck = { op = "==", value = [256, 279] }',
            indicator="drug-deaths", where=DRUG_WHERE)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(old, new, recipe): the same recipe built before and after the police count for 2020
    is revised from 256 to 250 in a private copy of the datasets."""
    root = tmp_path_factory.mktemp("diff")
    datasets = root / "datasets"
    shutil.copytree(ROOT / "datasets", datasets)
    recipe = write(root, RECIPE)
    mp = pytest.MonkeyPatch()
    mp.setenv("UDSATTESTAT_DATASETS_DIR", str(datasets))
    try:
        build(recipe, root / "old")
        values = datasets / "drug-deaths" / "values.csv"
        text = values.read_text(encoding="utf-8")
        assert "\n2020,DK,POLICE,TOT,256," in text
        values.write_text(text.replace("\n2020,DK,POLICE,TOT,256,", "\n2020,DK,POLICE,TOT,250,"), encoding="utf-8")
        build(recipe, root / "new")
    finally:
        mp.undo()
    return root / "old", root / "new", recipe


def test_claim_figure_and_table_changes_are_named(builds):
    old, new, _ = builds
    d = diff_builds(old, new)
    assert d.changed
    [c] = d.claims
    assert c["id"] == "stable-256-279" and c["verdict"] == {"old": "holds", "new": "fails"}
    latest = c["views"]["latest"]
    assert latest["old"]["measure"] == [256.0, 279.0] and latest["new"]["measure"] == [250.0, 279.0]
    [fig] = d.figures
    assert fig["name"] == "drugs" and fig["rows_changed"]
    [row] = fig["rows"]["changed"]
    assert row["key"]["period"] == "2020" and row["fields"]["value"] == {"old": "256.0", "new": "250.0"}
    assert d.tables == [{"name": "drug-table", "files": ["drug-table-excel.csv", "drug-table.csv", "drug-table.md", "drug-table.xlsx"]}]
    assert d.added == d.removed == []
    assert "drug-deaths" in d.inputs and "homelessness" not in d.inputs


def test_markdown_for_a_pull_request(builds):
    old, new, _ = builds
    res = run("diff", old, new)
    assert res.exit_code == 4, res.output  # changed (docs/cli.md)
    out = res.output
    assert "| `stable-256-279` | 7 | holds → **fails** | 256–279 → 250–279 (holds → fails)<br>2020: 256 (sst-2021) → 250 (sst-2021)" in out
    assert "- `drugs`: 1 row(s) changed, 0 added, 0 removed" in out
    assert "period=2020, geo=DK, register=POLICE, cause=TOT, unit=deaths" in out and "value: 256 → 250" in out
    assert "- `drug-table`: drug-table-excel.csv, drug-table.csv, drug-table.md, drug-table.xlsx" in out
    assert "homeless" not in out.replace("homelessness", "")


def test_json_and_side_by_side_page(builds, tmp_path):
    old, new, _ = builds
    page = tmp_path / "diff.html"
    res = run("diff", old, new, "--json", "--html", page)
    assert res.exit_code == 4
    doc = checked("diff", res.output)
    assert doc["changed"] is True and doc["claims"][0]["id"] == "stable-256-279"
    assert doc["files"] == {"added": [], "removed": []}
    html = page.read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 2  # old and new side by side
    assert "Figure <code>drugs</code>" in html and "<td>256.0</td><td>250.0</td>" in html
    assert "<script" not in html and "default-src 'none'" in html


def test_same_build_exits_0_and_bad_folder_exits_2(builds, tmp_path):
    old, _, _ = builds
    res = run("diff", old, old)
    assert res.exit_code == 0 and "No change" in res.output
    (tmp_path / "empty").mkdir()
    res = run("diff", old, tmp_path / "empty")
    assert res.exit_code == 2 and "has no manifest.json; it is not a udsattestat build" in res.output
    assert "Traceback" not in res.output


def test_files_added_and_removed(builds, tmp_path):
    old, _, recipe = builds
    smaller = write(tmp_path, RECIPE.replace('name = "homeless"', 'name = "homeless-renamed"'))
    build(smaller, tmp_path / "renamed")
    d = diff_builds(old, tmp_path / "renamed")
    assert {"homeless-renamed.svg", "homeless-renamed.png", "homeless-renamed.csv"} <= set(d.added)
    assert {"homeless.svg", "homeless.png", "homeless.csv"} <= set(d.removed)
    assert {f["name"]: f["change"] for f in d.figures} == {"homeless": "removed", "homeless-renamed": "added"}
    assert "- added `homeless-renamed.svg`" in markdown(d)


def test_build_compare_prints_the_diff_against_the_previous_build(builds, tmp_path):
    old, _, recipe = builds
    out = tmp_path / "site"
    shutil.copytree(old, out)
    body = recipe.read_text().replace("value = [256, 279]", "value = [256, 280]")
    edited = write(tmp_path, body[body.index("[[figure]]"):])
    res = run("build", edited, "--out", out, "--compare", out, "--allow-failing-claims")
    assert res.exit_code == 0, res.output
    assert "## udsattestat diff:" in res.output
    assert (f"## udsattestat diff: `{out}` → `{out}`\n\nChanged: **1** claim(s), **0** figure(s)") in res.output
    assert ("| `stable-256-279` | 7 | holds → **fails**<br>check: == 256–279 → == 256–280 | "
            "256–279 (holds → fails) | 256–279 (holds → fails) |") in res.output
    assert res.output.index("Åbn ") < res.output.index("## udsattestat diff")


def test_row_diff_keys_by_release_when_a_figure_shows_several(tmp_path):
    head = "indicator,period,geo,unit,value,vintage,source\n"
    (tmp_path / "a.csv").write_text(head + "x,2019,DK,persons,265.0,v1,s\nx,2019,DK,persons,268.0,v2,s\n")
    (tmp_path / "b.csv").write_text(head + "x,2019,DK,persons,265.0,v1,s\nx,2019,DK,persons,269.0,v2,s\n"
                                    "x,2020,DK,persons,256.0,v2,s\n")
    d = row_diff(tmp_path / "a.csv", tmp_path / "b.csv")
    assert d["key"] == ["indicator", "period", "geo", "unit", "vintage"]
    assert [c["fields"] for c in d["changed"]] == [{"value": {"old": "268.0", "new": "269.0"}}]
    assert [r["period"] for r in d["added"]] == ["2020"] and d["removed"] == []


def test_a_build_made_before_the_verdicts_were_respelt_is_not_a_change(builds, tmp_path):
    """claims.json once wrote "no data"/"not comparable"; a diff against such a published
    build must not report every such claim as changed."""
    import json

    old, _, _ = builds
    former, now = tmp_path / "former", tmp_path / "now"
    for folder, verdict in ((former, "no data"), (now, "no-data")):
        shutil.copytree(old, folder)
        doc = json.loads((folder / "claims.json").read_text("utf-8"))
        doc["claims"][0]["verdict"] = verdict
        doc["claims"][0]["latest"]["status"] = verdict
        (folder / "claims.json").write_text(json.dumps(doc), "utf-8")
    assert not diff_builds(former, now).changed
    doc = json.loads((now / "claims.json").read_text("utf-8"))
    doc["claims"][0]["verdict"] = "holds"
    (now / "claims.json").write_text(json.dumps(doc), "utf-8")
    assert diff_builds(former, now).claims[0]["verdict"] == {"old": "no-data", "new": "holds"}
