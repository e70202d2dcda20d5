"""Adding codes of a dimension: only where the dataset says they add up.

``--where cause=A01+A02`` shows one series, the sum of the two groups, in ``show``,
``table`` (``--change`` too), ``chart`` and ``export`` alike. Codes overlap more often than
not — a total and its parts, COVID-19 deaths (DODA1's A23X) already counted inside the
A-groups, nested durations ("2 years in a row" is inside "1 year") — so a sum is refused
unless the dataset declares how its codes add up (``adds_up`` in ``[dimensions.X]``):

- ``adds_up = false``: nested or overlapping codes, never added; ``adds_up = true``: any
  codes add up (no total among them);
- ``adds_up = { total = "TOT", inside = ["A23X"] }``: the total is the sum of the others
  and is never added to them; a code ``inside`` others is never added to any other code;
- no ``adds_up``: how the codes add up is not known, so they are not added.

Shares and rates (per cent, per million, years) are never added, whatever the dimension.
A period where a part is missing or withheld has no sum, rather than a smaller one.
"""

from __future__ import annotations

from typing import Any

from .errors import SelectionError

SUM = "+"
#: Units whose values do not add up across groups.
NOT_ADDITIVE_UNITS = ("percent", "pct", "per-", "years", "index", "ratio", "rate")


def sum_groups(codes: list[str]) -> list[list[str]]:
    """The ``A+B`` groups among a ``--where`` list of codes (each as its parts)."""
    return [c.split(SUM) for c in codes if SUM in c]


def rule_for(prov, dim: str) -> Any:
    """The dataset's ``adds_up`` declaration of ``dim`` as it travels in the provenance (None: none)."""
    dims = (getattr(prov, "extra", None) or {}).get("dimensions", {})
    return (dims.get(dim) or {}).get("adds_up")


def check_addable(dim: str, parts: list[str], rule: Any, units: set[str]) -> None:
    """Refuse a sum the dataset's declaration (or the unit) does not allow, saying why."""
    joined = SUM.join(parts)
    if len(set(parts)) != len(parts):
        raise SelectionError(f"--where {dim}={joined}: a code appears twice in the sum")
    shares = sorted(u for u in units if u.startswith(NOT_ADDITIVE_UNITS))
    if shares:
        raise SelectionError(f"--where {dim}={joined}: values in {', '.join(shares)} do not add up; "
                             "add counts (--where unit=…) or show the codes side by side")
    if rule is None:
        raise SelectionError(f"--where {dim}={joined}: the dataset does not say how the codes of {dim} add up "
                             f"(adds_up in its [dimensions.{dim}]), so they are not added; show them side by side")
    if rule is False:
        raise SelectionError(f"--where {dim}={joined}: the codes of {dim} are nested or overlap (adds_up = false): "
                             "adding them would count some twice")
    if rule is True:  # declared: every code adds up with every other
        return
    total = rule.get("total")
    if total in parts:
        raise SelectionError(f"--where {dim}={joined}: {total} is the total of {dim}, the sum of the other codes; "
                             "adding it to them counts everything twice")
    inside = [p for p in parts if p in rule.get("inside", [])]
    if inside:
        raise SelectionError(f"--where {dim}={joined}: {inside[0]} is already counted inside other codes of {dim} "
                             "(adds_up inside); adding it counts it twice")


def add_up(frame, dim: str, parts: list[str], prov, lang: str = "da"):  # noqa: D417
    """Rows of ``frame`` with ``dim`` in ``parts``, summed into one row per series and period
    (code ``A+B``, label ``labelA + labelB``); a period missing a part has no row."""
    import polars as pl

    rows = frame.filter(pl.col(dim).is_in(parts))
    check_addable(dim, parts, rule_for(prov, dim), set(rows["unit"].unique().to_list()))
    keys = [c for c in frame.columns if c not in {dim, f"{dim}_label", "value", "value_low", "value_high", "precision",
                                                   "status", "note", "confidence", "source_locator"}]
    lows = pl.coalesce("value_low", "value")
    highs = pl.coalesce("value_high", "value")
    grouped = rows.group_by(keys, maintain_order=True).agg(
        pl.len().alias("_n"),
        pl.col("value").null_count().alias("_missing"),
        pl.col("value").sum(),
        pl.when(pl.col("value_low").is_not_null().any()).then(lows.sum()).alias("value_low"),
        pl.when(pl.col("value_high").is_not_null().any()).then(highs.sum()).alias("value_high"),
        pl.col("status").filter(pl.col("status") != "published").first().alias("_status"),
        pl.col("confidence").first(),
        pl.col("source_locator").first(),
    )
    whole = grouped.filter((pl.col("_n") == len(parts)) & (pl.col("_missing") == 0))
    labels = dict(rows.select(dim, f"{dim}_label").unique(subset=dim).iter_rows())
    label = " + ".join(str(labels.get(p) or p) for p in parts)
    note = {"da": "summen af", "en": "the sum of"}.get(lang, "the sum of") + f" {', '.join(parts)} (udsattestat)"
    out = whole.with_columns(
        pl.lit(SUM.join(parts)).alias(dim),
        pl.lit(label).alias(f"{dim}_label"),
        pl.lit(None, dtype=pl.Float64).alias("precision"),
        pl.coalesce("_status", pl.lit("published")).alias("status"),
        pl.lit(note).alias("note"),
    ).drop("_n", "_missing", "_status")
    # a column of nulls only (e.g. no row had a note) takes the sum's type
    return out.select([pl.col(c) if frame.schema[c] == pl.Null else pl.col(c).cast(frame.schema[c])
                       for c in frame.columns])
