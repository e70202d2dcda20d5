"""The recipe format: shape checks, with errors that say where and what is valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import strategies as st
from reach import explore, require

from udsattestat.cli import main
from udsattestat.recipes.model import NAME_RE, RecipeError
from udsattestat.recipes.reader import load_recipe

try:  # tests/ may or may not be a package
    from .recipe_helpers import claim, write
except ImportError:
    from recipe_helpers import claim, write  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("recipe", ["forandringskraft-2021.toml", "homelessness-brief.toml"])
def test_shipped_recipes_load(recipe):
    r = load_recipe(ROOT / "recipes" / recipe)
    assert r.figures and r.tables and r.claims
    assert all(set(f.options.get("notes", {"da": [], "en": []})) == {"da", "en"} for f in r.figures)
    assert r.report.as_of.isoformat() in ("2021-11-30", "2024-10-31")


def test_seed_recipe_holds_every_claim_of_the_brief():
    r = load_recipe(ROOT / "recipes" / "forandringskraft-2021.toml")
    ids = {c.id for c in r.claims}
    # p. 7 and p. 21 facts named in the issue, each once
    for want in ("homelessness-2019-over-6000", "homelessness-2009-2019-knap-30-pct",
                 "homelessness-2009-2019-plus-1433", "poverty-2019-knap-250000", "poverty-2015-knap-200000",
                 "poverty-doubled-since-2000", "drug-deaths-2016-2020-256-279", "drug-deaths-2019-2020-small-fall"):
        assert want in ids
    doubled = next(c for c in r.claims if c.id == "poverty-doubled-since-2000")
    # tested on the three-year line the report cites, never on IFOR51
    assert doubled.indicator == "poverty-3yr" and doubled.measure == "ratio" and doubled.checks
    assert {f.kind for f in r.figures} >= {"definitions", "timeseries"}


def test_check_forms(tmp_path):
    path = write(tmp_path, claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = "between", low = 1, high = 2 }')
                 + claim("b", 'measure = "range"\nsince = "2009"\nuntil = "2019"\ncheck = { op = "==", value = [1, 2] }')
                 + claim("c", 'measure = "difference"\nfrom = 2009\nto = 2019\ncheck = [{ op = "<", value = 0 }, { op = ">=", value = -10 }]'))
    r = load_recipe(path)
    a, b, c = r.claims
    assert (a.checks[0].low, a.checks[0].high) == (1, 2)
    assert b.checks[0].value == [1, 2]
    assert [k.op for k in c.checks] == ["<", ">="]
    assert (c.from_period, c.to_period) == ("2009", "2019")  # integers read as periods


def test_malformed_toml_names_file_line_and_column(tmp_path):
    path = write(tmp_path, '\n[[claim]]\nid = "x"\nquote = \n')
    with pytest.raises(RecipeError) as exc:
        load_recipe(path)
    msg = str(exc.value)
    assert str(path) in msg and "line 9, column 9" in msg and "malformed TOML" in msg


@pytest.mark.parametrize(
    "body, expected",
    [
        ('\n[extra]\nx = 1\n', "[extra]: unknown key; known keys: report, figure, table, claim"),
        (claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 1 }\ncolour = "red"'),
         "[[claim]] #1 ('a'): colour: unknown key; known keys: id, quote, page"),
        (claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 1, slack = 2 }'),
         "check.slack: unknown key; known keys: op, value, tolerance, low, high"),
        (claim("a", 'measure = "average"\nperiod = "2019"\ncheck = { op = ">", value = 1 }'),
         "measure: 'average' is not one of value, difference"),
        (claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = "~", value = 1 }'),
         "check.op: '~' is not one of >, <, >=, <=, ==, between"),
        (claim("a", 'measure = "value"\nperiod = "2019"'), "missing key 'reads'"),
        (claim("a", 'measure = "difference"\nfrom = "2009"\ncheck = { op = ">", value = 1 }'),
         "measure 'difference' needs 'to'"),
        (claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 1, tolerance = 5 }'),
         "tolerance applies only to op '=='"),
        (claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = "between", low = 3, high = 1 }'),
         "low 3 is above high 1"),
        (claim("a", 'measure = "value"\nperiod = "20x9"\ncheck = { op = ">", value = 1 }'), "period"),
        (claim("a", 'measure = "range"\nsince = "2009"\nuntil = "2019"\ncheck = { op = ">", value = 1 }'),
         "measure 'range' is checked with op '=='"),
        (claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 1 }')
         + claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 1 }'), "[[claim]] #2 ('a'): id: 'a' is used twice; ids must be unique"),
        ('\n[[figure]]\nname = "f"\nkind = "timeseries"\nindicator = "poverty"\ncolor = "x"\n',
         "color: unknown key; known keys: name, kind, indicator"),
        ('\n[[figure]]\nname = "f"\nkind = "timeseries"\nindicator = "poverty"\noptions = { dpi = 300 }\n',
         "options.dpi: unknown key; known keys: series, highlight, base_period, notes, size"),
        ('\n[[figure]]\nname = "f"\nkind = "timeseries"\n', "give either indicator"),
        ('\n[figure]\nname = "f"\n', "write [[figure]]"),
        ('', "has no [[figure]], [[table]] or [[claim]]"),
    ],
)
def test_shape_errors(tmp_path, body, expected):
    path = write(tmp_path, body)
    with pytest.raises(RecipeError) as exc:
        load_recipe(path)
    assert expected in str(exc.value)
    assert str(path) in str(exc.value)


def test_a_mistake_names_line_place_and_the_key_meant(tmp_path):
    """Recipes are read by the checker dataset.toml is read by: the line, the place, "did you mean"."""
    path = write(tmp_path, claim("a", 'mesure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 1 }'))
    lines = path.read_text().splitlines()
    with pytest.raises(RecipeError) as exc:
        load_recipe(path)
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("mesure"))
    assert str(exc.value) == f"{path}, line {line}: [[claim]] #1 ('a'): mesure: unknown key; did you mean 'measure'?"


def test_report_errors(tmp_path):
    path = write(tmp_path, claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 1 }'),
                 report='[report]\ntitle = "x"\ndate = "November 2021"\n')
    with pytest.raises(RecipeError, match="date: 'November 2021' is not a date"):
        load_recipe(path)
    path = write(tmp_path, claim("a", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 1 }'),
                 report='[report]\ntitle = "x"\ndate = "2021"\nlanguage = "de"\n')
    with pytest.raises(RecipeError, match="language: 'de' is not one of da, en"):
        load_recipe(path)
    path = write(tmp_path, "", report='[report]\ndate = "2021"\n')
    with pytest.raises(RecipeError, match="missing required key 'title'"):
        load_recipe(path)


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "sub/dir", ".hidden", "..", "a\\\\b", "index",
                                  "manifest", "x y", "ø"])
def test_output_names_cannot_escape(tmp_path, name):
    path = write(tmp_path, f'\n[[table]]\nname = "{name}"\nindicator = "poverty"\n')
    with pytest.raises(RecipeError, match="name"):
        load_recipe(path)


def test_names_are_unique_across_figures_and_tables(tmp_path):
    path = write(tmp_path, '\n[[figure]]\nname = "x"\nkind = "timeseries"\nindicator = "poverty"\n'
                           '\n[[table]]\nname = "x"\nindicator = "poverty"\n')
    with pytest.raises(RecipeError, match="is already used by a figure"):
        load_recipe(path)


def test_missing_recipe_file(tmp_path):
    with pytest.raises(RecipeError, match="not found"):
        load_recipe(tmp_path / "nope.toml")


def test_accepted_names_are_plain_file_names():
    # Whatever the pattern accepts can never be a path: no separator, no leading dot.
    def check(name):
        if not NAME_RE.match(name):
            return "not a name"
        assert "/" not in name and "\\" not in name and not name.startswith(".") and ".." not in name
        assert Path(name).name == name
        return "a name"

    # Random text is a name 11 times in 100; names with dots and slashes near the pattern are tried too.
    names = st.from_regex(NAME_RE)
    near = st.tuples(names, st.sampled_from(["/", "\\", ".", "..", " ", "é"]), st.integers(0, 20)).map(
        lambda t: t[0][:t[2]] + t[1] + t[0][t[2]:])
    inputs = st.one_of(names, near, st.text(min_size=1, max_size=40))
    require(explore(inputs, check=check), **{"a name": 0.2, "not a name": 0.2})


def test_recipe_check_command(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["recipe", "check", str(ROOT / "recipes" / "homelessness-brief.toml")])
    assert res.exit_code == 0, res.output
    assert "valid (2 figures, 1 tables, 4 claims; indicators: homelessness)" in res.output
    bad = write(tmp_path, "\n[bogus]\n")
    res = runner.invoke(main, ["recipe", "check", str(bad)])
    assert res.exit_code == 2
    assert res.output.startswith("Error: ") and "[bogus]: unknown key" in res.output
    assert "Traceback" not in res.output


# -- fuzz: whatever a recipe says, the reader answers with a RecipeError or a recipe ----------

def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return "{ " + ", ".join(f'"{k}" = {_toml_value(x)}' for k, x in v.items()) + " }"


_scalars = st.one_of(st.booleans(), st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False),
                     st.sampled_from(["2019", "2009", "TOT", "value", "range", "rank", "stated", "every_change",
                                      "last", "a + b", "between", "==", ">", "../x", "homelessness", "timeseries",
                                      "", "x y"]))
_values = st.one_of(_scalars, st.lists(_scalars, max_size=3),
                    st.dictionaries(st.sampled_from(["op", "value", "low", "high", "tolerance", "geo", "age"]),
                                    _scalars, max_size=3))
_claim_keys = st.sampled_from(["id", "quote", "page", "indicator", "where", "measure", "period", "from", "to",
                               "since", "until", "part", "check", "not_comparable", "note", "comment", "bogus",
                               "no_data", "item", "rank_by", "order", "numbers", "formula", "vintages", "caveat"])
_report_keys = st.sampled_from(["title", "date", "publisher", "url", "isbn", "language", "subtitle", "bogus"])
_figure_keys = st.sampled_from(["name", "kind", "indicator", "indicators", "where", "since", "until", "vintage",
                                "options", "title", "bogus"])


#: A claim and a figure the reader accepts; the fuzz changes one of their fields or makes them
#: up, so that the checks after a successful read run too.
_CLAIM = {"id": "c1", "quote": "q", "page": 5, "indicator": "homelessness", "measure": "value", "period": "2019",
          "where": {"situation": "TOT"}, "check": {"op": ">", "value": 6000}}
_FIGURE = {"name": "f1", "kind": "timeseries", "indicator": "homelessness"}


def _fields(base, keys, most):
    one_changed = st.dictionaries(keys, _values, max_size=1).map(lambda d: {**base, **d})
    return st.one_of(one_changed, one_changed, st.dictionaries(keys, _values, max_size=most))


@st.composite
def _fuzzed_recipe(draw):
    """(claim, figure, report) fields: one part fuzzed and the others as accepted, or all three
    accepted with their texts and numbers varied (so a read that succeeds is checked too)."""
    claim, figure, report = dict(_CLAIM), dict(_FIGURE), {}
    part = draw(st.sampled_from(["claim", "figure", "report", "none"]))
    if part == "claim":
        claim = draw(_fields(_CLAIM, _claim_keys, 10))
    elif part == "figure":
        figure = draw(_fields(_FIGURE, _figure_keys, 8))
    elif part == "report":
        report = draw(st.dictionaries(_report_keys, _values, max_size=2))
    else:
        quote = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20).filter(str.strip)
        claim.update(quote=draw(quote), page=draw(st.integers(1, 999)))
    return claim, figure, report


def test_reader_never_fails_with_anything_but_a_recipe_error(tmp_path):
    # Before #24 the fields were all random and 0 of 100 recipes were read. Runs read 14–30
    # of 150; the floor sits well below that (a floor of 10 % failed 1 run in 8): it is there
    # to catch a strategy that drifts to reading none, not to measure the reader.
    seen = explore(_fuzzed_recipe(), check=lambda fields: _read_fuzzed(tmp_path, *fields))
    require(seen, parsed=0.05, refused=0.3)


def _read_fuzzed(tmp_path, claim_fields, figure_fields, report_fields):
    report = {"title": "t", "date": "2021", **report_fields}
    body = "[report]\n" + "".join(f'"{k}" = {_toml_value(v)}\n' for k, v in report.items()) + "\n[[claim]]\n"
    body += "".join(f'"{k}" = {_toml_value(v)}\n' for k, v in claim_fields.items())
    body += "\n[[figure]]\n" + "".join(f'"{k}" = {_toml_value(v)}\n' for k, v in figure_fields.items())
    path = tmp_path / "r.toml"
    path.write_text(body, encoding="utf-8")
    try:
        recipe = load_recipe(path)
    except RecipeError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
        return "refused"
    # what the reader accepts has the types the page and the checks rely on
    assert all(isinstance(x, str) for x in (recipe.report.publisher, recipe.report.url, recipe.report.isbn))
    for c in recipe.claims:
        assert c.comment is None or isinstance(c.comment, str)
        assert c.note is None or isinstance(c.note, str)
    return "parsed"


def test_shipped_recipes_by_name(tmp_path):
    from udsattestat.recipes.reader import resolve_recipe, shipped_recipes

    assert {"forandringskraft-2021", "homelessness-brief"} <= set(shipped_recipes())
    assert resolve_recipe("homelessness-brief").name == "homelessness-brief.toml"
    assert load_recipe("homelessness-brief").report.date == "2024-10"
    res = CliRunner().invoke(main, ["verify", "nope"])
    assert res.exit_code == 2
    assert "recipe 'nope' not found; give the path of a .toml recipe; shipped recipes: forandringskraft-2021" in res.output


def test_recipe_list_command():
    res = CliRunner().invoke(main, ["recipe", "list"])
    assert res.exit_code == 0
    assert "forandringskraft-2021: Forandringskraft. Fire forudsætninger for social forandring (2021-11); " \
           "6 figures, 6 tables, 60 claims" in res.output
    assert "homelessness-brief: Homelessness in Denmark: the latest count (2024-10)" in res.output
