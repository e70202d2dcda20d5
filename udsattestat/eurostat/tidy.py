"""A :class:`~.cube.Cube` in udsattestat's tidy schema (:mod:`udsattestat.schema`).

The time dimension becomes the period columns, the geo dimension ``geo``/``geo_label``, a
``unit`` dimension the unit; per-period and per-flag columns are made once per distinct code
and joined, never per row. With ``encoded=True`` the text columns stay dictionary-encoded
(polars Categorical, as the cube holds them): a large fetch is written to Parquet without
ever spelling a code or label out a million times (``eurostat fetch``).
"""

from __future__ import annotations

from .cube import Cube, JsonStatError
from .flags import describe_flags


def tidy(
    cube: Cube,
    *,
    indicator: str,
    vintage: str,
    vintage_date: str | None,
    source: str,
    source_locator: str | None = None,
    unit: str | None = None,
    drop: tuple[str, ...] = ("freq",),
    encoded: bool = False,
):
    """The cube in udsattestat's tidy schema (udsattestat.schema), plus a trailing ``flags`` column.

    The time dimension becomes ``period`` (with ``freq``/``period_start``/``period_end``
    from :func:`udsattestat.periods.parse_period`), the geo dimension ``geo``/``geo_label``,
    a ``unit`` dimension the ``unit`` column (else ``unit`` is used for every row); every
    other dimension stays as a code and a label column. ``drop`` names dimensions the period
    already says (Eurostat's ``freq``). Flagged rows get a note spelling the flags out.

    ``encoded``: the text columns as polars Categorical instead of String (same values).
    """
    import polars as pl

    from ..periods import PeriodError, parse_period
    from ..schema import polars_schema

    obs = cube.observations
    time_dim = cube.role("time", ("time", "TIME_PERIOD"))
    if time_dim is None:
        raise JsonStatError(f"no time dimension among {', '.join(cube.ids)}")
    geo_dim = cube.role("geo", ("geo",))
    unit_dim = "unit" if "unit" in cube.ids else None
    if unit_dim is None and unit is None:
        raise JsonStatError("no 'unit' dimension and no unit given")
    dims = [i for i in cube.ids if i not in (time_dim, geo_dim, unit_dim, *drop)]
    text = pl.Categorical if encoded else pl.String

    # Few distinct periods and flag strings: each is read once, and the rows look theirs up.
    periods = {}
    for code in obs[time_dim].unique().drop_nulls().cast(pl.String).to_list():
        try:
            periods[code] = parse_period(code)
        except PeriodError as exc:
            raise JsonStatError(str(exc)) from None
    meanings = cube.flag_labels()
    flag_strings = obs["flags"].unique().drop_nulls().cast(pl.String).to_list()
    codes = list(periods)

    def per_period(values, dtype):
        return pl.col(time_dim).replace_strict(codes, values, return_dtype=dtype)

    def const(value, dtype):
        return pl.lit(value, dtype=dtype)

    columns = [
        const(indicator, text).alias("indicator"),
        pl.col(time_dim).alias("period"),
        per_period([p.freq for p in periods.values()], text).alias("freq"),
        per_period([p.start for p in periods.values()], pl.Date).alias("period_start"),
        per_period([p.end for p in periods.values()], pl.Date).alias("period_end"),
        (pl.col(geo_dim) if geo_dim else const(None, text)).alias("geo"),
        (pl.col(f"{geo_dim}_label") if geo_dim else const(None, text)).alias("geo_label"),
        *[pl.col(c) for d in dims for c in (d, f"{d}_label")],
        pl.col("value"),
        const(None, pl.Float64).alias("value_low"),
        const(None, pl.Float64).alias("value_high"),
        const(None, pl.Float64).alias("precision"),  # Eurostat's values are as published
        (pl.col(unit_dim) if unit_dim else const(unit, text)).alias("unit"),
        pl.col("status"),
        const("V", text).alias("confidence"),  # the producer's own release
        const(vintage, text).alias("vintage"),
        const(vintage_date, text).alias("vintage_date"),
        const(source, text).alias("source"),
        const(source_locator, text).alias("source_locator"),
        pl.col("flags").replace_strict(flag_strings, [describe_flags(f, meanings) for f in flag_strings],
                                       default=None, return_dtype=text).alias("note"),
        pl.col("flags"),
    ]
    schema = {c: (text if t == pl.String else t) for c, t in {**polars_schema(dims), "flags": pl.String}.items()}
    return (
        obs.lazy()
        .select(columns)
        .select([pl.col(c).cast(t) for c, t in schema.items()])
        .collect()  # rows stay in the cube's storage order: deterministic, and no sort to pay for
    )
