"""Default chart selections, declared per dataset in its ``dataset.toml`` (``[chart]``:
``kind`` and ``where``) and travelling in the provenance, so ``udsattestat chart
homelessness --out h.svg`` draws the national totals without a string of ``--where`` options.

A default only fills a dimension the user did not select and does not split by; anything
given on the command line wins.
"""

from __future__ import annotations


def default_kind(chart: dict) -> str:
    """The dataset's default chart kind (``[chart] kind``), else a time series."""
    return (chart or {}).get("kind", "timeseries")


def with_defaults(chart: dict, where: dict[str, list[str]], *, kind: str, series: str | None = None
                  ) -> dict[str, list[str]]:
    """``where`` completed with the dataset's ``[chart] where`` for dimensions left open."""
    merged = {k: list(v) for k, v in where.items()}
    for dim, codes in (chart or {}).get("where", {}).items():
        if dim in merged or dim == series:
            continue
        if kind == "ranking" and series is None and dim == "geo":
            continue  # a ranking of areas needs every area
        if kind == "definitions" and dim == "unit":
            continue  # both panels: persons and share
        merged[dim] = list(codes)
    return merged
