"""Provenance rebuilt from the rows: survives filter, select, joins, pandas and Parquet."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

import udsattestat
from udsattestat.errors import ProvenanceColumnsError, SelectionError
from udsattestat.provenance import read_parquet_provenance


def test_provenance_names_only_what_the_rows_use():
    df = udsattestat.load("drug-deaths", vintage="all")
    whole = udsattestat.provenance("drug-deaths")
    one = df.filter(pl.col("vintage") == df["vintage"][0])
    prov = udsattestat.provenance(one)
    assert set(prov.vintages) == {df["vintage"][0]}
    assert set(prov.citations) == set(one["source"].unique())
    assert set(prov.vintages) < set(whole.vintages)
    assert prov.licence == whole.licence and prov.raw_sha256 == whole.raw_sha256


@pytest.mark.parametrize("derive", [
    lambda df: df.sort("value", descending=True, nulls_last=True),
    lambda df: df.with_columns((pl.col("value") * 2).alias("double")),
    lambda df: df.select("indicator", "source", "vintage", "value"),
    lambda df: df.lazy().filter(pl.col("value") > 0),
    lambda df: df.to_pandas(),
    lambda df: df.to_pandas().query("value > 0").reset_index(drop=True),
    lambda df: df.to_arrow(),
    lambda df: pl.concat([df.head(2), df.tail(2)]),
])
def test_provenance_survives_every_derivation(derive):
    df = udsattestat.load("homelessness")
    assert udsattestat.provenance(derive(df)).indicator == "homelessness"


def test_dropped_columns_are_named():
    df = udsattestat.load("homelessness")
    with pytest.raises(ProvenanceColumnsError) as err:
        udsattestat.provenance(df.drop("vintage"))
    assert err.value.missing == ["vintage"] and "'vintage'" in str(err.value)
    with pytest.raises(ProvenanceColumnsError) as err:
        udsattestat.provenance(df.to_pandas()[["period", "value"]])
    assert err.value.missing == ["indicator", "source", "vintage"]


def test_empty_frame_and_unknown_vintage_are_clear_errors():
    df = udsattestat.load("homelessness")
    with pytest.raises(SelectionError, match="no rows"):
        udsattestat.provenance(df.filter(pl.col("period") == "1900"))
    forged = df.with_columns(pl.lit("vive-2099").alias("vintage"))
    with pytest.raises(SelectionError, match="'vive-2099' of 'homelessness'"):
        udsattestat.provenance(forged)
    with pytest.raises(SelectionError, match="polars or pandas"):
        udsattestat.provenance([1, 2, 3])


def test_concat_of_two_indicators_keeps_each_part(tmp_path):
    both = pl.concat([udsattestat.load("homelessness"), udsattestat.load("drug-deaths")], how="diagonal_relaxed")
    prov = udsattestat.provenance(both)
    assert prov.origin == "derived" and prov.indicator == "drug-deaths+homelessness"
    assert any(k.startswith("homelessness:") for k in prov.citations)
    path = udsattestat.write_parquet(both, tmp_path / "both.parquet")
    again = udsattestat.read_parquet(path)
    assert udsattestat.provenance(again).indicator == "drug-deaths+homelessness"


def test_pandas_frame_round_trips_through_parquet(tmp_path):
    pdf = udsattestat.load("poverty").to_pandas()
    pdf = pdf[pdf["unit"] == "persons"]
    path = udsattestat.write_parquet(pdf, tmp_path / "p.parquet")
    prov = read_parquet_provenance(path)
    assert prov.indicator == "poverty" and set(prov.vintages) == set(pdf["vintage"])
    back = pd.read_parquet(path)
    assert back.shape == pdf.shape
    assert udsattestat.provenance(back).indicator == "poverty"


def test_live_rows_found_after_load(tmp_path):
    """A vintage that is not bundled (a live table's 'updated') is found once it was loaded."""
    from dataclasses import replace

    from udsattestat import frames

    bundled = udsattestat.provenance("poverty")
    live = replace(bundled, origin="statbank", vintages={"2026-01-01T08:00:00": {"published": "2026-01-01"}},
                   citations={"statbank-ifor51": {"citation": "Statistics Denmark, IFOR51"}})
    frames.remember(live)
    df = udsattestat.load("poverty").with_columns(
        pl.when(pl.col("period") == "2022").then(pl.lit("2026-01-01T08:00:00")).otherwise(pl.col("vintage"))
        .alias("vintage"),
        pl.when(pl.col("period") == "2022").then(pl.lit("statbank-ifor51")).otherwise(pl.col("source"))
        .alias("source"))
    prov = udsattestat.provenance(df)
    assert "2026-01-01T08:00:00" in prov.vintages and "statbank-ifor51" in prov.citations
    assert "dst-nyt-33390" in prov.citations


def test_the_api_has_real_signatures_and_keeps_its_names():
    """help(udsattestat.load) in a notebook lists the arguments, and importing every submodule
    (two share a name with an API function) leaves the package's functions in place."""
    import importlib
    import inspect
    import pkgutil

    for info in pkgutil.walk_packages(udsattestat.__path__, "udsattestat."):
        if info.name != "udsattestat.__main__":
            importlib.import_module(info.name)
    for name in udsattestat.__all__[1:]:
        fn = getattr(udsattestat, name)
        assert inspect.isfunction(fn) and fn.__doc__, name
    assert list(inspect.signature(udsattestat.load).parameters) == [
        "indicator", "lang", "vintage", "as_of", "live", "data_dir", "offline", "refresh", "quiet"]
    assert udsattestat.catalog()[0].id and udsattestat.provenance("poverty").indicator == "poverty"
