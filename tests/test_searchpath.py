"""Your datasets beside the bundle: ./datasets, $UDSATTESTAT_DATASETS_PATH or --datasets DIR
are searched before the bundle; a clash is a warning naming both; `list` says where each
indicator comes from; a recipe finds the datasets/ folder beside it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschemas import checked

from udsattestat.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def own_dataset(folder: Path, new_id: str, *, like: str = "homelessness", title: str | None = None) -> Path:
    """A copy of bundled dataset ``like`` under ``folder`` with id ``new_id`` (and its English title)."""
    target = folder / new_id
    shutil.copytree(ROOT / "datasets" / like, target)
    meta = target / "dataset.toml"
    text = meta.read_text("utf-8").replace(f'id = "{like}"', f'id = "{new_id}"', 1)
    if title:
        lines = text.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("title = "))
        lines[at] = f'title = {{ da = "{title}", en = "{title}" }}'
        text = "\n".join(lines) + "\n"
    meta.write_text(text, "utf-8")
    return target


def listed(*args) -> dict[str, dict]:
    res = run(*args, "list", "--json")
    assert res.exit_code == 0, res.output
    start = res.output.index("{")  # a clash warning may come first (stderr is mixed in)
    return {r["id"]: r for r in checked("list", res.output[start:])["indicators"]}


def test_project_datasets_folder_comes_before_the_bundle(tmp_path, monkeypatch):
    own_dataset(tmp_path / "datasets", "shelter-users")
    monkeypatch.chdir(tmp_path)
    rows = listed()
    assert rows["shelter-users"]["from"] == "./datasets"
    assert rows["homelessness"]["from"] == "bundle"
    res = run("show", "shelter-users", "--lang", "en", "--where", "situation=TOT", "--where", "age=TOT")
    assert res.exit_code == 0 and "Homeless people in Denmark" in res.output
    res = run("list", "--lang", "en")
    line = next(line for line in res.output.splitlines() if line.startswith("shelter-users"))
    assert "./datasets" in line


def test_a_clash_is_a_warning_naming_both_and_the_first_is_used(tmp_path, monkeypatch):
    own_dataset(tmp_path / "datasets", "neet", like="neet", title="NEET, my own")
    monkeypatch.chdir(tmp_path)
    res = run("show", "neet", "--lang", "en")
    assert res.exit_code == 0, res.output
    warning = next(line for line in res.output.splitlines() if line.startswith("Warning:"))
    assert "'neet' is in ./datasets/neet and in the bundle (" in warning and "using ./datasets/neet" in warning
    assert "NEET, my own" in res.output
    assert res.output.count("Warning:") == 1  # once per run, however often the path is searched
    # the same files in both places change nothing: no warning
    shutil.rmtree(tmp_path / "datasets" / "neet")
    shutil.copytree(ROOT / "datasets" / "neet", tmp_path / "datasets" / "neet")
    assert "Warning" not in run("show", "neet").output


def test_env_path_and_option_order(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    own_dataset(a, "mine", title="from a")
    own_dataset(b, "mine", title="from b")
    own_dataset(b, "only-b")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("UDSATTESTAT_DATASETS_PATH", f"{a}:{b}")
    rows = listed()
    assert rows["mine"]["from"] == str(a) and rows["mine"]["title"] == "from a"
    assert rows["only-b"]["from"] == str(b)
    # --datasets replaces the environment's folders
    rows = listed("--datasets", b)
    assert rows["mine"]["title"] == "from b" and rows["mine"]["folder"] == str(b / "mine")
    res = run("--datasets", tmp_path / "nowhere", "list")
    assert res.exit_code != 0 and "--datasets names no folder" in res.output
    monkeypatch.setenv("UDSATTESTAT_DATASETS_PATH", str(tmp_path / "nowhere"))
    res = run("list")
    assert res.exit_code != 0 and "$UDSATTESTAT_DATASETS_PATH names no folder" in res.output


def test_the_list_cache_follows_the_search_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "later" not in listed()
    own_dataset(tmp_path / "datasets", "later")
    assert listed()["later"]["from"] == "./datasets"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert "later" not in listed()


def test_bundle_override_still_replaces_the_bundle(tmp_path, monkeypatch, datasets_copy):
    """$UDSATTESTAT_DATASETS_DIR (the tests' copy) is the bundle; ./datasets is then not read."""
    own_dataset(tmp_path / "work" / "datasets", "ignored")
    monkeypatch.chdir(tmp_path / "work")
    rows = listed()
    assert "ignored" not in rows and rows["homelessness"]["folder"] == str(datasets_copy / "homelessness")


def test_a_recipe_finds_the_datasets_beside_it(tmp_path, monkeypatch):
    project = tmp_path / "project"
    own_dataset(project / "datasets", "shelter-users")
    recipe = (ROOT / "recipes" / "homelessness-brief.toml").read_text("utf-8")
    (project / "brief.toml").write_text(recipe.replace('indicator = "homelessness"', 'indicator = "shelter-users"'),
                                        "utf-8")
    monkeypatch.chdir(tmp_path)  # not the project: the recipe's own folder is what counts
    res = run("recipe", "check", project / "brief.toml")
    assert res.exit_code == 0, res.output
    elsewhere = tmp_path / "other.toml"
    elsewhere.write_text((project / "brief.toml").read_text("utf-8"), "utf-8")
    res = run("recipe", "check", elsewhere)
    assert res.exit_code != 0 and "shelter-users" in res.output


@pytest.mark.parametrize("folder", ["datasets", "my-data"])
def test_dataset_check_without_folders_checks_the_whole_path(tmp_path, monkeypatch, folder):
    own_dataset(tmp_path / folder, "mine")
    monkeypatch.chdir(tmp_path)
    res = run("--datasets", tmp_path / folder, "dataset", "check")
    assert res.exit_code == 0, res.output
    assert f"ok    {tmp_path / folder / 'mine'}:" in res.output and "homelessness:" in res.output


def test_hints_name_a_command_that_works(statbank, tmp_path, monkeypatch):
    """The live-only hint is the user's own command with --live; after a live fetch, the same
    command with --live --offline reads the kept snapshot without the network."""
    statbank.tableinfo("FOLK1A", "da")
    statbank.tableinfo("FOLK1A", "en")
    monkeypatch.chdir(tmp_path)
    assert run("dataset", "new", "folk-areas", "--statbank", "FOLK1A", "--keep", "OMRÅDE").exit_code == 0
    chart = ["chart", "folk-areas", "--where", "geo=000,101", "--series", "geo", "--out", "folk area.svg"]
    res = run(*chart)
    assert res.exit_code == 2
    assert res.output.strip().endswith(
        "read it live from statbank:FOLK1A: udsattestat chart folk-areas --where geo=000,101 --series geo "
        "--out 'folk area.svg' --live (add --offline to replay the last live read without the network)")
    statbank.data("folk1a_data_da.csv")
    assert run("fetch", "folk-areas", "--live").exit_code == 0
    statbank.server.clear()  # the server is gone: only the kept snapshot can answer
    res = run(*chart, "--live", "--offline")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "folk area.svg").is_file()
