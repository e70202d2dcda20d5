"""Incremental builds: unchanged figures and tables are reused byte for byte; a changed
dataset redraws only what uses it, and the result equals a fresh build's bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from udsattestat.errors import UdsatError
from udsattestat.recipes import build

try:  # tests/ may or may not be a package
    from .recipe_helpers import DRUG_WHERE, HOMELESS_WHERE, write
except ImportError:
    from recipe_helpers import DRUG_WHERE, HOMELESS_WHERE, write  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent

TWO_INDICATORS = f"""
[[figure]]
name = "homeless"
kind = "timeseries"
indicator = "homelessness"
{HOMELESS_WHERE}

[[figure]]
name = "drugs"
kind = "timeseries"
indicator = "drug-deaths"
{DRUG_WHERE}
formats = ["svg"]

[[table]]
name = "drug-table"
indicator = "drug-deaths"
{DRUG_WHERE}
formats = ["csv", "md"]

[[table]]
name = "homeless-table"
indicator = "homelessness"
{HOMELESS_WHERE}
"""


def snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


@pytest.fixture
def datasets(tmp_path, monkeypatch):
    """A private copy of the bundled datasets, so a test may change one."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy)
    monkeypatch.setenv("UDSATTESTAT_DATASETS_DIR", str(copy))
    return copy


def change_police_2019(datasets: Path) -> None:
    """Bump the latest police count for 2019 by one (a revision of one number)."""
    path = datasets / "drug-deaths" / "values.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith("2019,DK,POLICE,TOT,")]
    assert hits, "the police 2019 total is in the bundle"
    cells = lines[hits[-1]].split(",")
    cells[4] = str(int(float(cells[4])) + 1)
    lines[hits[-1]] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")


def test_no_change_rebuild_reuses_everything_byte_for_byte(tmp_path, datasets):
    recipe = write(tmp_path, TWO_INDICATORS)
    out = tmp_path / "out"
    first = build(recipe, out)
    assert sorted(first.drawn) == ["drug-table", "drugs", "homeless", "homeless-table"] and first.reused == []
    before = snapshot(out)
    again = build(recipe, out)
    assert again.drawn == [] and sorted(again.reused) == sorted(first.drawn)
    assert not again.changed and snapshot(out) == before


def test_changed_dataset_redraws_only_what_uses_it(tmp_path, datasets):
    recipe = write(tmp_path, TWO_INDICATORS)
    out = tmp_path / "out"
    build(recipe, out)
    before = snapshot(out)
    change_police_2019(datasets)
    result = build(recipe, out)
    assert sorted(result.drawn) == ["drug-table", "drugs"]
    assert sorted(result.reused) == ["homeless", "homeless-table"]
    after = snapshot(out)
    for name in ("homeless.svg", "homeless.png", "homeless.csv", "homeless-table.xlsx", "homeless-table.md"):
        assert after[name] == before[name]
    assert after["drugs.csv"] != before["drugs.csv"] and after["drug-table.md"] != before["drug-table.md"]
    # the incremental result is exactly what a fresh build gives
    fresh = build(recipe, tmp_path / "fresh")
    assert sorted(fresh.drawn) == sorted(result.drawn + result.reused)
    assert snapshot(tmp_path / "fresh") == after


def test_a_tampered_previous_file_is_drawn_again(tmp_path, datasets):
    recipe = write(tmp_path, TWO_INDICATORS)
    out = tmp_path / "out"
    build(recipe, out)
    good = (out / "homeless.png").read_bytes()
    (out / "homeless.png").write_bytes(good[:100])  # damaged by hand
    result = build(recipe, out)
    assert "homeless" in result.drawn and (out / "homeless.png").read_bytes() == good


def test_recipe_chooses_formats(tmp_path, datasets):
    recipe = write(tmp_path, TWO_INDICATORS)
    out = tmp_path / "out"
    build(recipe, out)
    names = {p.name for p in out.iterdir()}
    assert {"drugs.svg", "drugs.csv", "drug-table.csv", "drug-table.md"} <= names
    assert not {"drugs.png", "drug-table.xlsx"} & names
    assert {"homeless.png", "homeless-table.xlsx"} <= names  # the defaults


@pytest.mark.parametrize("formats, message", [
    ('["png"]', "formats: must include 'svg'"),
    ('["svg", "gif"]', "formats: 'gif' is not one of svg, png, pdf"),
    ('["svg", "svg"]', "formats: lists a format twice"),
    ('"svg"', "formats: expected a list"),
])
def test_bad_formats_are_one_line_errors(tmp_path, formats, message):
    recipe = write(tmp_path, f"""
[[figure]]
name = "homeless"
kind = "timeseries"
indicator = "homelessness"
{HOMELESS_WHERE}
formats = {formats}
""")
    with pytest.raises(UdsatError, match=message.replace("(", r"\(").replace("[", r"\[")):
        build(recipe, tmp_path / "out")
