"""Choosing among the vintages of revised figures.

Each row carries ``vintage`` (the release it comes from) and ``vintage_date`` (when that
release was published, as an ISO date at the precision known: ``2021``, ``2020-09``,
``2020-09-29``). Every vintage is kept; the default view is the latest per observation.
"""

from __future__ import annotations

import calendar
from datetime import date

from .errors import SelectionError
from .schema import dimension_columns


def observation_key(columns: list[str]) -> list[str]:
    """Columns that identify one observation across vintages."""
    return ["period", "geo", *dimension_columns(columns), "unit"]


def date_bounds(text: str | None) -> tuple[date, date] | None:
    """Earliest and latest day a partial ISO date can mean (``2021`` -> Jan 1, Dec 31)."""
    if not text:
        return None
    parts = [int(p) for p in str(text).split("-")]
    y = parts[0]
    if len(parts) == 1:
        return date(y, 1, 1), date(y, 12, 31)
    m = parts[1]
    if len(parts) == 2:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    d = date(y, m, parts[2])
    return d, d


def known_by(vintage_date: str | None, as_of: date) -> bool:
    """True when the release was certainly public on ``as_of``.

    Conservative: a release dated only ``2021`` is not taken as known on 2021-11-01,
    because it may have come out in December.
    """
    bounds = date_bounds(vintage_date)
    return bounds is not None and bounds[1] <= as_of


def _check_vintage(vintage: str, present) -> None:
    known = sorted(set(present))
    if vintage not in known:
        raise SelectionError(f"unknown vintage {vintage!r}; this indicator has: {', '.join(known)}")


def select_rows(rows: list[dict], columns: list[str], vintage: str = "latest") -> list[dict]:
    """:func:`select` (without ``as_of``) on tidy rows as dicts, in their order: no polars."""
    if vintage == "all":
        return rows
    if vintage != "latest":
        _check_vintage(vintage, [r["vintage"] for r in rows if r["vintage"] is not None])
        return [r for r in rows if r["vintage"] == vintage]
    key = observation_key(columns)
    best: dict[tuple, int] = {}
    for i, r in enumerate(rows):
        k = tuple(r[c] for c in key)
        j = best.get(k)
        # the latest release: dated after undated, then by date, then by id (as select() sorts)
        if j is None or _release(r) >= _release(rows[j]):
            best[k] = i
    return [rows[i] for i in sorted(best.values())]


def _release(row: dict) -> tuple:
    return (row["vintage_date"] is not None, row["vintage_date"] or "", row["vintage"] or "")


def select(frame, vintage: str = "latest", as_of: date | None = None, known: dict | None = None):
    """Rows of one view: ``latest`` (default), ``all``, a vintage id, or latest known by ``as_of``.

    ``known`` maps a vintage id to a date by which it was certainly public although its
    ``vintage_date`` is vaguer (e.g. a 2021 release cited by a report of November 2021);
    it comes from the ``known_by`` field of the dataset's vintages.
    """
    import polars as pl

    if vintage == "all" and as_of is None:
        return frame
    if vintage not in ("latest", "all"):
        _check_vintage(vintage, frame["vintage"].drop_nulls().to_list())
        return frame.filter(pl.col("vintage") == vintage)
    if as_of is not None:
        known = known or {}
        pairs = frame.select("vintage", "vintage_date").unique().iter_rows()
        public = [(v, d) for v, d in pairs if known_by(d, as_of) or known_by(known.get(v), as_of)]
        frame = frame.join(
            pl.DataFrame(public, schema={"vintage": pl.String, "vintage_date": pl.String}, orient="row"),
            on=["vintage", "vintage_date"], how="semi", nulls_equal=True, maintain_order="left",
        )
    key = observation_key(frame.columns)
    order = frame.with_row_index("_order")
    latest = (
        order.sort(["vintage_date", "vintage"], nulls_last=False)
        .group_by(key, maintain_order=True)
        .last()
        .sort("_order")
        .drop("_order")
        .select(frame.columns)
    )
    return latest
