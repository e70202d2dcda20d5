"""The ``[statbank]`` mapping resolved against tableinfo: what it finds, and how it refuses."""

from __future__ import annotations

import pytest

from udsattestat.statbank.mapping import Mapping, resolve
from udsattestat.statbank.resolved import TableShapeError
from udsattestat.statbank.tableinfo import TableInfo


def var(vid, text, values, *, elimination=True, time=False, map_=None):
    v = {"id": vid, "text": text, "elimination": elimination, "time": time,
         "values": [{"id": c, "text": t} for c, t in values]}
    if map_:
        v["map"] = map_
    return v


AREAS = [("000", "Hele landet"), ("081", "Region Nordjylland"), ("084", "Region Hovedstaden"),
         ("101", "København"), ("147", "Frederiksberg"), ("851", "Aalborg")]


def info(*variables, table="TEST1"):
    return TableInfo.from_json({
        "id": table, "text": "Test", "unit": "Antal", "updated": "2025-01-01T08:00:00",
        "variables": [*variables, var("Tid", "tid", [("2000", "2000"), ("2001", "2001"), ("2002", "2002")],
                                      elimination=False, time=True)],
    })


def test_geo_by_id_regions_left_out_whole_country_recoded():
    m = Mapping.parse({"table": "TEST1", "unit": "persons", "since": 2001,
                       "dimensions": {"geo": {"variable": "KOMMUNEDK", "codes": "*", "exclude": "^Region",
                                              "recode": {"DK": {"text": "^hele landet$"}}, "count": 4}}})
    res = resolve(m, info(var("KOMMUNEDK", "kommune", AREAS)), indicator="x", declared={}, table_unit="persons")
    assert res.selection == {"KOMMUNEDK": ["000", "101", "147", "851"], "Tid": ["2001", "2002"]}
    assert res.recodes == {"geo": {"000": "DK"}} and res.geo_variable == "KOMMUNEDK"
    assert res.columns == {"KOMMUNEDK": "_geo"}


def test_a_count_mismatch_fails_naming_both_numbers():
    m = Mapping.parse({"table": "TEST1", "unit": "persons",
                       "dimensions": {"geo": {"variable": "KOMMUNEDK", "codes": "*", "exclude": "^Region", "count": 99}}})
    with pytest.raises(TableShapeError, match="KOMMUNEDK gives 4 codes for geo, the mapping expects 99"):
        resolve(m, info(var("KOMMUNEDK", "kommune", AREAS)), indicator="x", declared={}, table_unit="persons")


def test_variable_found_by_text_when_the_id_differs():
    m = Mapping.parse({"table": "TEST1", "unit": "deaths",
                       "dimensions": {"cause": {"variable": "AARSAG", "text": "årsag|cause", "codes": "*"}}})
    res = resolve(m, info(var("ÅRSAG", "dødsårsag", [("TOT", "I alt"), ("A01", "Infektioner")])),
                  indicator="x", declared={}, table_unit="deaths")
    assert res.selection["ÅRSAG"] == ["TOT", "A01"]


def test_missing_variable_lists_what_the_table_has():
    m = Mapping.parse({"table": "TEST1", "unit": "deaths", "dimensions": {"cause": {"variable": "AARSAG"}}})
    with pytest.raises(TableShapeError) as exc:
        resolve(m, info(var("ÅRSAG", "dødsårsag", [("TOT", "I alt")])), indicator="deaths-by-cause",
                declared={"cause": ["TOT"]}, table_unit="deaths")
    text = str(exc.value)
    assert "expected one cause variable (id AARSAG), found 0 among ÅRSAG (dødsårsag), Tid (tid); did you mean 'ÅRSAG'?" in text
    # the key it concerns, for its line in dataset.toml (udsattestat.statbank.mapping_check)
    assert exc.value.key == ("statbank", "dimensions", "cause", "variable")


def test_fixed_code_by_text_and_unmapped_required_variable():
    m = Mapping.parse({"table": "TEST1", "unit": "deaths", "fixed": {"ALDER": {"text": "i alt|total"}}})
    table = info(var("ALDER", "alder", [("IALT", "Alder i alt"), ("0", "0 år")]),
                 var("KØN", "køn", [("TOT", "I alt"), ("1", "Mænd")], elimination=False))
    with pytest.raises(TableShapeError, match="variable KØN .* must be selected but the mapping does not say how"):
        resolve(m, table, indicator="x", declared={}, table_unit="deaths")
    m = Mapping.parse({"table": "TEST1", "unit": "deaths",
                       "fixed": {"ALDER": {"text": "i alt|total"}, "KØN": "TOT"}})
    res = resolve(m, table, indicator="x", declared={}, table_unit="deaths")
    assert res.fixed["ALDER"] == {"code": "IALT", "label": "Alder i alt", "by": "mapping"}
    assert res.selection == {"ALDER": ["IALT"], "KØN": ["TOT"], "Tid": ["*"]}


def test_ambiguous_text_is_refused_not_guessed():
    m = Mapping.parse({"table": "TEST1", "unit": "deaths", "fixed": {"ALDER": {"text": "alder"}}})
    table = info(var("ALDER", "alder", [("IALT", "Alder i alt"), ("X", "Alder uoplyst")]))
    with pytest.raises(TableShapeError, match="expected one ALDER value in ALDER .*found 2"):
        resolve(m, table, indicator="x", declared={}, table_unit="deaths")


def test_eliminable_unmapped_variables_are_eliminated_and_recorded():
    m = Mapping.parse({"table": "TEST1", "unit": "persons", "dimensions": {"age": {"variable": "ALDER"}}})
    table = info(var("ALDER", "alder", [("TOT", "I alt"), ("0017", "0-17 år")]),
                 var("KØN", "køn", [("TOT", "I alt")]))
    res = resolve(m, table, indicator="x", declared={"age": ["0017"]}, table_unit="persons")
    assert res.selection == {"ALDER": ["0017"], "Tid": ["*"]} and res.eliminated == ["KØN"]


def test_several_tables_each_with_its_unit():
    m = Mapping.parse({"tables": {"ifor12a": "persons", "IFOR12P": "percent"}})
    assert m.tables == {"IFOR12A": "persons", "IFOR12P": "percent"} and m.unit_variable is None
