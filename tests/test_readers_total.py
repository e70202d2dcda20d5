"""Every reader is total: for any input, a value or one of the project's typed errors.

Hypothesis feeds each reader hostile-but-plausible input (tests/hostile.py); a crash with
any other exception type (``TypeError``, ``KeyError``, polars' ``DuplicateError``…) fails.
Kept quick with bounded examples; fuzz/ runs the same readers on far more inputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import jsonstat_docs, meta_docs, recipe_docs, sdmx_csv, tableinfo_docs, values_csv
from hypothesis import HealthCheck, given, settings

from udsattestat.bundle import DatasetFileError, meta_from_doc, rows_from_bytes
from udsattestat.errors import UdsatError
from udsattestat.eurostat import sdmxcsv
from udsattestat.recipes.model import RecipeError, recipe_from_doc
from udsattestat.statbank.tableinfo import TableInfo

quick = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(recipe_docs())
def test_recipe_reader_is_total(doc):
    try:
        recipe = recipe_from_doc(Path("r.toml"), doc)
    except RecipeError as exc:
        assert str(exc).startswith("r.toml")  # every message names the file
        return
    assert recipe.report.date and (recipe.figures or recipe.tables or recipe.claims)


@quick
@given(meta_docs())
def test_dataset_meta_reader_is_total(doc):
    try:
        meta = meta_from_doc(Path("demo"), doc)
    except DatasetFileError as exc:
        assert "dataset.toml" in str(exc)
        return
    assert meta.id == "demo"


@quick
@given(values_csv())
def test_values_csv_reader_is_total(body):
    from hostile import META

    meta = meta_from_doc(Path("demo"), META)
    try:
        rows = rows_from_bytes(meta, body)
    except DatasetFileError as exc:
        assert "values.csv" in str(exc)
        return
    assert rows and all(r["value"] is None or abs(r["value"]) < float("inf") for r in rows)


@quick
@given(sdmx_csv())
def test_sdmx_csv_reader_is_total(body):
    try:
        cube = sdmxcsv.parse(body)
    except sdmxcsv.SdmxCsvError:
        return
    obs = cube.observations
    assert obs["value"].drop_nulls().is_finite().all()
    keys = [d.id for d in cube.dimensions]
    assert not keys or not obs.select(keys).is_duplicated().any()


@quick
@given(tableinfo_docs())
def test_statbank_tableinfo_reader_is_total(doc):
    try:
        info = TableInfo.from_json(doc, url="https://stats.example.org/v1/tableinfo")
    except UdsatError as exc:
        assert getattr(exc, "url", None) == "https://stats.example.org/v1/tableinfo"
        return
    assert info.id and all(isinstance(c, str) for v in info.variables for c in v.codes)


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


@quick
@given(jsonstat_docs())
def test_jsonstat_reader_is_total(doc):
    import json

    from udsattestat.eurostat import jsonstat

    try:
        body = json.dumps(doc, default=str).encode()
    except ValueError:
        return
    try:
        cube = jsonstat.parse(body)
    except jsonstat.JsonStatError:
        return
    assert cube.observations["value"].drop_nulls().is_finite().all()
