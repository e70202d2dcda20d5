"""JSON-stat 2.0 parsing: the documented Eurostat shape, every flag, every malformation,
and a property test that round-trips generated cubes through every allowed encoding."""

from __future__ import annotations

import json
import math
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from udsattestat.eurostat import flags as flag_rules
from udsattestat.eurostat.flags import status_for
from udsattestat.eurostat.jsonstat import JsonStatError, parse
from udsattestat.eurostat.tidy import tidy
from udsattestat.schema import STATUSES


def eurostat_doc(**over):
    """A response in the exact shape of Eurostat's API (sparse value/status, index objects)."""
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "At-risk-of-poverty rate",
        "source": "ESTAT",
        "updated": "2026-02-06T23:00:00+0100",
        "value": {"0": 12.4, "1": 12.7, "3": 16.1, "5": 17.0},
        "status": {"1": "b", "2": "c", "5": "bu"},
        "id": ["freq", "unit", "sex", "geo", "time"],
        "size": [1, 1, 1, 2, 3],
        "dimension": {
            "freq": {"label": "Time frequency", "category": {"index": {"A": 0}, "label": {"A": "Annual"}}},
            "unit": {"label": "Unit of measure", "category": {"index": {"PC": 0}, "label": {"PC": "Percentage"}}},
            "sex": {"label": "Sex", "category": {"index": {"T": 0}, "label": {"T": "Total"}}},
            "geo": {
                "label": "Geopolitical entity",
                "category": {"index": {"DK": 0, "SE": 1}, "label": {"DK": "Denmark", "SE": "Sweden"}},
            },
            "time": {
                "label": "Time",
                "category": {"index": {"2021": 0, "2022": 1, "2023": 2}, "label": {"2021": "2021", "2022": "2022", "2023": "2023"}},
            },
        },
        "extension": {"status": {"label": {"b": "break in time series", "c": "confidential", "u": "low reliability"}}},
    }
    doc.update(over)
    return doc


def rows(cube):
    return {(r["geo"], r["time"]): (r["value"], r["flags"], r["status"]) for r in cube.observations.iter_rows(named=True)}


def test_documented_shape_decodes_row_major():
    cube = parse(json.dumps(eurostat_doc()).encode())
    assert cube.ids == ["freq", "unit", "sex", "geo", "time"]
    assert rows(cube) == {
        ("DK", "2021"): (12.4, None, "published"),
        ("DK", "2022"): (12.7, "b", "break"),
        ("DK", "2023"): (None, "c", "suppressed"),  # confidential: a row, with no value
        ("SE", "2021"): (16.1, None, "published"),
        # SE 2022 (cell 4) is missing: no value, no flag, no row
        ("SE", "2023"): (17.0, "bu", "low_reliability"),
    }
    assert cube.dimension("geo").label_of("SE") == "Sweden"
    assert cube.updated == "2026-02-06T23:00:00+0100"


def test_tidy_has_the_columns_a_ranking_needs():
    cube = parse(eurostat_doc())
    frame = tidy(cube, indicator="poverty-eu", vintage="v1", vintage_date="2026-02-06", source="eurostat-ilc_li02")
    for col in ("geo", "geo_label", "period", "value", "unit", "status", "flags", "sex", "sex_label"):
        assert col in frame.columns
    assert "freq_label" not in frame.columns  # freq is what the period already says
    assert frame.columns[-1] == "flags"
    se = frame.filter(frame["geo"] == "SE").sort("period")
    assert se["period"].to_list() == ["2021", "2023"]
    assert se["freq"].to_list() == ["A", "A"]
    assert se["unit"].to_list() == ["PC", "PC"]
    assert se["note"].to_list()[1] == "flag b: break in time series; flag u: low reliability"
    assert set(frame["status"].to_list()) <= set(STATUSES)


@pytest.mark.parametrize(
    "flags, status",
    [
        ("e", "estimated"),
        ("p", "provisional"),
        ("b", "break"),
        ("u", "low_reliability"),
        ("c", "suppressed"),
        ("n", "low_reliability"),
        ("s", "estimated"),
        ("d", "published"),  # definition differs: kept in flags, no status of its own
        ("r", "published"),
        ("bu", "low_reliability"),
        ("ub", "low_reliability"),
        ("ep", "provisional"),
        ("be", "break"),
        ("cb", "suppressed"),
        ("", "published"),
        (None, "published"),
    ],
)
def test_every_flag_maps_to_a_known_status(flags, status):
    assert status_for(flags) == status
    assert status in STATUSES


def test_cell_without_value_is_suppressed_only_when_confidential():
    assert status_for("c", has_value=False) == "suppressed"
    assert status_for(":", has_value=False) == "omitted"
    assert status_for("z", has_value=False) == "omitted"


def test_every_flag_letter_is_kept_verbatim():
    doc = eurostat_doc(value={str(i): float(i) for i in range(6)}, status={"0": "e", "1": "p", "2": "b", "3": "u", "4": "n", "5": "bu"})
    frame = tidy(parse(doc), indicator="x", vintage="v", vintage_date=None, source="s")
    assert sorted(frame["flags"].to_list()) == ["b", "bu", "e", "n", "p", "u"]
    assert frame.height == 6


@pytest.mark.parametrize(
    "form",
    ["index-list", "value-list", "status-string", "no-index-single", "no-labels"],
)
def test_alternative_encodings(form):
    doc = eurostat_doc()
    if form == "index-list":
        for d in doc["dimension"].values():
            d["category"]["index"] = list(d["category"]["index"])
    elif form == "value-list":
        doc["value"] = [12.4, 12.7, None, 16.1, None, 17.0]
        doc["status"] = [None, "b", "c", None, None, "bu"]
    elif form == "status-string":
        doc["status"] = "p"
    elif form == "no-index-single":
        del doc["dimension"]["freq"]["category"]["index"]
    elif form == "no-labels":
        del doc["dimension"]["geo"]["category"]["label"]
    cube = parse(doc)
    got = rows(cube)
    if form == "status-string":
        assert {v[2] for v in got.values()} == {"provisional"}
        assert len(got) == 4
    else:
        assert got[("SE", "2023")] == (17.0, "bu", "low_reliability")
    if form == "no-labels":
        assert cube.dimension("geo").labels == ("DK", "SE")


def test_role_names_the_time_and_geo_dimension():
    doc = eurostat_doc()
    doc["dimension"]["TIME_PERIOD"] = doc["dimension"].pop("time")
    doc["dimension"]["area"] = doc["dimension"].pop("geo")
    doc["id"] = ["freq", "unit", "sex", "area", "TIME_PERIOD"]
    doc["role"] = {"time": ["TIME_PERIOD"], "geo": ["area"]}
    frame = tidy(parse(doc), indicator="x", vintage="v", vintage_date=None, source="s")
    assert sorted(set(frame["geo"].to_list())) == ["DK", "SE"]
    assert "area" not in frame.columns


def test_eurostat_period_forms():
    doc = eurostat_doc()
    doc["dimension"]["time"]["category"] = {"index": {"2025-Q1": 0, "2025-03": 1, "2025-S1": 2}}
    frame = tidy(parse(doc), indicator="x", vintage="v", vintage_date=None, source="s")
    assert dict(zip(frame["period"], frame["freq"], strict=True)) == {"2025-Q1": "Q", "2025-03": "M", "2025-S1": "H"}
    doc["dimension"]["time"]["category"] = {"index": {"2025-W01": 0, "2025": 1, "2024": 2}}
    frame = tidy(parse(doc), indicator="x", vintage="v", vintage_date=None, source="s")
    assert set(frame["freq"]) == {"W", "A"}


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.update(size=[1, 1, 1, 2]), "'id' has 5 entries but 'size' has 4"),
        (lambda d: d.update(value={"6": 1.0}), "outside the cube of 6 cells"),
        (lambda d: d.update(value={"x": 1.0}), "is not a cell index"),
        (lambda d: d.update(value={"0": "12,4"}), "not a number"),
        (lambda d: d.update(value=[1.0, 2.0]), "is a list of 2 but the cube has 6 cells"),
        (lambda d: d["dimension"].pop("sex"), "not described in 'dimension'"),
        (lambda d: d["dimension"]["geo"]["category"]["index"].update(FI=2), "bad position 2"),
        (lambda d: d.update(size=[1, 1, 1, 3, 3]), "has 2 categories but size 3"),
        (lambda d: d.update({"class": "collection"}), "only 'dataset'"),
        (lambda d: d.update(version="1.0"), "only JSON-stat 2.x"),
        (lambda d: d.pop("id"), "'id', 'size' and 'dimension' are required"),
        (lambda d: d.update(size=[1, 1, 1, "2", 3]), "'size' must list whole numbers"),
        (lambda d: d.update(id=["freq", "unit", "sex", "geo", "geo"]), "names a dimension twice"),
    ],
)
def test_malformed_documents_raise_one_clear_error(mutate, message):
    doc = eurostat_doc()
    mutate(doc)
    with pytest.raises(JsonStatError, match="not a readable JSON-stat 2.0 dataset") as exc:
        parse(doc)
    assert message in str(exc.value)


@pytest.mark.parametrize("body", [b"<html>Service unavailable</html>", b"[1, 2]", b"\xff\xfe"])
def test_non_json_bodies(body):
    with pytest.raises(JsonStatError):
        parse(body)


def test_bad_time_code_is_reported():
    doc = eurostat_doc()
    doc["dimension"]["time"]["category"] = {"index": {"2021": 0, "someday": 1, "2023": 2}}
    with pytest.raises(JsonStatError, match="someday"):
        tidy(parse(doc), indicator="x", vintage="v", vintage_date=None, source="s")


# --- property test: any cube, any allowed encoding, decodes to exactly its cells ---------

codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=1, max_size=6)
flag_text = st.sampled_from(["e", "p", "b", "u", "c", "n", "bu", "ep", "d", "s"])


@st.composite
def cubes(draw):
    ndim = draw(st.integers(1, 4))
    dims = []
    for i in range(ndim):
        cats = draw(st.lists(codes, min_size=1, max_size=4, unique=True))
        dims.append((f"d{i}", cats))
    cells = list(product(*[c for _, c in dims]))
    values = draw(st.dictionaries(st.integers(0, len(cells) - 1), st.floats(-1e9, 1e9, allow_nan=False), max_size=len(cells)))
    flags = draw(st.dictionaries(st.integers(0, len(cells) - 1), flag_text, max_size=len(cells)))
    return dims, cells, values, flags


def encode(dims, values, flags, *, index_as_list, dense):
    total = math.prod(len(c) for _, c in dims)
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": [d for d, _ in dims],
        "size": [len(c) for _, c in dims],
        "dimension": {
            d: {"category": {"index": list(c) if index_as_list else {k: i for i, k in enumerate(c)},
                             "label": {k: f"{k} label" for k in c}}}
            for d, c in dims
        },
    }
    if dense:
        doc["value"] = [values.get(i) for i in range(total)]
        doc["status"] = [flags.get(i) for i in range(total)]
    else:
        doc["value"] = {str(k): v for k, v in values.items()}
        doc["status"] = {str(k): v for k, v in flags.items()}
    return json.dumps(doc).encode()


@settings(max_examples=150, deadline=None)
@given(cubes(), st.booleans(), st.booleans())
def test_round_trip_generated_cube(cube, index_as_list, dense):
    dims, cells, values, flags = cube
    parsed = parse(encode(dims, values, flags, index_as_list=index_as_list, dense=dense))
    got = {
        tuple(r[d] for d, _ in dims): (r["value"], r["flags"], r["status"])
        for r in parsed.observations.iter_rows(named=True)
    }
    expected = {
        cells[i]: (values.get(i), flags.get(i), status_for(flags.get(i), i in values))
        for i in sorted(values.keys() | flags.keys())
    }
    assert got == expected
    assert parsed.observations.height == len(expected)
    for d, _ in dims:
        labels = parsed.observations[f"{d}_label"].to_list()
        assert labels == [f"{code} label" for code in parsed.observations[d].to_list()]


def test_sparse_cost_follows_observations_not_cube_size():
    # 10 dimensions of 10 codes = 10^10 cells; three observations must parse instantly.
    dims = [(f"d{i}", [f"C{j}" for j in range(10)]) for i in range(10)]
    doc = json.loads(encode(dims, {0: 1.0, 10**10 - 1: 2.0, 12345: 3.0}, {12345: "e"}, index_as_list=False, dense=False))
    cube = parse(doc)
    assert cube.observations.height == 3
    last = cube.observations.filter(cube.observations["value"] == 2.0).row(0, named=True)
    assert all(last[f"d{i}"] == "C9" for i in range(10))
    mid = cube.observations.filter(cube.observations["value"] == 3.0).row(0, named=True)
    assert [mid[f"d{i}"] for i in range(10)] == ["C0"] * 5 + ["C1", "C2", "C3", "C4", "C5"]


def test_flag_meanings_cover_the_documented_letters():
    for letter in "epbucn":
        assert letter in flag_rules.FLAG_MEANINGS


def test_rows_keep_storage_order_run_after_run():
    # Joins inside parse/tidy must not reorder rows: the same bytes give the same frame.
    dims = [("geo", [f"G{i}" for i in range(30)]), ("time", [str(2000 + i) for i in range(30)])]
    values = {i: float(i) for i in range(0, 900, 2)}
    flags = {i: "bep"[i % 3] for i in range(0, 900, 3)}
    data = encode(dims, values, flags, index_as_list=False, dense=False)
    first = tidy(parse(data), indicator="x", vintage="v", vintage_date=None, source="s", unit="NR")
    assert first["value"].drop_nulls().to_list() == sorted(first["value"].drop_nulls().to_list())
    for _ in range(5):
        assert tidy(parse(data), indicator="x", vintage="v", vintage_date=None, source="s", unit="NR").equals(first)


@given(st.text(alphabet="bcdefinpsuz:", max_size=6), st.booleans())
def test_status_ignores_letter_order_and_follows_precedence(flags, has_value):
    status = status_for(flags, has_value)
    assert status == status_for("".join(reversed(flags)), has_value)
    assert status in STATUSES
    mapped = {flag_rules.FLAG_STATUS[ch] for ch in flags if ch in flag_rules.FLAG_STATUS}
    if "c" in flags:
        assert status == "suppressed"
    elif not has_value:
        assert status == "omitted"
    elif mapped:
        assert status == next(s for s in flag_rules.STATUS_PRECEDENCE if s in mapped)
    else:
        assert status == "published"
