"""Adding codes only where the dataset says they add up (udsattestat.sums): ``A+B`` in
``--where`` is one summed series in show, table (--change too) and chart alike, and a sum of
overlapping codes (a total and its parts, DODA1's A23X inside the A-groups, nested
categories, shares) is refused with the reason. SYNTHETIC DODA1 fixture on a loopback server."""

from __future__ import annotations

import json

import pytest


def serve_doda1(statbank):
    statbank.tableinfo("DODA1", "da")
    statbank.serve_table("DODA1", "doda1_data_da.csv")


def doda1_rows():
    from conftest import fixture_bytes

    text = fixture_bytes("statbank", "doda1_data_da.csv").decode("utf-8-sig")
    return {tuple(line.split(";")[:4]): float(line.split(";")[4]) for line in text.split("\r\n")[1:] if line}


def test_a_sum_of_groups_that_add_up_is_one_series_asked_for_as_its_parts(statbank, runner, cli):
    serve_doda1(statbank)
    res = runner.invoke(cli, ["show", "deaths-by-cause", "--live", "--where", "cause=A01+A02", "--where", "sex=TOT",
                              "--since", "2020", "--until", "2021", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    data = doda1_rows()
    assert [(r["period"], r["cause"], r["value"]) for r in rows] == [
        (y, "A01+A02", data[("A01", "TOT", "TOT", y)] + data[("A02", "TOT", "TOT", y)]) for y in ("2020", "2021")]
    assert rows[0]["cause_label"] == "A-01 Infektiøse inkl. parasitære sygdomme + A-02 Kræft"
    assert rows[0]["note"] == "summen af A01, A02 (udsattestat)" and rows[0]["source"] == "statbank-doda1"
    assert statbank.data_requests()[0]["variables"][0] == {"code": "ÅRSAG", "values": ["A01", "A02"]}


@pytest.mark.parametrize(("where", "why"), [
    ("cause=A01+A23X", "A23X is already counted inside other codes of cause (adds_up inside); adding it counts it twice"),
    ("cause=TOT+A01", "TOT is the total of cause, the sum of the other codes; adding it to them counts everything twice"),
])
@pytest.mark.parametrize("command", ["show", "table", "chart"])
def test_overlapping_causes_are_never_summed_in_any_view(statbank, runner, cli, tmp_path, where, why, command):
    serve_doda1(statbank)
    args = {"show": ["show"], "table": ["table", "--change", "2019:2021", "--out", str(tmp_path / "t.md")],
            "chart": ["chart", "--out", str(tmp_path / "c.svg")]}[command]
    res = runner.invoke(cli, [args[0], "deaths-by-cause", *args[1:], "--live", "--where", where, "--where", "sex=TOT",
                              "--quiet"] if command == "show" else
                        [args[0], "deaths-by-cause", *args[1:], "--live", "--where", where, "--where", "sex=TOT"])
    assert res.exit_code == 2, res.output
    assert f"Error: --where {where}: {why}" in res.output


def test_nested_categories_and_shares_are_never_summed(runner, cli):
    res = runner.invoke(cli, ["show", "poverty", "--where", "age=TOT+0017", "--where", "unit=persons"])
    assert res.exit_code == 2 and "the codes of age are nested or overlap (adds_up = false)" in res.output
    res = runner.invoke(cli, ["show", "poverty", "--where", "age=TOT+0017", "--where", "unit=percent"])
    assert res.exit_code == 2 and "values in percent do not add up" in res.output


def test_codes_whose_adding_up_is_not_declared_are_not_summed(runner, cli):
    res = runner.invoke(cli, ["show", "deaths-by-cause", "--where", "sex=1+2"])  # live only: refused first anyway
    assert res.exit_code == 2
    res = runner.invoke(cli, ["show", "homelessness", "--where", "situation=TOT+X"])
    assert res.exit_code == 2 and "unknown code 'X' for situation" in res.output


def test_a_sum_goes_through_table_change_and_chart_too(statbank, runner, cli, tmp_path):
    serve_doda1(statbank)
    md = tmp_path / "t.md"
    res = runner.invoke(cli, ["table", "deaths-by-cause", "--live", "--where", "cause=A01+A02,A03", "--where",
                              "sex=TOT", "--change", "2019:2021", "--out", str(md)])
    assert res.exit_code == 0, res.output
    data = doda1_rows()
    text = md.read_text("utf-8")
    total = data[("A01", "TOT", "TOT", "2021")] + data[("A02", "TOT", "TOT", "2021")]
    assert "A-01 Infektiøse inkl. parasitære sygdomme + A-02 Kræft" in text and f"{int(total):,}".replace(",", ".") in text
    svg = tmp_path / "c.svg"
    res = runner.invoke(cli, ["chart", "deaths-by-cause", "--live", "--offline", "--where", "cause=A01+A02",
                              "--where", "sex=TOT", "--out", str(svg)])
    assert res.exit_code == 0, res.output
    assert "A-02 Kræft" in svg.read_text("utf-8")
