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
        chosen = [c.strip() for c in codes.split(",") if c.strip()]
        # "geo=," names no code: refused, as an empty selection would silently select nothing
        if not sep or not dim.strip() or not chosen:
            raise SelectionError(f"cannot read --where {item!r}; write DIM=CODE or DIM=CODE1,CODE2")
        where.setdefault(dim.strip(), []).extend(chosen)
    return where


def selectable_dims(frame) -> list[str]:
    return ["geo", *dimension_columns(frame.columns), "unit", "vintage"]


def _check_codes(dim: str, codes: list[str], dims: list[str], valid: list[str]) -> None:
    if dim not in dims:
        raise SelectionError(f"unknown dimension {dim!r}; this indicator has: {', '.join(dims)}")
    bad = [c for c in codes if c not in valid]
    if bad:
        raise SelectionError(f"unknown code {bad[0]!r} for {dim}; valid codes: {', '.join(valid)}")


def _parts(codes: list[str]) -> list[str]:
    """Every single code named, ``A+B`` (a sum, :mod:`udsattestat.sums`) counted as its parts."""
    from .sums import SUM

    return [p for c in codes for p in c.split(SUM)]


def apply_where(frame, where: dict[str, list[str]], prov=None, lang: str = "da"):
    """Rows whose dimension has one of the codes; ``A+B`` is one summed series, where the
    dataset (its declaration in ``prov``) says A and B add up."""
    import polars as pl

    from .sums import SUM, add_up

    dims = selectable_dims(frame)
    # every plain selection first: a sum adds only the rows the rest of the view keeps
    for dim, codes in sorted(where.items(), key=lambda kv: any(SUM in c for c in kv[1])):
        valid = sorted(set(frame[dim].drop_nulls().to_list())) if dim in dims else []
        _check_codes(dim, _parts(codes), dims, valid)
        sums = [add_up(frame, dim, c.split(SUM), prov, lang) for c in codes if SUM in c]
        frame = pl.concat([frame.filter(pl.col(dim).is_in(codes)), *sums], how="vertical_relaxed")
    return frame


def where_rows(rows: list[dict], columns: list[str], where: dict[str, list[str]], prov=None,
               lang: str = "da") -> list[dict]:
    """:func:`apply_where` on tidy rows as dicts (a small bundled table; polars only for a sum)."""
    from .sums import SUM

    dims = ["geo", *dimension_columns(columns), "unit", "vintage"]
    for dim, codes in where.items():
        valid = sorted({r[dim] for r in rows if r[dim] is not None}) if dim in dims else []
        _check_codes(dim, _parts(codes), dims, valid)
        if any(SUM in c for c in codes):
            import polars as pl

            return apply_where(pl.from_dicts(rows, infer_schema_length=None), where, prov, lang).to_dicts()
        rows = [r for r in rows if r[dim] in codes]
    return rows


def _bounds(since, until, first, last, first_code, last_code):
    """(name, Period) of each bound given, checked against the data's first and last day."""
    out = []
    for name, code in (("--since", since), ("--until", until)):
        if code is None:
            continue
        try:
            p = parse_period(code)
        except PeriodError as exc:
            raise SelectionError(f"{name}: {exc}") from None
        if p.end < first or p.start > last:
            raise SelectionError(f"{name} {code} is outside the data, which cover {first_code}–{last_code}")
        out.append((name, p))
    return out


def apply_period_bounds(frame, since: str | None = None, until: str | None = None):
    import polars as pl

    if frame.is_empty():
        return frame
    bounds = _bounds(since, until, frame["period_start"].min(), frame["period_end"].max(),
                     frame["period"].min(), frame["period"].max())
    for name, p in bounds:
        if name == "--since":
            frame = frame.filter(pl.col("period_end") >= p.start)
        else:
            frame = frame.filter(pl.col("period_start") <= p.end)
    return frame


def period_bounds_rows(rows: list[dict], since: str | None = None, until: str | None = None) -> list[dict]:
    """:func:`apply_period_bounds` on tidy rows as dicts."""
    if not rows:
        return rows
    codes = [r["period"] for r in rows]
    bounds = _bounds(since, until, min(r["period_start"] for r in rows), max(r["period_end"] for r in rows),
                     min(codes), max(codes))
    for name, p in bounds:
        if name == "--since":
            rows = [r for r in rows if r["period_end"] >= p.start]
        else:
            rows = [r for r in rows if r["period_start"] <= p.end]
    return rows


def check_not_empty(frame, what: str = "selection"):
    if len(frame) == 0:
        raise SelectionError(f"the {what} is empty; loosen --where/--since/--until")
    return frame
