"""Every reader is total: for any input, a value or one of the project's typed errors.

Hypothesis feeds each reader hostile-but-plausible input (tests/hostile.py); a crash with
any other exception type (``TypeError``, ``KeyError``, polars' ``DuplicateError``…) fails.
Kept quick with bounded examples; fuzz/ runs the same readers on far more inputs.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hostile import (
    META,
    jsonstat_docs,
    meta_docs,
    meta_valid,
    recipe_docs,
    recipe_valid,
    sdmx_csv,
    sdmx_valid,
    tableinfo_docs,
    tableinfo_valid,
    values_csv,
    values_csv_valid,
)
from hypothesis import strategies as st
from reach import HALF, explore, require

from udsattestat.bundle import DatasetFileError, meta_from_doc, rows_from_bytes
from udsattestat.errors import UdsatError
from udsattestat.eurostat import sdmxcsv
from udsattestat.recipes.model import RecipeError
from udsattestat.recipes.reader import recipe_from_doc
from udsattestat.statbank.tableinfo import TableInfo


def test_recipe_reader_is_total():
    def check(doc, valid):
        try:
            recipe = recipe_from_doc(Path("r.toml"), doc)
        except RecipeError as exc:
            assert not valid, f"a valid recipe was refused: {exc}"
            assert str(exc).startswith("r.toml")  # every message names the file
            return "refused"
        assert recipe.report.date and (recipe.figures or recipe.tables or recipe.claims)
        if valid:
            assert [(c.id, c.page) for c in recipe.claims] == [(c["id"], c["page"]) for c in doc["claim"]]
        return "parsed"

    require(explore(recipe_valid(), check=lambda doc: check(doc, True), budget=HALF), parsed=1.0)
    require(explore(recipe_docs(), check=lambda doc: check(doc, False), budget=HALF), refused=0.5)


def test_dataset_meta_reader_is_total():
    def check(doc, must_parse):
        try:
            meta = meta_from_doc(Path("demo"), doc)
        except DatasetFileError as exc:
            assert not must_parse, f"a valid dataset.toml was refused: {exc}"
            assert "dataset.toml" in str(exc)
            return "refused"
        assert meta.id == "demo" and meta.dims == list(doc.get("dimensions", {}))
        return "parsed"

    # Before #24 the demo with up to four keys broken parsed 4 of 150 documents; valid
    # variations now run the checks after a successful read on every one of theirs.
    require(explore(meta_valid(), check=lambda doc: check(doc, True), budget=HALF), parsed=1.0)
    require(explore(meta_docs(), check=lambda doc: check(doc, doc == META), budget=HALF), refused=0.5)


def test_values_csv_reader_is_total():
    meta = meta_from_doc(Path("demo"), META)

    def check(body, expected):
        try:
            rows = rows_from_bytes(meta, body)
        except DatasetFileError as exc:
            assert expected is None, f"valid values.csv refused: {exc}\n{body.decode()}"
            assert "values.csv" in str(exc) and exc.line is not None
            return "refused at the header" if exc.line == 1 else "refused at a row"
        assert all(r[c] is None or math.isfinite(r[c]) for r in rows for c in ("value", "value_low", "value_high"))
        if expected is not None:  # the numbers read back are the numbers written
            assert [(r["period"], r["value"], r["value_low"], r["value_high"], r["precision"]) for r in rows] == [
                (e["period"], e["value"], e["value_low"], e["value_high"], e["precision"]) for e in expected]
        return "parsed"

    # Before #24 the strategy's header lacked the precision column: all 150 inputs were
    # refused at line 1 and the row checks never ran. Now the header comes from the reader.
    require(explore(values_csv_valid(), check=lambda example: check(*example), budget=HALF), parsed=1.0)
    seen = explore(values_csv(), check=lambda body: check(body, None), budget=HALF)
    require(seen, **{"refused at a row": 0.3})


def test_sdmx_csv_reader_is_total():
    def check(body, held):
        try:
            cube = sdmxcsv.parse(body)
        except sdmxcsv.SdmxCsvError as exc:
            assert held is None, f"a body as Eurostat sends it was refused: {exc}"
            return "refused"
        obs = cube.observations
        assert obs["value"].drop_nulls().is_finite().all()
        keys = [d.id for d in cube.dimensions]
        assert not keys or not obs.select(keys).is_duplicated().any()
        if held is not None:  # every observation read back, with its value
            assert {(r["geo"], r["TIME_PERIOD"]): r["value"] for r in obs.iter_rows(named=True)} == held
        return "parsed"

    require(explore(sdmx_valid(), check=lambda example: check(*example), budget=HALF), parsed=1.0)
    require(explore(sdmx_csv(), check=lambda body: check(body, None), budget=HALF), refused=0.5)


def test_statbank_tableinfo_reader_is_total():
    def check(doc, valid):
        try:
            info = TableInfo.from_json(doc, url="https://stats.example.org/v1/tableinfo")
        except UdsatError as exc:
            assert not valid, f"a tableinfo in the documented shape was refused: {exc}"
            assert getattr(exc, "url", None) == "https://stats.example.org/v1/tableinfo"
            return "refused"
        assert info.id and all(isinstance(c, str) for v in info.variables for c in v.codes)
        if valid:  # the variables and their codes as sent
            assert [(v.id, list(v.codes)) for v in info.variables] == [
                (v["id"], [x["id"] for x in v["values"]]) for v in doc["variables"]]
        return "parsed"

    require(explore(tableinfo_valid(), check=lambda doc: check(doc, True), budget=HALF), parsed=1.0)
    require(explore(tableinfo_docs(), check=lambda doc: check(doc, False), budget=HALF), refused=0.5)


@pytest.mark.parametrize("body,message", [
    (b"DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\nX,DK,2024,NaN\n", "not a finite number"),
    (b"DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\nX,DK,2024,1e999\n", "not a finite number"),
    (b"DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\nX,DK,2024,-inf\n", "not a finite number"),
    (b"DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\nX,DK,2024,1\nX,DK,2024,2\n", "geo=DK, TIME_PERIOD=2024 appears more than once"),
    (b"DATAFLOW,geo, geo,TIME_PERIOD,OBS_VALUE\nX,DK,DK,2024,1\n", "names column 'geo' twice"),
    (b"DATAFLOW,geo,geo_label,TIME_PERIOD,OBS_VALUE\nX,DK,DK,2024,1\n", "'geo_label'"),
])
def test_sdmx_csv_refuses_clearly(body, message):
    with pytest.raises(sdmxcsv.SdmxCsvError, match=message):
        sdmxcsv.parse(body)


@pytest.mark.parametrize("body,message", [
    ("KØN;TID;INDHOLD\r\n01;2025;NaN\r\n", "INDHOLD holds nan, which is not a finite number"),
    ("KØN;TID;INDHOLD\r\n01;2025;inf\r\n", "not a finite number"),
    ("KØN;TID;INDHOLD\r\n01;2025;1\r\n01;2025;2\r\n", "the row KØN=01, TID=2025 more than once"),
])
def test_statbank_body_refuses_non_finite_values_and_repeated_rows(tmp_path, body, message):
    from test_statbank_parse import info_with, parse

    from udsattestat.statbank.body import ParseError

    with pytest.raises(ParseError, match=message):
        parse(tmp_path, body, "en", info_with(["01"], ["2025"]))


def test_jsonstat_reader_is_total():
    import json

    from test_eurostat_jsonstat import cubes, encode

    from udsattestat.eurostat import jsonstat

    def check(doc, expected_rows):
        try:
            body = json.dumps(doc, default=str).encode()
        except ValueError:
            return "not JSON"  # a NaN key or a circular value: nothing to send the reader
        try:
            cube = jsonstat.parse(body)
        except jsonstat.JsonStatError as exc:
            assert expected_rows is None, f"a JSON-stat cube as generated was refused: {exc}"
            return "refused"
        assert cube.observations["value"].drop_nulls().is_finite().all()
        if expected_rows is not None:  # one row per cell with a value or a flag
            assert cube.observations.height == expected_rows
        return "parsed"

    def valid(cube, index_as_list, dense):
        dims, _cells, values, flags = cube
        body = encode(dims, values, flags, index_as_list=index_as_list, dense=dense)
        return json.loads(body), len(values.keys() | flags.keys())

    valid_cubes = st.builds(valid, cubes(), st.booleans(), st.booleans())
    require(explore(valid_cubes, check=lambda example: check(*example), budget=HALF), parsed=1.0)
    require(explore(jsonstat_docs(), check=lambda doc: check(doc, None), budget=HALF), refused=0.5)
