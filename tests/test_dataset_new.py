"""``dataset new ID --statbank TABLE``: a draft dataset.toml from the table's metadata that
``dataset check`` accepts, found from ./datasets, fetched live and charted — the newcomer's path."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from udsattestat.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def folk1a(statbank, tmp_path, monkeypatch):
    statbank.tableinfo("FOLK1A", "da")
    statbank.tableinfo("FOLK1A", "en")
    monkeypatch.chdir(tmp_path)
    return statbank


def test_draft_has_every_variable_code_and_label_in_both_languages(folk1a, tmp_path):
    res = run("dataset", "new", "folk-all", "--statbank", "folk1a")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("datasets/folk-all: a draft of ")
    folder = tmp_path / "datasets" / "folk-all"
    doc = tomllib.loads((folder / "dataset.toml").read_text("utf-8"))
    assert doc["title"] == {"da": "Befolkningen den 1. i kvartalet", "en": "Population on the first day of the quarter"}
    assert doc["geo"]["000"] == {"da": "Hele landet", "en": "All Denmark"}
    assert doc["dimensions"]["sex"]["label"] == {"da": "Køn", "en": "Sex"}
    assert doc["dimensions"]["sex"]["codes"]["2"] == {"da": "Kvinder", "en": "Women"}
    assert set(doc["dimensions"]) == {"sex", "age", "marital_status"}
    assert doc["statbank"]["dimensions"]["marital_status"] == {"variable": "CIVILSTAND"}
    assert doc["live_only"] is True and doc["unit"] == "number"
    assert (folder / "values.csv").read_text("utf-8").startswith("period,geo,sex,age,marital_status,value,")
    check = run("dataset", "check", folder)
    assert check.exit_code == 0 and check.output.startswith(f"ok    {folder}: 0 rows")
    # it is on the search path at once, and never overwritten
    assert "folk-all" in run("list").output
    again = run("dataset", "new", "folk-all", "--statbank", "FOLK1A")
    assert again.exit_code != 0 and "exists; give another id" in again.output


def test_from_draft_to_chart(folk1a, tmp_path):
    """--keep OMRÅDE: the other variables are summed away by StatBank; the draft fetches and
    charts with no edit."""
    res = run("dataset", "new", "folk-areas", "--statbank", "FOLK1A", "--keep", "område")
    assert res.exit_code == 0, res.output
    text = (tmp_path / "datasets" / "folk-areas" / "dataset.toml").read_text("utf-8")
    assert "sum away (not asked for, so the table's totals): KØN (køn), ALDER (alder)" in text
    assert "\n[dimensions." not in text
    folk1a.data("folk1a_data_da.csv")
    res = run("fetch", "folk-areas", "--live")
    assert res.exit_code == 0, res.output
    asked = folk1a.data_requests()[-1]
    assert [v["code"] for v in asked["variables"]] == ["OMRÅDE", "Tid"]
    res = run("chart", "folk-areas", "--live", "--offline", "--where", "geo=000,101", "--series", "geo",
              "--out", tmp_path / "folk.svg")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "folk.svg").read_text("utf-8").startswith("<?xml")


def test_an_id_taken_by_the_bundle_is_a_warning(folk1a, tmp_path):
    res = run("dataset", "new", "population", "--statbank", "FOLK1A", "--keep", "OMRÅDE")
    assert res.exit_code == 0, res.output
    assert "Warning: " in res.output and "has the id 'population' too; the first on the search path" in res.output


def test_bad_input_is_one_line(folk1a, tmp_path):
    res = run("dataset", "new", "Folk Areas", "--statbank", "FOLK1A")
    assert res.exit_code != 0 and "use lowercase letters, digits and '-'" in res.output
    res = run("dataset", "new", "folk-x", "--statbank", "FOLK1A", "--keep", "NOPE")
    assert res.exit_code != 0 and "--keep NOPE: FOLK1A has no such variable; it has OMRÅDE, KØN" in res.output
    assert "Traceback" not in res.output
