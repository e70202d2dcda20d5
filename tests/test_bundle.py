"""The bundled datasets: values as published, and clear errors for damaged files."""

import pytest

from udsattestat.bundle import load_bundled
from udsattestat.catalog import indicator_ids
from udsattestat.errors import DatasetFileError


def totals(frame):
    import polars as pl

    return dict(
        frame.filter(
            (pl.col("geo") == "DK") & (pl.col("situation") == "TOT") & (pl.col("age") == "TOT")
            & (pl.col("population") == "COUNTED")
        ).select("period", "value").iter_rows()
    )


def test_catalogue_has_the_four_indicators():
    assert {"homelessness", "poverty", "drug-deaths", "udsathed-definitions"} <= set(indicator_ids())


def test_homelessness_counts_as_published():
    frame, prov, _ = load_bundled("homelessness", "da")
    t = totals(frame)
    assert t["2009"] == 4998 and t["2019"] == 6431 and t["2024"] == 5989
    assert "2021" not in t  # no count was made in 2021
    assert t["2019"] - t["2009"] == 1433
    assert prov.citations["vive-2019"]["publication"].startswith("Hjemløshed i Danmark 2019")


def test_every_row_cites_a_known_source_and_vintage():
    for ind in indicator_ids():
        frame, prov, _ = load_bundled(ind, "en")
        assert set(frame["source"]) <= set(prov.citations), ind
        assert set(frame["vintage"]) <= set(prov.vintages), ind
        assert frame["status"].null_count() == 0 and frame["confidence"].null_count() == 0


def test_drug_deaths_keep_every_vintage():
    import polars as pl

    frame, _, _ = load_bundled("drug-deaths", "en")
    police16 = frame.filter((pl.col("register") == "POLICE") & (pl.col("period") == "2016") & (pl.col("cause") == "TOT"))
    assert sorted(police16["value"].to_list()) == [276, 279]


def test_ranges_are_low_high_not_points():
    import polars as pl

    frame, _, _ = load_bundled("udsathed-definitions", "en")
    row = frame.filter((pl.col("approach") == "REGISTER_COMPLEX") & (pl.col("unit") == "persons")).row(0, named=True)
    assert row["value"] is None and (row["value_low"], row["value_high"]) == (70000, 100000)


def _break(folder, name, old, new):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "old,new,message,line",
    [
        ("2009,DK,COUNTED,TOT,TOT,4998", "2009,DK,COUNTED,TOT,TOT,4.998,5", "expected 17 fields", 3),  # the 16 columns and note_da
        ("2009,DK,COUNTED,TOT,TOT,4998", "2009,DK,COUNTED,TOT,TOT,4x98", "is not a number", 3),
        ("2009,DK,COUNTED,TOT,TOT", "2009,DK,COUNTED,NOPE,TOT", "situation code 'NOPE'", 3),
        ("2009,DK,COUNTED,TOT,TOT", "2009K9,DK,COUNTED,TOT,TOT", "cannot read time code", 3),
        ("persons,published,V,sfi-2009", "persons,invented,V,sfi-2009", "status 'invented'", 3),
        ("2011,DK,COUNTED,TOT,TOT,5290,,,,persons,published,V,sfi-2011", "2009,DK,COUNTED,TOT,TOT,5290,,,,persons,published,V,sfi-2009", "duplicate row", 4),
        ("period,geo", "periode,geo", "header is", 1),
    ],
)
def test_damaged_values_file_names_file_and_line(datasets_copy, old, new, message, line):
    _break(datasets_copy / "homelessness", "values.csv", old, new)
    with pytest.raises(DatasetFileError) as err:
        load_bundled("homelessness", "da")
    assert message in str(err.value)
    assert f"values.csv, line {line}:" in str(err.value)


def test_damaged_metadata_names_file(datasets_copy):
    _break(datasets_copy / "poverty", "dataset.toml", 'id = "poverty"', 'id = "poverty')
    with pytest.raises(DatasetFileError, match=r"dataset.toml, line 4: invalid TOML"):
        load_bundled("poverty", "da")
