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
    parted = pl.from_arrow(ds.dataset(root, format="parquet", partitioning="hive").to_table())
    key = ["period", "geo"]
    cols = [c for c in single.columns if c not in key]
    a = single.select(key + cols).with_columns(pl.all().cast(pl.String)).sort(key)
    b = parted.select(key + cols).with_columns(pl.all().cast(pl.String)).sort(key)
    assert a.equals(b)
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
