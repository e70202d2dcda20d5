"""Every Parquet file udsattestat writes names its sources to every reader, not only to us.

The files are made the ways the tool makes them — a bundled indicator (``fetch``), a
streamed StatBank table, a Eurostat dataset, each as one file and as Hive partitions — and
read with pyarrow (``read_schema``, ``read_table``, ``ParquetFile``), pandas (``attrs``),
polars and DuckDB. DuckDB is a test dependency for this: it is the reader analysts point at
a folder of partitions, and it reads the footer through its own Parquet code, not Arrow's.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from eurostat_fixtures import ilc_li02_new

from udsattestat.cli import main
from udsattestat.eurostat import client as es_client


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def seen_by_each_reader(path) -> dict[str, dict]:
    """The provenance (a dict) as each reader hands it over."""
    key = b"udsattestat"
    kv = duckdb.sql(f"SELECT decode(value) FROM parquet_kv_metadata('{path}') WHERE decode(key) = 'udsattestat'")
    return {
        "pyarrow read_schema": json.loads(pq.read_schema(path).metadata[key]),
        "pyarrow read_table": json.loads(pq.read_table(path).schema.metadata[key]),
        "pyarrow ParquetFile": json.loads(pq.ParquetFile(path).metadata.metadata[key]),
        "pandas attrs": pd.read_parquet(path).attrs["udsattestat"],
        "polars": json.loads(pl.read_parquet_metadata(path)["udsattestat"]),
        "duckdb": json.loads(kv.fetchall()[0][0]),
    }


def check_everywhere(path, indicator: str, origin: str) -> None:
    seen = seen_by_each_reader(path)
    for reader, prov in seen.items():
        assert (prov["indicator"], prov["origin"]) == (indicator, origin), reader
    assert all(prov == seen["polars"] for prov in seen.values())  # one provenance, whoever reads it


def check_partitions(root, indicator: str, origin: str) -> None:
    parts = sorted(root.glob("period=*/*.parquet"))
    assert parts
    for part in parts:
        check_everywhere(part, indicator, origin)
    # a reader of the whole folder sees it too
    assert json.loads(pq.read_schema(parts[0]).metadata[b"udsattestat"]) == json.loads(
        (root / "_provenance.json").read_text())


def test_bundled_fetch(tmp_path):
    run("fetch", "homelessness", "--data-dir", str(tmp_path), "--quiet")
    check_everywhere(tmp_path / "homelessness.parquet", "homelessness", "bundle")


def test_statbank_stream_single_and_partitioned(statbank, tmp_path):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_data_da.csv")
    args = ["statbank", "fetch", "FOLK1A", "--var", "OMRÅDE=*", "--var", "Tid=2025K1,2025K2", "--quiet"]
    run(*args, "--out", str(tmp_path / "one.parquet"))
    check_everywhere(tmp_path / "one.parquet", "FOLK1A", "statbank")
    # the codes and labels are dictionary pages in the file, plain strings to every reader
    assert pl.read_parquet(tmp_path / "one.parquet").schema["geo_label"] == pl.String
    assert str(pq.read_schema(tmp_path / "one.parquet").field("geo_label").type) == "string"
    run(*args, "--out", str(tmp_path / "parts"), "--partition-by", "period")
    check_partitions(tmp_path / "parts", "FOLK1A", "statbank")


@pytest.fixture
def eurostat_env(httpserver, monkeypatch, tmp_path):
    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    monkeypatch.chdir(tmp_path)
    httpserver.expect_request("/api/statistics/1.0/data/ilc_li02").respond_with_data(
        ilc_li02_new(), content_type="application/json")
    return tmp_path


def test_eurostat_single_and_partitioned(eurostat_env):
    args = ["eurostat", "fetch", "ilc_li02", "--filter", "unit=PC", "--quiet"]
    run(*args, "--out", "p.parquet")
    check_everywhere(eurostat_env / "p.parquet", "ilc_li02", "eurostat")
    run(*args, "--out", "parts", "--partition-by", "period")
    check_partitions(eurostat_env / "parts", "ilc_li02", "eurostat")


def test_api_write_keeps_pandas_own_metadata(tmp_path):
    """A pandas frame keeps its dtypes (pandas' own schema metadata) beside the provenance."""
    import udsattestat

    pdf = udsattestat.load("homelessness", lang="en").to_pandas()
    pdf["geo"] = pdf["geo"].astype("category")
    path = udsattestat.write_parquet(pdf, tmp_path / "p.parquet")
    back = pd.read_parquet(path)
    assert isinstance(back["geo"].dtype, pd.CategoricalDtype)
    assert back.attrs["udsattestat"]["indicator"] == "homelessness"
    check_everywhere(path, "homelessness", "bundle")
