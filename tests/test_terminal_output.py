"""Output for scripts: piped (not a terminal) nothing is padded, wrapped or cut with '…';
`list` shows unit and source as its help says; `show`, `build` and `verify` have --json."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from jsonschemas import checked

from udsattestat.cli import main

ROOT = Path(__file__).resolve().parent.parent
BRIEF = ROOT / "recipes" / "homelessness-brief.toml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_list_piped_is_one_line_per_indicator_with_unit_and_source():
    res = run("list", "--lang", "da")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert all(line == line.rstrip() for line in lines)  # no padding
    head = next(line for line in lines if line.startswith("id "))
    assert head.split() == ["id", "periods", "unit", "live", "source", "title"]
    listed = checked("list", run("list", "--json", "--lang", "da").output)["indicators"]
    for entry in listed:
        row = next(line for line in lines if line.startswith(entry["id"] + " "))
        # the whole title, unit and source on the indicator's own line: nothing wrapped or cut
        assert row.endswith(entry["title"]) and entry["unit"] in row and entry["credit"] in row, row
    assert "…" not in res.output
    help_text = run("list", "--help").output
    assert "unit" in help_text and "sources" in help_text


def test_show_piped_is_not_cut_and_has_json():
    res = run("show", "drug-deaths", "--lang", "da")
    assert res.exit_code == 0, res.output
    assert "…" not in res.output
    assert all(line == line.rstrip() for line in res.output.splitlines())
    assert "Narkotikarelaterede dødsfald" in res.output
    doc = checked("show", run("show", "drug-deaths", "--json", "--where", "unit=deaths").output)
    assert doc["indicator"] == "drug-deaths" and doc["source_line"].startswith("Kilde:")
    assert doc["rows"] and all(r["unit"] == "deaths" and isinstance(r["value"], float | int | None) for r in doc["rows"])
    assert all(isinstance(r["period_start"], str) for r in doc["rows"])  # ISO dates


def test_verify_and_build_json(tmp_path):
    res = run("verify", BRIEF, "--json")
    assert res.exit_code == 0, res.output
    doc = checked("claims", res.output)
    assert doc["verdicts"]["holds"] == len(doc["claims"]) == 4
    out = tmp_path / "brief"
    res = run("build", BRIEF, "--out", out, "--json")
    assert res.exit_code == 0, res.output
    doc = checked("build", res.output)
    assert doc["out"] == str(out) and doc["changed"] is True and doc["figures"] == 2
    assert sorted(doc["files"]) == sorted(p.name for p in out.iterdir())
    assert doc["verdicts"]["holds"] == 4 and len(doc["claims"]) == 4
    written = checked("claims", (out / "claims.json").read_text("utf-8"))  # the same document as verify --json
    assert written["claims"] == doc["claims"] and written["schema"] == "udsattestat/claims/1"
    again = checked("build", run("build", BRIEF, "--out", out, "--json").output)
    assert again["changed"] is False
