"""The catalogue of indicators: every dataset folder on the search path, read from its metadata.

Light on purpose (only ``os`` and ``json`` at import): the CLI imports it on every start,
and ``udsattestat list`` should cost little more than Python and click.

What ``list`` shows is kept in a catalogue cache in the user cache directory
(``<cache>/catalog/<hash of the search path's folders>.json``): per dataset, the rows ``list``
prints (both languages), stored with the stamp of the files they came from —
``dataset.toml`` and ``values.csv`` (path, mtime in ns, size, inode) — the tool version and
the stamp of the modules that read and check those files. Any difference, and that dataset
is read and strictly checked again, exactly as without the cache. The cache is written
atomically when something changed; a cache that is missing, damaged, from another version
or unwritable is ignored, never an error. Files changed in the last two seconds are not
cached (a second edit within a file system's timestamp tick could keep mtime and size).
"""

from __future__ import annotations

import os
from typing import Any

from ._version import __version__
from .errors import UnknownIndicatorError
from .languages import LANGS
from .searchpath import META_FILE, VALUES_FILE, locate, search_path

CACHE_FORMAT = 2
#: A file modified more recently than this (ns) is read, not cached: see the module doc.
RACY_NS = 2_000_000_000


def indicator_ids() -> list[str]:
    """Every dataset id on the search path (:mod:`udsattestat.searchpath`), sorted."""
    return list(locate())


def check_indicator(indicator: str) -> str:
    """Return ``indicator`` if it exists, else raise with the closest ids as suggestions."""
    known = indicator_ids()
    if indicator in known:
        return indicator
    lowered = {k.lower(): k for k in known}
    if indicator.lower() in lowered:
        return lowered[indicator.lower()]
    import difflib  # only for a typo

    close = difflib.get_close_matches(indicator.lower(), known, n=3, cutoff=0.5)
    close += [k for k in known if indicator.lower() in k and k not in close]
    raise UnknownIndicatorError(indicator, close[:3], known)


def entries() -> list[Any]:
    """Every indicator as an :class:`Entry` (id, title, unit, producer, live)."""
    from pathlib import Path

    from .bundle import CatalogEntry, read_meta

    out = []
    for folder, _label in locate().values():
        meta = read_meta(Path(folder))
        r = meta.doc
        out.append(CatalogEntry(meta.id, dict(r.title), r.unit, meta.text("producer", "en"), meta.live))
    return out


def __getattr__(name: str):
    # ``catalog.Entry`` without importing dataclasses (and inspect, ~20 ms) on every start.
    if name == "Entry":
        from .bundle import CatalogEntry

        return CatalogEntry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- what `list` shows, cached ---------------------------------------------------------------


def listing(lang: str) -> list[dict[str, Any]]:
    """One row per indicator, as ``udsattestat list`` shows it in ``lang``, with ``from``
    (``bundle`` or the search-path folder it came from) and its ``folder``.

    Every dataset whose files changed since the cached listing (or that has none) is read
    and checked in full, so a broken file is the same error with or without the cache.
    """
    import time

    where = locate()
    roots = [os.path.realpath(root) for root, _label in search_path()]
    ids = list(where)
    path = _cache_path(roots)
    readers = _readers_stamp()
    cached = _load(path, roots, readers) if path is not None else {}
    now = time.time_ns()
    entries: dict[str, Any] = {}
    dirty = set(cached) != set(ids)
    for ind in ids:
        folder = where[ind][0]
        root = os.path.dirname(folder)
        stamp = _stamp(folder)
        hit = cached.get(ind)
        if hit is not None and hit.get("stamp") == stamp:
            entries[ind] = hit
            continue
        entry = {"stamp": stamp, "rows": summarise(root, ind)}
        if any(s is not None and now - s[1] < RACY_NS for s in stamp):
            entry["stamp"] = None  # too fresh to trust its mtime next time: read again
        entries[ind] = entry
        dirty = True
    if dirty and path is not None:
        _save(path, {"format": CACHE_FORMAT, "roots": roots, "readers": readers, "datasets": entries})
    return [{**entries[ind]["rows"][lang], "from": where[ind][1], "folder": where[ind][0]} for ind in ids]


def summarise(root: str, ind: str) -> dict[str, dict[str, Any]]:
    """What ``list`` shows of one dataset, in both languages: read and checked in full."""
    from pathlib import Path

    from .bundle import period_span, read_meta, read_rows

    meta = read_meta(Path(root) / ind)
    r = meta.doc
    values, _raw = read_rows(meta)
    span = period_span(v["_period"] for v in values)
    rows = {}
    for lang in LANGS:
        rows[lang] = {
            "id": ind,
            "title": r.title[lang],
            "unit": meta.unit_label(r.unit, lang),
            "periods": span or ("live only" if r.live_only else ""),
            "rows": len(values),
            "sources": sorted({v["source"] for v in values}),
            "producer": meta.text("producer", lang),
            "credit": r.credit.get(lang) or meta.text("producer", lang),
            "live": meta.live,
        }
    return rows


def _stamp(folder: str) -> list[list[Any] | None]:
    """(path, mtime_ns, size, inode) of the files a listing is made from; None for one that is missing."""
    out: list[list[Any] | None] = []
    for name in (META_FILE, VALUES_FILE):
        path = os.path.join(folder, name)
        try:
            st = os.stat(path)
        except OSError:
            out.append(None)
            continue
        out.append([path, st.st_mtime_ns, st.st_size, st.st_ino])
    return out


def _readers_stamp() -> list[Any]:
    """The tool version and a checksum of every module's (path, mtime, size): the code that reads
    and checks a dataset (the schema, the chart kinds and hooks it accepts) is part of the key.
    An installed wheel never changes; in a checkout any edit makes every dataset be read again."""
    import zlib

    here = os.path.dirname(os.path.abspath(__file__))
    crc = 0
    for folder, dirs, files in os.walk(here):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                crc = zlib.crc32(f"{path}\0{st.st_mtime_ns}\0{st.st_size}\n".encode("utf-8", "surrogateescape"), crc)
    return [__version__, f"{crc:08x}"]


def _cache_path(roots: list[str]) -> str | None:
    import zlib

    from .cachedir import cache_root

    try:
        base = cache_root()
    except Exception:  # noqa: BLE001 - no cache directory (no HOME, say): list without a cache
        return None
    key = f"{zlib.crc32(os.pathsep.join(roots).encode('utf-8', 'surrogateescape')):08x}"
    return os.path.join(base, "catalog", f"{key}.json")


def _load(path: str, roots: list[str], readers: list[Any]) -> dict[str, Any]:
    """The cached entries, or {} when the file is missing, damaged, or made by other code."""
    import json

    try:
        with open(path, "rb") as fh:
            doc = json.loads(fh.read())
        if (doc.get("format") != CACHE_FORMAT or doc.get("readers") != readers
                or doc.get("roots") != roots):
            return {}
        datasets = doc["datasets"]
        if not isinstance(datasets, dict):
            return {}
        good = {}
        for ind, entry in datasets.items():
            rows = entry.get("rows") if isinstance(entry, dict) else None
            if isinstance(rows, dict) and all(isinstance(rows.get(lang), dict) for lang in LANGS):
                good[ind] = entry
        return good
    except Exception:  # noqa: BLE001 - any damage: read the datasets instead
        return {}


def _save(path: str, doc: dict[str, Any]) -> None:
    """Write the cache atomically; silently not at all when the place is not writable."""
    import json

    from .atomic import atomic_write_text

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write_text(path, json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
    except Exception:  # noqa: BLE001 - a cache is an optimisation: never an error
        pass
