"""``statbank fetch --partition-by period``: a Hive-partitioned dataset that readers open in place."""

from __future__ import annotations

import json

import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from click.testing import CliRunner

from udsattestat.cli import main
from udsattestat.store import read_parquet


def run(*args):
    return CliRunner().invoke(main, list(args))


def assert_same_rows(single: pl.DataFrame, root) -> None:
    """The partitioned dataset at ``root`` holds exactly the single file's rows (``period``
    comes back from the folder names as text, so both are compared as text)."""
    parted = pl.from_arrow(ds.dataset(root, format="parquet", partitioning="hive").to_table())
    key = ["period", "geo"]
    cols = [c for c in single.columns if c not in key]
    a = single.select(key + cols).with_columns(pl.all().cast(pl.String)).sort(key)
    b = parted.select(key + cols).with_columns(pl.all().cast(pl.String)).sort(key)
    assert a.equals(b)


def test_partitioned_dataset_equals_the_single_file(statbank, tmp_path):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_data_da.csv")
    args = ["statbank", "fetch", "FOLK1A", "--var", "OMRÅDE=*", "--var", "Tid=2025K1,2025K2"]
    res = run(*args, "--out", str(tmp_path / "one.parquet"))
    assert res.exit_code == 0, res.output
    res = run(*args, "--out", str(tmp_path / "folk1a"), "--partition-by", "period")
    assert res.exit_code == 0, res.output
    root = tmp_path / "folk1a"
    assert sorted(p.name for p in root.iterdir()) == ["_provenance.json", "period=2025K1", "period=2025K2"]
    assert [p.name for p in (root / "period=2025K1").iterdir()] == ["part-0.parquet"]
    single, prov = read_parquet(tmp_path / "one.parquet")
    assert_same_rows(single, root)
    # provenance travels: in every file's metadata and beside them
    meta = pq.read_schema(root / "period=2025K1" / "part-0.parquet").metadata
    assert json.loads(meta[b"udsattestat"])["indicator"] == prov.indicator
    assert json.loads((root / "_provenance.json").read_text())["indicator"] == prov.indicator
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left behind


def test_partitioned_output_replaces_the_old_dataset_and_refuses_a_file_name(statbank, tmp_path):
    statbank.tableinfo("FOLK1A", "da")
    statbank.data("folk1a_data_da.csv")
    old = tmp_path / "folk1a" / "period=1999K1"
    old.mkdir(parents=True)
    res = run("statbank", "fetch", "FOLK1A", "--var", "OMRÅDE=*", "--var", "Tid=2025K1,2025K2",
              "--out", str(tmp_path / "folk1a"), "--partition-by", "period")
    assert res.exit_code == 0, res.output
    assert not old.exists()
    res = run("statbank", "fetch", "FOLK1A", "--var", "Tid=2025K1", "--out", str(tmp_path / "x.parquet"),
              "--partition-by", "period")
    assert res.exit_code == 1 and "give --out a folder name" in res.output and "Traceback" not in res.output


def test_eurostat_fetch_writes_the_same_partitioned_dataset(httpserver, monkeypatch, tmp_path):
    from eurostat_fixtures import ilc_li02_new

    from udsattestat.eurostat import client as es_client

    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    monkeypatch.setenv("UDSATTESTAT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    httpserver.expect_request("/api/statistics/1.0/data/ilc_li02").respond_with_data(
        ilc_li02_new(), content_type="application/json")
    args = ["eurostat", "fetch", "ilc_li02", "--filter", "unit=PC", "--since", "2021"]
    res = run(*args, "--out", "one.parquet")
    assert res.exit_code == 0, res.output
    res = run(*args, "--out", "li02", "--partition-by", "period", "--offline")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("li02: 11 rows")
    single, prov = read_parquet(tmp_path / "one.parquet")
    root = tmp_path / "li02"
    periods = sorted(single["period"].unique().to_list())
    assert sorted(p.name for p in root.iterdir()) == ["_provenance.json"] + [f"period={p}" for p in periods]
    assert_same_rows(single, root)
    assert json.loads((root / "_provenance.json").read_text())["origin"] == prov.origin == "eurostat"
    meta = pq.read_schema(root / f"period={periods[0]}" / "part-0.parquet").metadata
    assert json.loads(meta[b"udsattestat"])["indicator"] == prov.indicator
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    # a file name is refused before any request is made
    httpserver.clear()
    res = run(*args, "--out", "x.parquet", "--partition-by", "period")
    assert res.exit_code == 1 and "give --out a folder name" in res.output and "Traceback" not in res.output
