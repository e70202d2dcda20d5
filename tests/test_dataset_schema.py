"""The dataset.toml schema: every bundled dataset passes; every mistake names file, line and key."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschemas import checked

from udsattestat.bundle import check_folder, datasets_dir
from udsattestat.dataset_schema import DATASET, check, markdown
from udsattestat.errors import DatasetFileError


def test_every_bundled_dataset_passes_dataset_check(runner, cli):
    res = runner.invoke(cli, ["dataset", "check", "--json"])
    assert res.exit_code == 0, res.output
    results = checked("dataset-check", res.output)["folders"]
    bundled = sorted(p.name for p in datasets_dir().iterdir() if (p / "dataset.toml").is_file())
    assert sorted(r["id"] for r in results) == bundled and all(r["ok"] for r in results)


def _edit(folder, old, new):
    path = folder / "dataset.toml"
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text.replace(old, new, 1).splitlines()


def _line(lines, needle):
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ('variable = "ALDER"', 'varible = "ALDER"', "varible",
         "statbank.dimensions.age.varible: unknown key; did you mean 'variable'?"),
        ('frequency = "A"', 'frequncy = "A"', "frequncy", "frequncy: unknown key; did you mean 'frequency'?"),
        ('year = 2021', 'year = "2021"', 'year = "2021"', "sources.dst-nyt-33390.year: expected a whole number, found text"),
        ('hooks = ["nested-durations"]', 'hooks = ["nested-duration"]', "hooks =",
         "statbank.hooks: unknown hook 'nested-duration'; known: nested-durations"),
        ('percent = { code = "AND"', 'prcnt = { code = "AND"', "prcnt = ",
         "statbank.unit.codes.prcnt: unit 'prcnt' is not in [units] (persons, percent)"),
        ('en = "Children (0–17 years)"', 'en = ""', 'en = ""', "dimensions.age.codes.0017.en: must not be empty"),
        ('published = "2021"', 'published = "late 2021"', 'published = "late 2021"',
         "vintages.dst-nyt-33390.published: 'late 2021' does not have the expected form"),
        ('text = "alder|age"', 'text = "alder|(age"', 'text = "alder|(age"',
         "statbank.dimensions.age.text: 'alder|(age' is not a valid regular expression"),
    ],
)
def test_a_mistake_names_file_line_and_key(datasets_copy, runner, cli, old, new, needle, message):
    lines = _edit(datasets_copy / "poverty", old, new)
    res = runner.invoke(cli, ["dataset", "check", str(datasets_copy / "poverty")])
    assert res.exit_code == 1
    out = res.output.strip()
    assert len(out.splitlines()) == 1 and "Traceback" not in out
    assert f"poverty/dataset.toml, line {_line(lines, needle)}: {message}" in out
    # every command reads the dataset the same way
    res = runner.invoke(cli, ["show", "poverty"])
    assert res.exit_code == 1 and message in res.output


def test_missing_required_key_and_wrong_folder(datasets_copy):
    _edit(datasets_copy / "poverty", 'licence = { da', 'license = { da')
    with pytest.raises(DatasetFileError, match="license: unknown key; did you mean 'licence'"):
        check_folder(datasets_copy / "poverty")
    _edit(datasets_copy / "poverty", 'license = { da', 'licence = { da')
    (datasets_copy / "poverty").rename(datasets_copy / "poverty2")
    with pytest.raises(DatasetFileError, match="line 4: id: 'poverty' does not match the folder name 'poverty2'"):
        check_folder(datasets_copy / "poverty2")


def test_one_provider_per_dataset(datasets_copy):
    _edit(datasets_copy / "poverty", "[statbank]\n", '[eurostat]\ntable = "ilc_li02"\n\n[statbank]\n')
    with pytest.raises(DatasetFileError, match="eurostat: a dataset has one live provider"):
        check_folder(datasets_copy / "poverty")


def test_check_a_folder_that_is_not_one(runner, cli, tmp_path):
    res = runner.invoke(cli, ["dataset", "check", str(tmp_path / "nope")])
    assert res.exit_code == 1 and "not a directory" in res.output


NOT_KEYS = st.from_regex(r"[a-z][a-z_]{2,12}", fullmatch=True).filter(lambda k: k not in DATASET.keys)


@settings(max_examples=40, deadline=None)
@given(key=NOT_KEYS, at=st.integers(min_value=0, max_value=12))
def test_an_unknown_top_level_key_is_found_on_its_line(key, at):
    folder = datasets_dir() / "homelessness"
    text = (folder / "dataset.toml").read_text("utf-8")
    lines = text.splitlines()
    first_table = next(i for i, line in enumerate(lines) if line.startswith("["))
    at = min(at, first_table)
    lines.insert(at, f'{key} = "x"')
    new = "\n".join(lines)
    with pytest.raises(DatasetFileError) as err:
        check(tomllib.loads(new), new, folder / "dataset.toml", "homelessness")
    assert f"dataset.toml, line {at + 1}: {key}: unknown key" in str(err.value)


def test_the_schema_table_in_the_docs_is_the_schema():
    doc = (datasets_dir().parent / "docs" / "data-model.md").read_text("utf-8")
    start, end = "<!-- schema:start -->\n", "<!-- schema:end -->"
    assert start in doc and end in doc
    documented = doc[doc.index(start) + len(start):doc.index(end)]
    assert documented == markdown(), "regenerate: python -m udsattestat.dataset_schema"
    assert "`statbank.dimensions.*.variable`" in documented and "`code rule.text`" in documented


def test_every_dataset_reads_into_typed_records_that_keep_every_key():
    """What the commands read is typed (a Source, a Vintage, …), and nothing of the file is
    lost on the way: the records written back as TOML tables are the file."""
    from udsattestat.bundle import read_meta
    from udsattestat.dataset_schema import Dataset, Dimension, Source, Vintage
    from udsattestat.toml_schema import given as as_table

    for folder in sorted(p for p in datasets_dir().iterdir() if (p / "dataset.toml").is_file()):
        doc = read_meta(folder).doc
        assert isinstance(doc, Dataset)
        assert all(isinstance(s, Source) for s in doc.sources.values())
        assert all(isinstance(v, Vintage) for v in doc.vintages.values())
        assert all(isinstance(d, Dimension) for d in doc.dimensions.values())
        assert as_table(doc) == tomllib.loads((folder / "dataset.toml").read_text("utf-8")), folder.name


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8),
                       st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                                            max_size=3)))
def test_any_value_for_a_typed_key_is_read_or_one_error(value):
    """Whatever a source's year holds, the reader gives the typed record or one located error."""
    from udsattestat.bundle import meta_from_doc

    folder = datasets_dir() / "poverty"  # read, never written
    text = (folder / "dataset.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    source = next(iter(raw["sources"]))
    if value is None:
        raw["sources"][source].pop("year", None)
    else:
        raw["sources"][source]["year"] = value
    try:
        doc = meta_from_doc(folder, raw, text).doc
    except DatasetFileError as exc:
        assert f"sources.{source}.year: expected a whole number" in str(exc)
    else:
        assert doc.sources[source].year == value and (value is None or type(value) is int)
