"""Selecting rows of a tidy table: ``--where DIM=CODE,CODE`` and period bounds.

Unknown dimensions and codes are errors that name the valid ones, so a typo never turns
into an empty chart.
"""

from __future__ import annotations

from .errors import SelectionError
from .periods import PeriodError, parse_period
from .schema import dimension_columns


def parse_where(items: tuple[str, ...] | list[str]) -> dict[str, list[str]]:
    where: dict[str, list[str]] = {}
    for item in items:
        dim, sep, codes = item.partition("=")
        if not sep or not dim.strip() or not codes.strip():
            raise SelectionError(f"cannot read --where {item!r}; write DIM=CODE or DIM=CODE1,CODE2")
        where.setdefault(dim.strip(), []).extend(c.strip() for c in codes.split(",") if c.strip())
    return where


def selectable_dims(frame) -> list[str]:
    return ["geo", *dimension_columns(frame.columns), "unit", "vintage"]


def apply_where(frame, where: dict[str, list[str]]):
    import polars as pl

    dims = selectable_dims(frame)
    for dim, codes in where.items():
        if dim not in dims:
            raise SelectionError(f"unknown dimension {dim!r}; this indicator has: {', '.join(dims)}")
        valid = sorted(set(frame[dim].drop_nulls().to_list()))
        bad = [c for c in codes if c not in valid]
        if bad:
            raise SelectionError(
                f"unknown code {bad[0]!r} for {dim}; valid codes: {', '.join(valid)}"
            )
        frame = frame.filter(pl.col(dim).is_in(codes))
    return frame


def apply_period_bounds(frame, since: str | None = None, until: str | None = None):
    import polars as pl

    if frame.is_empty():
        return frame
    first, last = frame["period_start"].min(), frame["period_end"].max()
    for name, code in (("--since", since), ("--until", until)):
        if code is None:
            continue
        try:
            p = parse_period(code)
        except PeriodError as exc:
            raise SelectionError(f"{name}: {exc}") from None
        if p.end < first or p.start > last:
            raise SelectionError(
                f"{name} {code} is outside the data, which cover {frame['period'].min()}–{frame['period'].max()}"
            )
        if name == "--since":
            frame = frame.filter(pl.col("period_end") >= p.start)
        else:
            frame = frame.filter(pl.col("period_start") <= p.end)
    return frame


def check_not_empty(frame, what: str = "selection"):
    if frame.is_empty():
        raise SelectionError(f"the {what} is empty; loosen --where/--since/--until")
    return frame
