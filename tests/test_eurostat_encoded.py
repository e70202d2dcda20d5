"""``eurostat fetch`` keeps codes and labels dictionary-encoded from the decode to the file,
and the file reads back exactly as the plain tidy table: same values, plain strings."""

from __future__ import annotations

import polars as pl
from click.testing import CliRunner
from eurostat_fixtures import ilc_li02_new

from udsattestat.cli import main
from udsattestat.eurostat import client as es_client
from udsattestat.eurostat.jsonstat import parse
from udsattestat.eurostat.tidy import tidy

OPTIONS = dict(indicator="ilc_li02", vintage="v", vintage_date="2025-10-15", source="s", unit="")


def test_encoded_tidy_is_the_plain_one_with_categoricals():
    cube = parse(ilc_li02_new())
    plain = tidy(cube, **OPTIONS)
    encoded = tidy(cube, encoded=True, **OPTIONS)
    assert {c for c, t in encoded.schema.items() if t == pl.Categorical} == {
        c for c, t in plain.schema.items() if t == pl.String}
    assert encoded.cast(dict(plain.schema)).equals(plain)


def test_fetched_file_reads_back_as_plain_strings(httpserver, monkeypatch, tmp_path):
    monkeypatch.setenv(es_client.BASE_URL_ENV, httpserver.url_for("/api"))
    monkeypatch.chdir(tmp_path)
    httpserver.expect_request("/api/statistics/1.0/data/ilc_li02").respond_with_data(
        ilc_li02_new(), content_type="application/json")
    result = CliRunner().invoke(main, ["eurostat", "fetch", "ilc_li02", "--out", "p.parquet", "--quiet"])
    assert result.exit_code == 0, result.output
    written = pl.read_parquet(tmp_path / "p.parquet")
    plain = tidy(parse(ilc_li02_new()), **OPTIONS)
    assert dict(written.schema) == dict(plain.schema)  # no Categorical comes back
    keep = [c for c in plain.columns if c not in ("indicator", "vintage", "vintage_date", "source")]
    assert written.select(keep).equals(plain.select(keep))
