"""The chart and table commands through click's CliRunner: outputs, and every error as
one line with a non-zero exit code and no partial file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from udsattestat.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    "args",
    [
        ("chart", "homelessness"),
        ("chart", "poverty", "--lang", "en"),
        ("chart", "udsathed-definitions", "--size", "16x15cm"),
        ("chart", "homelessness", "--kind", "ranking"),
        ("chart", "homelessness", "poverty", "drug-deaths", "--where", "poverty:age=TOT", "--base-period", "2019"),
    ],
)
def test_chart_defaults_just_work(args, tmp_path):
    out = tmp_path / "c.svg"
    result = run(*args, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"<?xml")
    assert "chart of" in result.output


def test_chart_twice_same_bytes(tmp_path):
    for name in ("a.png", "b.png"):
        assert run("chart", "drug-deaths", "--out", str(tmp_path / name)).exit_code == 0
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


@pytest.mark.parametrize(
    "args, message, code",
    [
        (("chart", "homelessness", "--kind", "pie"), "Invalid value for '--kind'", 2),
        (("chart", "homelessness", "--where", "sex=M"), "Error: unknown dimension 'sex'; this indicator has: geo, population", 2),
        (("chart", "homelessness", "--where", "age=99"), "Error: unknown code '99' for age; valid codes: 18-24, 25-29, 50-59, 60-, TOT", 2),
        (("chart", "homelessness", "--since", "2030"), "Error: --since 2030 is outside the data, which cover 2007–2024", 2),
        (("chart", "homelessness", "--where", "geo=101", "--since", "2020", "--until", "2021"), "Error: the selection for homelessness is empty", 2),
        (("chart", "homelessness", "--series", "sex"), "Error: unknown dimension 'sex' for --series", 2),
        (("chart", "poverty", "--kind", "timeseries", "--where", "unit=persons,percent"),
         "Error: the selection mixes units (percent, persons) that cannot share an axis; add --where unit=percent", 2),
        (("chart", "homelessness", "--where", "situation=TOT,STREET", "--series", "age"),
         "Error: the selection varies in situation; --series is age", 2),
        (("chart", "homelessness", "poverty", "--kind", "timeseries"), "several indicators need --kind indexed", 2),
        (("chart", "homelessness", "poverty", "--where", "drug-deaths:cause=TOT"), "names indicator 'drug-deaths', which is not charted", 2),
        (("chart", "homelessness", "poverty"), "Error: poverty: the selection varies in age", 2),
        (("chart", "homelessness", "poverty", "--where", "poverty:age=TOT", "--base-period", "2007"),
         "Error: poverty has no value for base period 2007", 2),
        (("chart", "homelessness", "poverty", "--where", "sex=M"), "no charted indicator has dimension 'sex'", 2),
        (("chart", "homelessness", "--size", "big"), "cannot read --size 'big'", 2),
        (("chart", "nosuch"), "unknown indicator 'nosuch'", 2),
        (("chart", "udsathed-definitions", "--kind", "definitions", "--where", "geo=DK", "--where", "group=ALL,CHILDREN"),
         "varies in group", 2),
    ],
)
def test_chart_errors(args, message, code, tmp_path):
    out = tmp_path / "c.png"
    result = run(*args, "--out", str(out))
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_chart_bad_suffix(tmp_path):
    result = run("chart", "homelessness", "--out", str(tmp_path / "c.gif"))
    assert result.exit_code == 1
    assert "Error: cannot tell the format of 'c.gif' from its suffix; end the file name in one of .svg, .png, .pdf" \
        in result.output
    assert list(tmp_path.iterdir()) == []


def test_table_markdown(tmp_path):
    out = tmp_path / "t.md"
    result = run("table", "homelessness", "--where", "situation=TOT", "--where", "age=TOT", "--where", "geo=DK",
                 "--where", "population=COUNTED", "--pivot", "period", "--change", "2019:2022", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "| 6.431 | 5.789 | 5.989 | −642 | −10,0 % |" in text


def test_table_definitions_default_and_xlsx(tmp_path):
    out = tmp_path / "d.xlsx"
    assert run("table", "udsathed-definitions", "--lang", "en", "--out", str(out)).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    "args, message",
    [
        (("table", "homelessness", "--change", "2019-2022"), "cannot read --change '2019-2022'; write FROM:TO"),
        (("table", "homelessness", "--change", "2019:2023"), "change to period 2023 is not in the selection"),
        (("table", "homelessness", "--where", "age=99"), "unknown code '99' for age"),
        (("table", "homelessness", "--until", "1990"), "--until 1990 is outside the data"),
    ],
)
def test_table_errors(args, message, tmp_path):
    result = run(*args, "--out", str(tmp_path / "t.md"))
    assert result.exit_code == 2, result.output
    assert f"Error: {message}" in result.output
    assert list(tmp_path.iterdir()) == []


def test_table_bad_suffix(tmp_path):
    result = run("table", "poverty", "--out", str(tmp_path / "t.doc"))
    assert result.exit_code == 1 and "cannot tell the format of 't.doc' from its suffix" in result.output
    result = run("table", "poverty", "--format", "md", "--out", str(tmp_path / "t.csv"))
    assert result.exit_code == 1 and "change --out to t.md, or drop --format to write csv" in result.output


def test_help_lists_commands():
    result = run("--help")
    assert "chart" in result.output and "table" in result.output
    for cmd in ("chart", "table"):
        assert "Example:" in run(cmd, "--help").output
