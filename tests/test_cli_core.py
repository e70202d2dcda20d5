"""The core commands through click's CliRunner: output, files and exit codes."""

import json

import polars as pl
import pytest
from jsonschemas import checked

from udsattestat.provenance import read_parquet_provenance


def run(runner, cli, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_list_table_and_json(runner, cli):
    res = run(runner, cli, "list")
    assert res.exit_code == 0 and "homelessness" in res.output
    rows = checked("list", run(runner, cli, "list", "--json", "--lang", "en").output)["indicators"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["homelessness"]["periods"] == "2007–2024"
    assert by_id["poverty"]["live"] == "statbank:IFOR51"
    assert by_id["drug-deaths"]["live"] is None


def test_info_shows_caveats_sources_vintages(runner, cli):
    res = run(runner, cli, "info", "drug-deaths", "--lang", "en")
    assert res.exit_code == 0
    assert "Caveats:" in res.output and "[sst-2021]" in res.output
    assert "published 29 September 2020" in res.output


def test_fetch_writes_parquet_with_provenance(runner, cli, tmp_path):
    res = run(runner, cli, "fetch", "homelessness", "poverty", "--data-dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    path = tmp_path / "homelessness.parquet"
    frame = pl.read_parquet(path)
    tot = frame.filter((pl.col("situation") == "TOT") & (pl.col("age") == "TOT") & (pl.col("geo") == "DK") & (pl.col("population") == "COUNTED"))
    assert dict(tot.select("period", "value").iter_rows())["2009"] == 4998
    assert dict(tot.select("period", "value").iter_rows())["2019"] == 6431
    prov = read_parquet_provenance(path)
    assert prov.indicator == "homelessness" and prov.origin == "bundle"
    assert set(prov.title) == {"da", "en"} and prov.licence and prov.tool_version
    assert len(prov.raw_sha256) == 2 and all(len(v) == 64 for v in prov.raw_sha256.values())
    assert "vive-2019" in prov.citations and prov.query == {"bundle": "datasets/homelessness"}
    assert (tmp_path / "poverty.parquet").exists()


def test_fetch_keeps_every_vintage(runner, cli, tmp_path):
    run(runner, cli, "fetch", "drug-deaths", "--data-dir", str(tmp_path))
    frame = pl.read_parquet(tmp_path / "drug-deaths.parquet")
    assert frame.filter(pl.col("period") == "2019")["value"].to_list().count(265) == 1


def test_fetch_uses_env_data_dir(runner, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("UDSATTESTAT_DATA_DIR", str(tmp_path / "env"))
    assert run(runner, cli, "fetch", "poverty").exit_code == 0
    assert (tmp_path / "env" / "poverty.parquet").exists()


def test_fetch_failed_write_keeps_old_file(runner, cli, tmp_path, monkeypatch):
    run(runner, cli, "fetch", "poverty", "--data-dir", str(tmp_path))
    before = (tmp_path / "poverty.parquet").read_bytes()
    import pyarrow.parquet as pq

    def half_write(self, table, **kw):  # the temp file is open and has a header: then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", half_write)
    res = runner.invoke(cli, ["fetch", "poverty", "--data-dir", str(tmp_path)])
    assert res.exit_code == 1
    assert res.output.strip().splitlines()[-1].startswith("Error: cannot write")
    assert (tmp_path / "poverty.parquet").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["poverty.parquet"]  # no temp file left


def test_show_danish_and_english_numbers(runner, cli):
    da = run(runner, cli, "show", "homelessness", "--where", "situation=TOT", "--where", "age=TOT", "--where", "geo=DK", "--where", "population=COUNTED")
    assert da.exit_code == 0 and "5.789" in da.output and "Kilde: VIVE" in da.output
    en = run(runner, cli, "show", "poverty", "--lang", "en", "--where", "unit=percent")
    assert "3.7 %" in en.output and "Source: Statistics Denmark" in en.output
    pct = run(runner, cli, "show", "poverty", "--where", "unit=percent")
    assert "3,7 %" in pct.output


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["show", "homelesness"], 2, "unknown indicator 'homelesness'; did you mean 'homelessness'?"),
        (["show", "poverty", "--lang", "de"], 2, "Invalid value for '--lang'"),
        (["show", "poverty", "--where", "sex=M"], 2, "unknown dimension 'sex'; this indicator has: geo, age, unit, vintage"),
        (["show", "poverty", "--where", "age=99"], 2, "unknown code '99' for age; valid codes: 0017, TOT"),
        (["show", "poverty", "--where", "age"], 2, "cannot read --where 'age'"),
        (["show", "poverty", "--since", "2030"], 2, "--since 2030 is outside the data"),
        (["show", "drug-deaths", "--vintage", "sst-1999"], 2, "unknown vintage 'sst-1999'"),
        (["fetch", "poverty", "--data-dir", "/nonexistent/deeper/dir"], 1, "does not exist; create it first"),
        (["export", "poverty", "--out", "/nonexistent/x.csv"], 1, "directory '/nonexistent' does not exist"),
        (["export", "poverty", "--out", "x.docx"], 1, "cannot tell the format of 'x.docx'"),
        (["export", "poverty", "--format", "pdf", "--out", "x.pdf"], 2, "Invalid value for '--format'"),
        (["fetch", "drug-deaths", "--live"], 1, "'drug-deaths' has no live source"),
    ],
)
def test_user_errors_are_one_line(runner, cli, args, code, message):
    res = runner.invoke(cli, args)
    assert res.exit_code == code, res.output
    assert message in res.output
    assert "Traceback" not in res.output
    if code == 1 or "unknown" in message or "cannot" in message or "outside" in message:
        assert len([ln for ln in res.output.splitlines() if ln.startswith("Error:")]) == 1


def test_corrupted_bundle_is_reported_with_file_and_line(runner, cli, datasets_copy):
    path = datasets_copy / "poverty" / "values.csv"
    path.write_text(path.read_text().replace("2020,DK,TOT,241700", "2020,DK,TOT,24l700"))
    res = runner.invoke(cli, ["show", "poverty"])
    assert res.exit_code == 1
    assert res.output.startswith("Error: ") and "poverty/values.csv, line 9: column 'value'" in res.output


def test_export_formats(runner, cli, tmp_path):
    for fmt in ("csv", "json", "md", "xlsx"):
        out = tmp_path / f"p.{fmt}"
        res = run(runner, cli, "export", "poverty", "--out", str(out), "--lang", "en")
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 0
    assert (tmp_path / "p.csv.provenance.json").exists()
    doc = json.loads((tmp_path / "p.json").read_text())
    assert doc["provenance"]["indicator"] == "poverty" and len(doc["data"]) == 13
    md = (tmp_path / "p.md").read_text()
    # the default view is the latest-dated vintage: 2019 from AE-Rådet Jan 2022 (about 250,100)
    assert "250,100" in md and "250,200" not in md and "Source: Statistics Denmark" in md
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    values = [row[header.index("Value")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert 250100 in values and all(v is None or isinstance(v, float | int) for v in values)
    assert "Statistics Denmark" in wb["Sources"]["A1"].value


def test_export_replaces_existing_file_atomically(runner, cli, tmp_path):
    out = tmp_path / "h.md"
    out.write_text("old")
    assert run(runner, cli, "export", "homelessness", "--out", str(out)).exit_code == 0
    assert out.read_text().startswith("# Hjemløse i Danmark")


def test_python_api(tmp_path):
    import udsattestat

    df = udsattestat.load("homelessness", lang="en")
    assert isinstance(df, pl.DataFrame)
    prov = udsattestat.provenance(df)
    assert prov.source_line("en").startswith("Source: VIVE")
    assert udsattestat.load("drug-deaths", vintage="all").height > udsattestat.load("drug-deaths").height
    assert df.to_pandas().shape[0] == df.height


def test_as_of_uses_what_was_published_then():
    import udsattestat

    df = udsattestat.load("drug-deaths", as_of="2020-10-01")
    police = dict(df.filter((pl.col("register") == "POLICE") & (pl.col("cause") == "TOT")).select("period", "value").iter_rows())
    assert police["2019"] == 265 and "2020" not in police
    later = udsattestat.load("drug-deaths", as_of="2021-11-30")
    police = dict(later.filter((pl.col("register") == "POLICE") & (pl.col("cause") == "TOT")).select("period", "value").iter_rows())
    assert police["2019"] == 268 and police["2020"] == 256  # sst-2021 known_by 2021-11


def test_module_entry_point():
    import sys

    import offline

    out = offline.run([sys.executable, "-m", "udsattestat", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "udsattestat, version" in out.stdout


def test_cli_import_is_light():
    import sys

    import offline

    code = "import sys, udsattestat.cli; print(sorted(m for m in ('polars','pandas','pyarrow','matplotlib') if m in sys.modules))"
    out = offline.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
