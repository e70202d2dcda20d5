"""SDMX-CSV parsing: Eurostat's header, flags and CONF_STATUS, labels=both, missing cells,
and agreement with the JSON-stat parser on the same cube."""

from __future__ import annotations

import json

import pytest
from eurostat_fixtures import ilc_li02_new

from udsattestat.eurostat import jsonstat, sdmxcsv, tidy
from udsattestat.eurostat.sdmxcsv import SdmxCsvError

HEADER = "DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
ROWS = (
    "ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,DK,2022,12.1,b,\n"
    "ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,DK,2023,12.4,,\n"
    "ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,SE,2022,,,C\n"
    "ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,SE,2023,,,\n"
    "ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,EE,2023,14.1,bu,F\n"
    "ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,EE,2024,,:,\n"
)


def rows(cube):
    return {(r["geo"], r["TIME_PERIOD"]): (r["value"], r["flags"], r["status"]) for r in cube.observations.iter_rows(named=True)}


def test_eurostat_sdmx_csv():
    cube = sdmxcsv.parse((HEADER + ROWS).encode())
    assert cube.ids == ["freq", "unit", "geo", "TIME_PERIOD"]
    assert rows(cube) == {
        ("DK", "2022"): (12.1, "b", "break"),
        ("DK", "2023"): (12.4, None, "published"),
        ("SE", "2022"): (None, "|C", "suppressed"),  # CONF_STATUS=C
        ("EE", "2023"): (14.1, "bu", "low_reliability"),
        ("EE", "2024"): (None, ":", "omitted"),
    }  # SE 2023: no value, no flag -> no row
    frame = tidy.tidy(cube, indicator="x", vintage="v", vintage_date=None, source="s")
    assert set(frame["period"]) == {"2022", "2023", "2024"} and frame["period_start"].null_count() == 0


def test_labels_both_are_split():
    text = HEADER + "ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A:Annual,PC:Percentage,DK:Denmark,2022,12.1,b,\n"
    cube = sdmxcsv.parse(text.encode("utf-8-sig"))
    assert cube.dimension("geo").labels == ("Denmark",)
    assert cube.observations["geo"].to_list() == ["DK"]


def test_same_cube_as_jsonstat():
    doc = json.loads(ilc_li02_new())
    cube = jsonstat.parse(doc)
    lines = ["DATAFLOW,LAST UPDATE," + ",".join(i if i != "time" else "TIME_PERIOD" for i in cube.ids) + ",OBS_VALUE,OBS_FLAG,CONF_STATUS"]
    for r in cube.observations.iter_rows(named=True):
        value = "" if r["value"] is None else repr(r["value"])
        lines.append(",".join(["ESTAT:ILC_LI02(1.0)", "x", *(r[i] for i in cube.ids), value, r["flags"] or "", ""]))
    csv_cube = sdmxcsv.parse("\n".join(lines).encode())
    a = tidy.tidy(cube, indicator="x", vintage="v", vintage_date=None, source="s").select("geo", "period", "value", "flags", "status").sort("geo", "period")
    b = tidy.tidy(csv_cube, indicator="x", vintage="v", vintage_date=None, source="s").select("geo", "period", "value", "flags", "status").sort("geo", "period")
    assert a.equals(b)


@pytest.mark.parametrize(
    "body, message",
    [
        (b"a,b\n1,2\n", "no TIME_PERIOD and OBS_VALUE columns"),
        ((HEADER + "ESTAT:X,x,A,PC,DK,2022,12;1,,\n").encode(), "OBS_VALUE '12;1' is not a number"),
    ],
)
def test_bad_files(body, message):
    with pytest.raises(SdmxCsvError, match=message):
        sdmxcsv.parse(body)
