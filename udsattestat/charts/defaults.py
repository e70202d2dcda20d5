"""Default chart selections, declared per dataset in its ``dataset.toml`` (``[chart]``:
``kind`` and ``where``) and travelling in the provenance, so ``udsattestat chart
homelessness --out h.svg`` draws the national totals without a string of ``--where`` options.

A default only fills a dimension the user did not select and does not split by; anything
given on the command line wins. What a kind leaves open, it says itself (:mod:`.kinds`).
"""

from __future__ import annotations

from .kinds import for_several, get


def default_kind(chart: dict, indicators: int = 1) -> str:
    """The kind a chart gets when none is named: the one that draws several indicators
    for several, else the dataset's ``[chart] kind``, else a time series."""
    if indicators > 1:
        return for_several()
    return (chart or {}).get("kind", "timeseries")


def with_defaults(chart: dict, where: dict[str, list[str]], *, kind: str, series: str | None = None
                  ) -> dict[str, list[str]]:
    """``where`` completed with the dataset's ``[chart] where`` for dimensions left open."""
    spec = get(kind)
    merged = {k: list(v) for k, v in where.items()}
    keep_open = {*spec.open_dims, series or spec.default_series}
    for dim, codes in (chart or {}).get("where", {}).items():
        if dim in merged or dim in keep_open:
            continue
        merged[dim] = list(codes)
    return merged
