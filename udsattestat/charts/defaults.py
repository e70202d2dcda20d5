"""Sensible default selections per bundled indicator, so ``udsattestat chart homelessness
--out h.svg`` draws the national totals without a string of ``--where`` options.

A default only fills a dimension the user did not select and does not split by; anything
given on the command line wins.
"""

from __future__ import annotations

#: indicator -> default chart kind and default codes per dimension.
DEFAULTS: dict[str, dict] = {
    "homelessness": {
        "kind": "timeseries",
        # unit: Aarhus is only a share of the national count (percent-of-national)
        "where": {"population": ["COUNTED"], "situation": ["TOT"], "age": ["TOT"], "geo": ["DK"], "unit": ["persons"]},
    },
    "poverty": {"kind": "levels", "where": {"unit": ["persons"], "geo": ["DK"]}},
    "drug-deaths": {"kind": "timeseries", "where": {"register": ["POLICE"], "cause": ["TOT"], "unit": ["deaths"]}},
    # The bundled EMCDDA rates per million aged 15–64; a live fetch adds TOXICO rows
    # (per million inhabitants), which are chosen with --where cause=TOXICO --where unit=per-million.
    "drug-deaths-eu": {"kind": "ranking", "where": {"cause": ["DRD"], "unit": ["per-million-15-64"]}},
    "udsathed-definitions": {"kind": "definitions", "where": {"group": ["ALL"], "geo": ["DK"]}},
}


def _defaults(indicator: str) -> dict:
    """The table above, else the bundled dataset's own ``[chart]`` (kind and where)."""
    if indicator in DEFAULTS:
        return DEFAULTS[indicator]
    from ..bundle import datasets_dir, read_meta
    from ..errors import UdsatError

    folder = datasets_dir() / indicator
    if not folder.is_dir():
        return {}
    try:
        return read_meta(folder).raw.get("chart", {})
    except UdsatError:
        return {}  # a damaged dataset is reported when it is loaded, with file and line


def default_kind(indicator: str) -> str:
    return _defaults(indicator).get("kind", "timeseries")


def with_defaults(indicator: str, where: dict[str, list[str]], *, kind: str, series: str | None = None
                  ) -> dict[str, list[str]]:
    """``where`` completed with the indicator's defaults for dimensions left open."""
    merged = {k: list(v) for k, v in where.items()}
    for dim, codes in _defaults(indicator).get("where", {}).items():
        if dim in merged or dim == series:
            continue
        if kind == "ranking" and series is None and dim == "geo":
            continue  # a ranking of areas needs every area
        if kind == "definitions" and dim == "unit":
            continue  # both panels: persons and share
        merged[dim] = list(codes)
    return merged
