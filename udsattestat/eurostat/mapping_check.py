"""``dataset check`` for an ``[eurostat]`` mapping: its dimensions and codes against the
dataset's structure as Eurostat sends it (the latest period, every code of every dimension),
from the cache or fetched with ``--live``.

A wrong code in ``filters`` is not an error at fetch time: Eurostat answers with an empty or
another series. Here it is: the line in dataset.toml, the code and the nearest one the dataset
has ("did you mean").
"""

from __future__ import annotations

from ..errors import FetchError


class MappingError(FetchError):
    """A dataset's ``[eurostat]`` mapping names a dimension or code the dataset does not have."""


def problems(meta, dims: dict[str, list[str]]) -> list[tuple[tuple[str, ...], str]]:
    """(key, what is wrong) for every filter, select, rename and unit the structure lacks."""
    from ..mapping_errors import did_you_mean

    cfg = meta.doc.eurostat
    out = []
    one_of = set(cfg.get("select_one_of", []))
    for dim, codes in cfg.get("filters", {}).items():
        if dim not in dims:
            out.append((("eurostat", "filters", dim), f"the dataset has no dimension {dim!r}"
                        f"{did_you_mean(dim, list(dims))} (it has {', '.join(dims)})"))
            continue
        for code in codes:
            if code not in dims[dim]:
                out.append((("eurostat", "filters", dim), f"dimension {dim} has no code {code!r}"
                            f"{did_you_mean(code, dims[dim])} — Eurostat would answer with an empty or another "
                            "series, not an error"))
    for dim, code in cfg.get("select", {}).items():
        if dim in dims and code not in dims[dim]:
            out.append((("eurostat", "select", dim), f"dimension {dim} has no code {code!r}{did_you_mean(code, dims[dim])}"))
    if one_of and not one_of & set(dims):
        out.append((("eurostat", "select_one_of"), f"the dataset has none of {', '.join(sorted(one_of))}"))
    for dim in cfg.get("rename", {}):
        if dim not in dims:
            out.append((("eurostat", "rename", dim), f"the dataset has no dimension {dim!r}{did_you_mean(dim, list(dims))}"))
    for code in cfg.get("units", {}):
        if "unit" in dims and code not in dims["unit"]:
            out.append((("eurostat", "units", code), f"dimension unit has no code {code!r}{did_you_mean(code, dims['unit'])}"))
    return out


def check(meta, *, live: bool = False, http=None) -> str:
    """Check ``meta``'s ``[eurostat]`` mapping; one line saying what was checked, or raise."""
    from ..errors import OfflineError
    from .fetch import Session, get_dataset

    table = meta.doc.eurostat["table"]
    session = Session.open(None, offline=not live, http=http)
    try:
        cube, _, _ = get_dataset(session, table, None, last=1)  # what 'eurostat info' reads: every code
    except OfflineError:
        from . import jsonstat

        cached = session.store.newest_of_each(table.lower())  # e.g. a fetch's extract: its filtered codes
        if not cached:
            return f"mapping not checked: no snapshot of {table} in the cache (--live fetches it)"
        cube = jsonstat.parse(cached[0].read_bytes())
    dims = {d.id: list(d.codes) for d in cube.dimensions}
    found = problems(meta, dims)
    if found:
        key, what = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        from ..mapping_errors import where_in_file

        raise MappingError(f"{where_in_file(meta, key)}: {what}{more} — the [eurostat] mapping does not match Eurostat "
                           f"{table}; 'udsattestat eurostat info {table}' lists its dimensions and codes")
    return f"mapping matches Eurostat {table} ({'fetched' if live else 'cached'}, updated {cube.updated})"


