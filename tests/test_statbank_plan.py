"""Planning a StatBank request from tableinfo: selection syntax, cell counts, CSV vs BULK, the cap."""

from __future__ import annotations

import json

import pytest
from conftest import fixture_bytes
from hypothesis import given
from hypothesis import strategies as st

from udsattestat.errors import SelectionError
from udsattestat.statbank.plan import (
    DEFAULT_CELL_CAP,
    cap_from_message,
    expand,
    load_cap,
    make_plan,
    parse_var_options,
    save_cap,
)
from udsattestat.statbank.tableinfo import TableInfo, Variable


@pytest.fixture
def folk1a():
    return TableInfo.from_json(json.loads(fixture_bytes("statbank", "folk1a_tableinfo_da.json")))


def quarters():
    codes = [f"{y}K{q}" for y in range(2008, 2026) for q in range(1, 5)]
    return Variable("Tid", "tid", False, True, tuple((c, c) for c in codes))


def test_expand_selection_syntax():
    tid = quarters()
    assert expand(tid, "*") == tid.codes
    assert expand(tid, "2020*") == ["2020K1", "2020K2", "2020K3", "2020K4"]
    assert expand(tid, "*K1")[:2] == ["2008K1", "2009K1"]
    assert expand(tid, ">=2010K1<=2010K4") == ["2010K1", "2010K2", "2010K3", "2010K4"]
    assert expand(tid, ">2025K2") == ["2025K3", "2025K4"]
    assert expand(tid, "<2008K3") == ["2008K1", "2008K2"]
    assert expand(tid, "(1)") == ["2025K4"]
    assert expand(tid, "(-n+3)") == ["2025K2", "2025K3", "2025K4"]
    assert expand(tid, "2015k2") == ["2015K2"]  # case-insensitive like the API


def test_expand_errors_name_valid_codes():
    tid = quarters()
    with pytest.raises(SelectionError, match="Tid has no code '1999K1'; codes are 2008K1"):
        expand(tid, "1999K1")
    with pytest.raises(SelectionError, match="matches no code"):
        expand(tid, "1999*")
    with pytest.raises(SelectionError, match="selects nothing"):
        expand(tid, ">2025K4")


def test_parse_var_options():
    assert parse_var_options(["OMRÅDE=000,101", "Tid=2020*", "Tid=2021K1"]) == {
        "OMRÅDE": ["000", "101"], "Tid": ["2020*", "2021K1"]}
    with pytest.raises(SelectionError, match="write CODE=V1,V2"):
        parse_var_options(["OMRÅDE"])


def test_plan_counts_cells_and_picks_csv_under_the_cap(folk1a):
    plan = make_plan(folk1a, {"OMRÅDE": ["*"], "Tid": ["*"]}, lang="da")
    assert (plan.rows, plan.cells, plan.format) == (16, 48, "CSV")
    assert plan.eliminated == ["KØN", "ALDER", "CIVILSTAND"]
    assert plan.header == ["OMRÅDE", "TID", "INDHOLD"]
    assert plan.body()["valuePresentation"] == "Code"


def test_plan_switches_to_bulk_over_the_cap_and_fills_every_variable(folk1a):
    plan = make_plan(folk1a, {"OMRÅDE": ["*"], "Tid": ["*"]}, lang="da", cap=40)
    assert plan.format == "BULK"
    assert [v["code"] for v in plan.body()["variables"]] == ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "Tid"]
    assert plan.rows == 4 * 3 * 3 * 3 * 4 and plan.cells == plan.rows * 6
    assert plan.eliminated == []
    assert "BULK needs every variable" in plan.describe()


def test_plan_refuses_csv_forced_over_the_cap(folk1a):
    with pytest.raises(SelectionError, match="over the cap of 10 for CSV"):
        make_plan(folk1a, {"Tid": ["*"], "OMRÅDE": ["*"]}, lang="da", cap=10, force_format="CSV")


def test_plan_unknown_variable(folk1a):
    with pytest.raises(SelectionError, match="table FOLK1A has no variable 'REGION'; its variables are OMRÅDE, KØN"):
        make_plan(folk1a, {"REGION": ["*"]}, lang="da")


def test_plan_describe_is_readable(folk1a):
    text = make_plan(folk1a, {"OMRÅDE": ["000", "101"]}, lang="en").describe()
    assert "2 rows × 3 columns = 6 cells (cap for non-streaming formats: 1,000,000)" in text
    assert "Tid=(1)  → 1 value(s) (latest only; not selected)" in text
    assert "KØN: eliminated (summed by the API)" in text


def test_cap_read_from_request_limit_messages(tmp_path):
    da = ("Forespørgslen på op mod 6.224.652 celler er over begrænsningen på 1.000.000 celler for denne filtype. "
          "Anvend BULK eller andet streaming format i stedet.")
    assert cap_from_message(da) == 1_000_000
    assert cap_from_message("The request for up to 6,224,652 cells is above the limit of 500,000 cells for this format") == 500_000
    assert cap_from_message("something else") is None
    path = tmp_path / "limits.json"
    assert load_cap(path) == DEFAULT_CELL_CAP
    save_cap(path, 160_000, da)
    assert load_cap(path) == 160_000


@given(st.integers(min_value=1, max_value=10**9))
def test_cap_from_message_any_number(n):
    dotted = f"{n:,}".replace(",", ".")
    assert cap_from_message(f"Forespørgslen på op mod 1 celler er over begrænsningen på {dotted} celler for denne filtype.") == n
