"""Whose fault is a mismatch: the table's change, or the mapping's mistake?

A ``[statbank]`` mapping that does not resolve against a table's tableinfo is one of two
things. If this mapping matched the table before and the table's metadata have changed since,
the *table changed shape* — the mapping was right when it was made. Otherwise (a new mapping, a
typo, a wrong code) the *mapping* is wrong, and the message points at its line in
dataset.toml, with the code that was not found and the nearest one that was ("did you mean").

What "matched before" means is recorded, not guessed: after every successful resolve the
table's shape (variable ids, codes and texts, as a fingerprint) is kept beside the snapshots,
per dataset and per version of its mapping (``<cache>/raw/statbank/_mappings/<id>.json``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..errors import FetchError
from ..mapping_errors import where_in_file
from .mapping import TableShapeError
from .tableinfo import TableInfo

RECORDS = "_mappings"


class MappingError(FetchError):
    """A dataset's ``[statbank]`` mapping does not match the table (the mapping's mistake)."""


def _hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprint(info: TableInfo) -> str:
    """The table's shape as a mapping sees it: variables, their codes and texts, in order."""
    return _hash([[v.id, v.text, v.time, v.elimination, list(v.values)] for v in info.variables])


def _record_path(store_root: Path, meta) -> Path:
    return Path(store_root) / RECORDS / f"{meta.id}.json"


def remember(store_root: Path, meta, infos: list[TableInfo]) -> None:
    """Note that this version of ``meta``'s mapping matched these tables as they are now."""
    from ..atomic import atomic_write_text

    path = _record_path(store_root, meta)
    record = {"mapping": _hash(meta.doc.statbank),
              "tables": {i.id: {"shape": fingerprint(i), "updated": i.updated} for i in infos}}
    try:
        if json.loads(path.read_text("utf-8")) == record:
            return
    except (OSError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(record, indent=2, sort_keys=True))


def matched_before(store_root: Path, meta, table: str) -> dict | None:
    """``{"shape", "updated"}`` of ``table`` when this mapping last matched it, if it ever did."""
    try:
        record = json.loads(_record_path(store_root, meta).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("mapping") != _hash(meta.doc.statbank):
        return None
    return (record.get("tables") or {}).get(table)


def framed(exc: TableShapeError, meta, info: TableInfo, store_root: Path) -> FetchError:
    """The error to show for a mismatch: the table's change if this mapping matched an
    earlier shape of it, else the mapping's mistake at its line."""
    before = matched_before(store_root, meta, exc.table)
    info_cmd = f"'udsattestat statbank info {exc.table}'"
    if before is not None and before.get("shape") != fingerprint(info):
        bundled = "" if meta.doc.live_only else " (the bundled data still work without --live)"
        return TableShapeError(exc.table, exc.what, exc.key).with_message(
            f"StatBank table {exc.table} changed shape since the mapping last matched it (its tableinfo of "
            f"{before.get('updated')}; now {info.updated}): {exc.what}; see {info_cmd} and "
            f"{where_in_file(meta, exc.key)}{bundled}")
    return MappingError(f"{where_in_file(meta, exc.key)}: {exc.what} — the [statbank] mapping does not match "
                        f"StatBank table {exc.table}; {info_cmd} lists its variables and codes")


def check(meta, *, live: bool = False, http=None) -> str:
    """Resolve ``meta``'s mapping against each table's tableinfo — the newest in the cache, or
    fetched with ``live`` — without fetching data. Returns what was checked (one line); raises
    the framed mismatch; says so when nothing can be checked offline."""
    from ..errors import OfflineError
    from .fetch import Session, get_tableinfo
    from .mapping import Mapping, resolve

    mapping = Mapping.parse(meta.doc.statbank)
    session = Session.open(offline=not live, http=http)
    declared = {d: list(meta.doc.codes(d)) for d in meta.dims}
    declared["geo"] = list(meta.doc.geo)
    infos = []
    for table, table_unit in mapping.tables.items():
        try:
            info, _ = get_tableinfo(session, table, mapping.language or "da")
        except OfflineError:
            return f"mapping not checked: no tableinfo of {table} in the cache (--live fetches it)"
        try:
            res = resolve(mapping, info, indicator=meta.id, declared=declared, table_unit=table_unit)
        except TableShapeError as exc:
            raise framed(exc, meta, info, session.store.root) from None
        _check_adds_up(meta, res)
        infos.append(info)
    remember(session.store.root, meta, infos)
    how = "fetched" if live else "cached"
    return "mapping matches " + ", ".join(f"{i.id} (tableinfo of {i.updated}, {how})" for i in infos)


def _check_adds_up(meta, res) -> None:
    """The codes a dimension's ``adds_up`` names (its total, the codes inside others) must be
    codes the view can have: a misspelt one would silently allow the very sum it forbids."""
    from ..mapping_errors import did_you_mean

    for var_id, dim in res.columns.items():
        if dim.startswith("_") or dim not in meta.doc.dimensions:
            continue
        rule = meta.doc.dimensions[dim].adds_up
        if not isinstance(rule, dict):
            continue
        recoded = res.recodes.get(dim, {})
        codes = [recoded.get(c, c) for c in res.selection.get(var_id, [])] + list(meta.doc.codes(dim))
        named = [("total", rule["total"])] if rule.get("total") else []
        named += [("inside", c) for c in rule.get("inside", [])]
        for what, code in named:
            if code not in codes:
                raise MappingError(f"{where_in_file(meta, ('dimensions', dim, 'adds_up'))}: {what} code {code!r} is "
                                   f"not a code of {dim} (StatBank table {res.info.id}, {var_id})"
                                   f"{did_you_mean(code, codes)}")
