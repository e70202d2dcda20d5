"""`udsattestat list` through the catalogue cache: the same rows as reading every dataset, a
changed file read again (and checked as strictly), a damaged or unwritable cache ignored,
nothing written into the current directory. (Its speed is measured in benchmarks/startup.py.)"""

from __future__ import annotations

import importlib
import json
import os
import time

import pytest
from jsonschemas import checked

# the module (``udsattestat.catalog`` as an attribute is the API function of that name)
catalog = importlib.import_module("udsattestat.catalog")

OLD = time.time() - 3600  # an hour ago: files old enough for their listing to be cached


def age(root):
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))


def listed(runner, cli, lang="en"):
    res = runner.invoke(cli, ["list", "--json", "--lang", lang])
    assert res.exit_code == 0, res.output
    return {row["id"]: row for row in checked("list", res.output)["indicators"]}


def cache_files(cache_root):
    return sorted((cache_root / "catalog").glob("*.json")) if (cache_root / "catalog").is_dir() else []


def refuse_reading(monkeypatch):
    """From here on, reading a dataset fails the test: what list shows must come from the cache."""
    def boom(root, ind):
        raise AssertionError(f"{ind} was read although its files did not change")

    monkeypatch.setattr(catalog, "summarise", boom)


def test_the_cache_gives_what_reading_every_dataset_gives(runner, cli, datasets_copy, cache_root, monkeypatch):
    age(datasets_copy)
    fresh = {lang: listed(runner, cli, lang) for lang in ("da", "en")}
    assert len(cache_files(cache_root)) == 1
    refuse_reading(monkeypatch)
    for lang in ("da", "en"):
        assert listed(runner, cli, lang) == fresh[lang]
    plain = runner.invoke(cli, ["list"])
    assert plain.exit_code == 0 and "drug-deaths" in plain.output and "Narkotikarelaterede dødsfald" in plain.output


def test_a_changed_dataset_toml_is_read_again(runner, cli, datasets_copy, cache_root, monkeypatch):
    age(datasets_copy)
    assert listed(runner, cli)["drug-deaths"]["title"] == "Drug-related deaths"
    path = datasets_copy / "drug-deaths" / "dataset.toml"
    # same size (one letter for one letter) and an mtime one second later: still seen
    path.write_text(path.read_text("utf-8").replace('en = "Drug-related deaths"', 'en = "Drug-related Deaths"'), "utf-8")
    os.utime(path, (OLD + 1, OLD + 1))
    read = []
    real = catalog.summarise
    monkeypatch.setattr(catalog, "summarise", lambda root, ind: read.append(ind) or real(root, ind))
    rows = listed(runner, cli)
    assert rows["drug-deaths"]["title"] == "Drug-related Deaths"
    assert read == ["drug-deaths"]  # only the changed one


def test_a_changed_values_csv_is_read_again(runner, cli, datasets_copy):
    age(datasets_copy)
    before = listed(runner, cli)["drug-deaths"]
    path = datasets_copy / "drug-deaths" / "values.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), "utf-8")  # one row fewer
    assert listed(runner, cli)["drug-deaths"]["rows"] == before["rows"] - 1


def test_a_broken_file_is_the_same_error_with_a_warm_cache(runner, cli, datasets_copy):
    age(datasets_copy)
    listed(runner, cli)
    path = datasets_copy / "poverty" / "values.csv"
    path.write_text(path.read_text().replace("2020,DK,TOT,241700", "2020,DK,TOT,24l700"))
    res = runner.invoke(cli, ["list"])
    assert res.exit_code == 1
    assert res.output.startswith("Error: ") and "poverty/values.csv, line 9: column 'value'" in res.output


def test_datasets_added_and_removed_are_listed_as_they_are(runner, cli, datasets_copy):
    import shutil

    age(datasets_copy)
    listed(runner, cli)
    shutil.rmtree(datasets_copy / "neet")
    assert "neet" not in listed(runner, cli)


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[]", b'{"format": 1, "datasets": {"neet": 7}}',
                                    b'{"format": 1, "root": 5, "readers": [], "datasets": []}', b"\xff\xfe\x00"])
def test_a_damaged_cache_file_is_ignored_and_replaced(runner, cli, datasets_copy, cache_root, damage):
    age(datasets_copy)
    good = listed(runner, cli)
    [path] = cache_files(cache_root)
    path.write_bytes(damage)
    assert listed(runner, cli) == good
    assert json.loads(path.read_bytes())["format"] == catalog.CACHE_FORMAT  # written again, whole


def test_a_damaged_entry_with_the_right_stamp_is_not_trusted_blindly(runner, cli, datasets_copy, cache_root):
    age(datasets_copy)
    good = listed(runner, cli)
    [path] = cache_files(cache_root)
    doc = json.loads(path.read_bytes())
    doc["datasets"]["neet"]["rows"] = {"da": "x"}
    path.write_text(json.dumps(doc))
    assert listed(runner, cli) == good


def test_an_unwritable_cache_is_no_error(runner, cli, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("UDSATTESTAT_CACHE_DIR", str(blocker / "cache"))
    res = runner.invoke(cli, ["list"])
    assert res.exit_code == 0 and "drug-deaths" in res.output and "Error" not in res.output


def test_list_writes_nothing_into_the_current_directory(runner, cli, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setenv("UDSATTESTAT_CACHE_DIR", "")  # the platform's user cache dir
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for _ in range(2):
        assert runner.invoke(cli, ["list"]).exit_code == 0
    assert list(here.iterdir()) == []


@pytest.mark.parametrize("age_ns, cached", [(catalog.RACY_NS - 1, False), (catalog.RACY_NS, True)])
def test_files_changed_just_now_are_not_cached(runner, cli, datasets_copy, cache_root, monkeypatch, age_ns, cached):
    # A second edit within the file system's timestamp tick could keep mtime and size, so a
    # file younger than RACY_NS is read again next time. The clock is the test's: the files
    # are exactly age_ns old when list looks, however long the listing takes.
    changed = int(OLD) * 10**9
    for path in datasets_copy.rglob("*"):
        os.utime(path, ns=(changed, changed))
    monkeypatch.setattr(time, "time_ns", lambda: changed + age_ns)
    listed(runner, cli)
    [path] = cache_files(cache_root)
    stamps = [entry["stamp"] for entry in json.loads(path.read_bytes())["datasets"].values()]
    assert stamps and all((stamp is not None) is cached for stamp in stamps)


@pytest.mark.parametrize("env", [
    {"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"},
    {"XDG_CACHE_HOME": "", "HOME": "/home/u"},
    {"XDG_CACHE_HOME": "relative/cache", "HOME": "/home/u/"},
    {"HOME": "/home/u"},
])
def test_the_cache_folder_is_the_one_platformdirs_names(monkeypatch, env):
    from udsattestat.cachedir import cache_root, platform_cache_root

    monkeypatch.delenv("UDSATTESTAT_CACHE_DIR", raising=False)
    for name in ("XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cache_root() == platform_cache_root()
