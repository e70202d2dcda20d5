"""The tidy long table every indicator shares (see docs/data-model.md).

Order: the leading core columns, then the indicator's own dimensions (each code column
followed by its ``<dim>_label``), then the trailing core columns.
"""

from __future__ import annotations

LEADING = ("indicator", "period", "freq", "period_start", "period_end", "geo", "geo_label")
#: The value and the interval it may be published as instead (``value`` empty, ``value_low`` to
#: ``value_high``): the columns that hold numbers in the row's unit.
VALUE_COLUMNS = ("value", "value_low", "value_high")
TRAILING = (
    *VALUE_COLUMNS,
    "precision",
    "unit",
    "status",
    "confidence",
    "vintage",
    "vintage_date",
    "source",
    "source_locator",
    "note",
)
CORE = LEADING + TRAILING
#: The one dimension every table has, the area (``geo``), in words.
GEO_LABEL = {"da": "Område", "en": "Area"}

#: ``published``: as the producer published it; ``suppressed``: withheld by the producer
#: (StatBank ``..``, Eurostat ``c``); ``omitted``: left out of a streamed response and
#: restored on request; ``uncertain``: sources conflict or are weak; ``approximate``: only a
#: rounded figure is published ("knap 200.000", "ca. 60.000"); ``estimated``,
#: ``provisional``, ``break``, ``low_reliability``: Eurostat's observation flags.
STATUSES = (
    "published",
    "suppressed",
    "omitted",
    "uncertain",
    "approximate",
    "estimated",
    "provisional",
    "break",
    "low_reliability",
)

#: How sure the value is (published-figures.md): V read in the publication, S read in a
#: secondary source quoting it, D derived by arithmetic from V/S values, U uncertain.
#: Values from an API carry ``V`` (the producer's own release).
CONFIDENCES = ("V", "S", "D", "U")


def polars_schema(dims: list[str]):
    """The polars schema of a tidy table with the given dimension ids."""
    import polars as pl

    cols: dict[str, object] = {
        "indicator": pl.String,
        "period": pl.String,
        "freq": pl.String,
        "period_start": pl.Date,
        "period_end": pl.Date,
        "geo": pl.String,
        "geo_label": pl.String,
    }
    for dim in dims:
        cols[dim] = pl.String
        cols[f"{dim}_label"] = pl.String
    cols.update(
        {
            "value": pl.Float64,
            "value_low": pl.Float64,
            "value_high": pl.Float64,
            "precision": pl.Float64,
            "unit": pl.String,
            "status": pl.String,
            "confidence": pl.String,
            "vintage": pl.String,
            "vintage_date": pl.String,
            "source": pl.String,
            "source_locator": pl.String,
            "note": pl.String,
        }
    )
    return cols


def dimension_columns(columns: list[str]) -> list[str]:
    """The indicator's own dimension ids in a tidy table (core and label columns left out)."""
    names = set(columns)
    return [
        c
        for c in columns
        if c not in CORE and not c.endswith("_label") and f"{c}_label" in names
    ]
