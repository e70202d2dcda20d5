"""JSON-stat 2.0 → :class:`~.cube.Cube`. Pure: a document in, a cube out; no HTTP, no files.

Eurostat's dissemination API answers ``format=JSON`` with one JSON-stat 2.0 ``dataset``:

* ``id`` lists the dimension ids in storage order and ``size`` their lengths; the cube is
  stored **row-major** over them (the last id varies fastest).
* ``value`` and ``status`` are usually *sparse objects* keyed by the flat index as a string
  (``{"0": 154.7, "7": 12.1}``); a missing key is a missing cell. JSON-stat also allows a
  dense list (``null`` = missing) and, for ``status``, one string — or a list of one
  string — for every cell: all are accepted.
* ``dimension[id].category.index`` maps code → position, either as an object or as a list
  of codes in order; it may be left out for a dimension with a single category, and
  ``category.label`` (code → label) may be left out too (the code is then the label).

The decode is vectorised: cell keys are checked and converted in one polars pass, values
become one float64 array, and flat indices turn into per-dimension positions with one
integer division per dimension (numpy). Cells with a value and cells with a flag are merged
in one pass over the two sorted index arrays (no set operation over all cells). Code, label
and flag columns are dictionary-encoded (polars Categorical), so memory follows the number
of observations, not the length of the strings, and a sparse cube of a billion cells with
a thousand values costs a thousand. Flags map to statuses by :mod:`.flags`.

**Totality.** Anything that is not a dataset we can read without guessing — a
``category`` that is a string, an ``id`` holding a list, a value that is not a finite
number or an integer too large to hold exactly, a code that is not a string — raises
:class:`~.cube.JsonStatError` naming the JSON path of the offending part (``$.dimension.geo.category``).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

from .cube import RESERVED, Cube, Dimension, JsonStatError, json_path
from .flags import status_for

#: Above this an integer value cannot be held exactly in a float64 column.
EXACT_INT = 2**53
#: The largest cube whose flat cell indices fit the int64 arithmetic of the decode.
MAX_CELLS = 2**62
_CELL_KEY = r"^(?:0|[1-9][0-9]{0,18})$"


# -- parsing ------------------------------------------------------------------------------


def load(data: bytes | str | dict) -> dict:
    """The body as a JSON object (one ``json.loads``); :class:`JsonStatError` if it is not one."""
    if isinstance(data, dict):
        return data
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        text = str(exc) if not isinstance(exc, RecursionError) else "nested too deeply"
        raise JsonStatError(f"the body is not JSON ({text[:200]})") from None
    except TypeError:
        raise JsonStatError(f"the body is a {type(data).__name__}, not JSON text") from None
    if not isinstance(doc, dict):
        raise JsonStatError("the body is JSON but not an object", path="$")
    return doc


def _text(doc: dict, key: str, *path: str | int, default: str = "") -> str:
    """An optional string member; anything but a string (or null) is an error."""
    value = doc.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise JsonStatError(f"'{key}' must be a string, not {_kind(value)}", path=json_path(*path, key))
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if value is None:
        return "null"
    return f"the number {str(value)[:40]}"


def _whole(n: Any) -> bool:
    return isinstance(n, int) and not isinstance(n, bool)


def _dimensions(doc: dict) -> list[Dimension]:
    ids, sizes, dims_raw = doc.get("id"), doc.get("size"), doc.get("dimension")
    if ids is None or sizes is None or dims_raw is None:
        raise JsonStatError("'id', 'size' and 'dimension' are required", path="$")
    if not isinstance(ids, list) or not ids:
        raise JsonStatError(f"'id' must be a non-empty list of dimension ids, not {_kind(ids)}", path=json_path("id"))
    for i, dim_id in enumerate(ids):
        if not isinstance(dim_id, str) or not dim_id:
            raise JsonStatError(f"a dimension id must be a non-empty string, not {_kind(dim_id)}",
                                path=json_path("id", i))
    if not isinstance(sizes, list):
        raise JsonStatError(f"'size' must be a list, not {_kind(sizes)}", path=json_path("size"))
    if not isinstance(dims_raw, dict):
        raise JsonStatError(f"'dimension' must be an object, not {_kind(dims_raw)}", path=json_path("dimension"))
    if len(ids) != len(sizes):
        raise JsonStatError(f"'id' has {len(ids)} entries but 'size' has {len(sizes)}", path=json_path("size"))
    if any(not _whole(n) or n < 0 for n in sizes):
        raise JsonStatError(f"'size' must list whole numbers, not {str(sizes)[:200]}", path=json_path("size"))
    if len(set(ids)) != len(ids):
        raise JsonStatError(f"'id' names a dimension twice: {ids!r}", path=json_path("id"))
    total = math.prod(sizes)
    if total > MAX_CELLS:
        raise JsonStatError(f"the cube would have {total:.3g} cells, more than can be indexed", path=json_path("size"))
    columns = {name for dim_id in ids for name in (dim_id, f"{dim_id}_label")}
    if len(columns) != 2 * len(ids):
        raise JsonStatError(f"dimension ids {ids!r} clash with one another's label columns", path=json_path("id"))
    out = []
    for dim_id, size in zip(ids, sizes, strict=True):
        out.append(_dimension(dims_raw, dim_id, size))
    return out


def _dimension(dims_raw: dict, dim_id: str, size: int) -> Dimension:
    at = ("dimension", dim_id)
    if dim_id in RESERVED:
        raise JsonStatError(f"dimension id {dim_id!r} clashes with a column of the tidy table", path=json_path("id"))
    raw = dims_raw.get(dim_id)
    if raw is None:
        raise JsonStatError(f"dimension {dim_id!r} is listed in 'id' but not described in 'dimension'",
                            path=json_path(*at))
    if not isinstance(raw, dict):
        raise JsonStatError(f"dimension {dim_id!r} must be an object, not {_kind(raw)}", path=json_path(*at))
    dim_label = _text(raw, "label", *at, default=dim_id)
    category = raw.get("category", {})
    if category is None:
        category = {}
    if not isinstance(category, dict):
        raise JsonStatError(f"dimension {dim_id!r}: 'category' must be an object, not {_kind(category)}",
                            path=json_path(*at, "category"))
    index, labels = category.get("index"), category.get("label")
    if labels is None:
        labels = {}
    if not isinstance(labels, dict):
        raise JsonStatError(f"dimension {dim_id!r}: 'category.label' must be an object, not {_kind(labels)}",
                            path=json_path(*at, "category", "label"))
    for code, text in labels.items():
        if not isinstance(text, str):
            raise JsonStatError(f"dimension {dim_id!r}: the label of {code!r} must be a string, not {_kind(text)}",
                                path=json_path(*at, "category", "label", code))
    if isinstance(index, list):
        for i, code in enumerate(index):
            if not isinstance(code, str):
                raise JsonStatError(f"dimension {dim_id!r}: a code must be a string, not {_kind(code)}",
                                    path=json_path(*at, "category", "index", i))
        codes = list(index)
        if len(set(codes)) != len(codes):
            dup = next(c for c, n in Counter(codes).items() if n > 1)
            raise JsonStatError(f"dimension {dim_id!r} lists code {dup!r} twice",
                                path=json_path(*at, "category", "index"))
    elif isinstance(index, dict):
        by_pos: dict[int, str] = {}
        for code, pos in index.items():
            if not _whole(pos) or not 0 <= pos < size or pos in by_pos:
                raise JsonStatError(f"dimension {dim_id!r}: bad position {str(pos)[:40]} for code {code!r}",
                                    path=json_path(*at, "category", "index", code))
            by_pos[pos] = code
        codes = [by_pos[p] for p in sorted(by_pos)]
    elif index is None and len(labels) == 1:
        codes = [next(iter(labels))]  # JSON-stat lets a one-category index be left out
    elif index is None:
        raise JsonStatError(f"dimension {dim_id!r} has no category index", path=json_path(*at, "category"))
    else:
        raise JsonStatError(f"dimension {dim_id!r}: 'category.index' must be an object or a list, not {_kind(index)}",
                            path=json_path(*at, "category", "index"))
    if len(codes) != size:
        raise JsonStatError(f"dimension {dim_id!r} has {len(codes)} categories but size {size}",
                            path=json_path(*at, "category", "index"))
    names = tuple(labels.get(c, c) for c in codes)
    return Dimension(dim_id, dim_label, tuple(codes), names)


def _cells(raw: Any, what: str, total: int):
    """``value``/``status`` as (sorted-or-not int64 flat indices, entries, keyed), nulls left out.

    ``keyed`` says the object form was used (paths then read ``$.value["12"]``). Keys are
    checked and converted in one vectorised pass; the slow search for the offending key
    runs only to name it in an error.
    """
    import numpy as np
    import polars as pl

    if raw is None:
        return np.empty(0, dtype=np.int64), [], True
    if isinstance(raw, list):
        if len(raw) != total:
            raise JsonStatError(f"'{what}' is a list of {len(raw)} but the cube has {total} cells", path=json_path(what))
        present = np.fromiter((v is not None for v in raw), dtype=bool, count=len(raw))
        cells = np.flatnonzero(present).astype(np.int64)
        entries = raw if len(cells) == len(raw) else [raw[i] for i in cells.tolist()]
        return cells, entries, False
    if not isinstance(raw, dict):
        raise JsonStatError(f"'{what}' must be an object or a list, not {_kind(raw)}", path=json_path(what))
    keys = pl.Series("key", list(raw), dtype=pl.String)
    canonical = keys.str.contains(_CELL_KEY)
    if not canonical.all():
        bad = keys[int(canonical.arg_min())]
        raise JsonStatError(f"'{what}' key {bad[:40]!r} is not a cell index (a whole number, no leading zeros)",
                            path=json_path(what, bad))
    cells = keys.cast(pl.Int64).to_numpy()
    if cells.size and int(cells.max()) >= total:
        bad = keys[int(np.argmax(cells >= total))]
        raise JsonStatError(f"'{what}' key {bad!r} is outside the cube of {total} cells", path=json_path(what, bad))
    entries = list(raw.values())
    if None in entries:
        keep = np.fromiter((e is not None for e in entries), dtype=bool, count=len(entries))
        cells = cells[keep]
        entries = [e for e in entries if e is not None]
    return cells, entries, True


def _entry_path(what: str, cell: int, keyed: bool) -> str:
    return json_path(what, str(cell)) if keyed else json_path(what, cell)


def _numbers(cells, entries: list[Any], keyed: bool):
    """The values as a float64 array; anything not a finite number held exactly is an error."""
    import numpy as np

    types = set(map(type, entries))
    if not types <= {int, float}:  # bool, str, dict… (bool is not int here)
        i = next(i for i, e in enumerate(entries) if type(e) not in (int, float))
        raise JsonStatError(f"value at cell {cells[i]} is {_kind(entries[i])}, not a number",
                            path=_entry_path("value", int(cells[i]), keyed))
    try:
        values = np.array(entries, dtype=np.float64)
    except OverflowError:
        values = None
    if values is None or (int in types and bool((np.abs(values) > EXACT_INT).any())):
        for i, e in enumerate(entries):
            if type(e) is int and abs(e) > EXACT_INT:
                raise JsonStatError(
                    f"value at cell {cells[i]} is an integer of {len(str(abs(e)))} digits, too large to hold "
                    "exactly", path=_entry_path("value", int(cells[i]), keyed))
    finite = np.isfinite(values)
    if not finite.all():
        i = int(np.argmin(finite))
        raise JsonStatError(f"value at cell {cells[i]} is not finite", path=_entry_path("value", int(cells[i]), keyed))
    return values


def _flag_cells(doc: dict, value_cells, total: int):
    """(flat indices, flag strings, keyed) of ``status`` in any of its forms."""
    import numpy as np

    raw = doc.get("status")
    if isinstance(raw, str) or (isinstance(raw, list) and len(raw) == 1 and total != 1):
        one = raw if isinstance(raw, str) else raw[0]
        if one is None:
            return np.empty(0, dtype=np.int64), [], True
        if not isinstance(one, str):
            raise JsonStatError(f"a status must be a string, not {_kind(one)}", path=json_path("status", 0))
        # One status for every cell (JSON-stat's string or one-element list): every cell with a value.
        return value_cells, [one] * len(value_cells), True
    cells, entries, keyed = _cells(raw, "status", total)
    if not set(map(type, entries)) <= {str}:
        i = next(i for i, e in enumerate(entries) if not isinstance(e, str))
        raise JsonStatError(f"status at cell {cells[i]} is {_kind(entries[i])}, not a string",
                            path=_entry_path("status", int(cells[i]), keyed))
    return cells, entries, keyed


def _sorted_by_cell(cells, *columns):
    """Rows in storage order (Eurostat sends keys in order; then this costs one comparison pass)."""
    import numpy as np

    if cells.size < 2 or bool((cells[1:] > cells[:-1]).all()):
        return (cells, *columns)
    order = np.argsort(cells, kind="stable")
    return (cells[order], *[c[order] for c in columns])


def parse(data: bytes | str | dict) -> Cube:
    """Parse a JSON-stat 2.0 dataset into a :class:`Cube`. Raises :class:`JsonStatError`."""
    import numpy as np
    import polars as pl

    doc = load(data)
    klass = doc.get("class", "dataset")
    if klass != "dataset":
        raise JsonStatError(f"class is {str(klass)[:40]!r}; only 'dataset' is supported", path=json_path("class"))
    version = doc.get("version", "2.0")
    if not isinstance(version, str | int | float) or isinstance(version, bool) or not str(version).startswith("2"):
        raise JsonStatError(f"version {str(version)[:40]!r}; only JSON-stat 2.x is supported", path=json_path("version"))
    label = _text(doc, "label")
    source = _text(doc, "source")
    updated = _text(doc, "updated")
    roles = _roles(doc)
    extension = _extension(doc)
    dims = _dimensions(doc)
    total = math.prod(len(d.codes) for d in dims)

    value_cells, value_entries, keyed = _cells(doc.get("value"), "value", total)
    values = _numbers(value_cells, value_entries, keyed)
    del value_entries
    value_cells, values = _sorted_by_cell(value_cells, values)
    flag_cells, flag_entries, _ = _flag_cells(doc, value_cells, total)

    # Flag strings → small integer codes (few distinct strings; a hash map, not a sort).
    stripped = pl.Series("flags", flag_entries, dtype=pl.String).str.strip_chars()
    del flag_entries
    distinct = stripped.filter(stripped != "").unique(maintain_order=True)
    flag_codes = stripped.replace_strict(distinct, pl.Series(range(len(distinct)), dtype=pl.Int32),
                                         default=-1, return_dtype=pl.Int32).to_numpy()
    flag_cells, flag_codes = _sorted_by_cell(flag_cells, flag_codes)
    keep = flag_codes >= 0
    flag_cells, flag_codes = flag_cells[keep], flag_codes[keep]

    # Every cell with a value or a flag, in storage order: flags sit on cells with a value,
    # but a withheld cell has a flag and no value. One binary search per flagged cell (few)
    # finds them; they are merged in by position, never by a set operation over all cells.
    at = np.searchsorted(value_cells, flag_cells)
    if value_cells.size:
        flag_only = value_cells[np.minimum(at, value_cells.size - 1)] != flag_cells
    else:
        flag_only = np.ones(flag_cells.size, dtype=bool)
    if not flag_only.any():
        cells, has_value, value_col = value_cells, None, values
        flag_at = at
    else:
        extra = flag_cells[flag_only]
        cells = np.insert(value_cells, at[flag_only], extra)  # one pass: both are sorted
        has_value = np.ones(cells.size, dtype=bool)
        has_value[np.searchsorted(cells, extra)] = False
        value_col = np.full(cells.size, np.nan)
        value_col[has_value] = values
        flag_at = np.searchsorted(cells, flag_cells)
    n = cells.size
    flag_col = np.full(n, -1, dtype=np.int32)
    flag_col[flag_at] = flag_codes

    # Each (flag string, has value) pair gets its status once; cells look theirs up.
    from ..schema import STATUSES

    flag_list = distinct.to_list()
    lookup = np.array([[STATUSES.index(status_for(f, h)) for h in (False, True)] for f in [None, *flag_list]],
                      dtype=np.int32)
    status_idx = lookup[flag_col + 1, 1 if has_value is None else has_value.astype(np.intp)]

    columns: list[pl.Series] = []
    stride = total
    for d in dims:
        size = len(d.codes)
        stride //= max(size, 1)  # an empty dimension means an empty cube: no cells
        pos = ((cells // max(stride, 1)) % max(size, 1)).astype(np.uint32)
        columns.append(pl.Series(d.id, d.codes, dtype=pl.Categorical).gather(pos))
        columns.append(pl.Series(f"{d.id}_label", d.labels, dtype=pl.Categorical).gather(pos))
    flags_dict = pl.Series("flags", flag_list, dtype=pl.Categorical)
    columns.append(pl.Series("value", value_col, nan_to_null=True))
    columns.append(flags_dict.gather(pl.Series(flag_col, dtype=pl.Int64).replace(-1, None)).alias("flags")
                   if flag_list else pl.Series("flags", [None] * n, dtype=pl.Categorical))
    columns.append(pl.Series("status", STATUSES, dtype=pl.Categorical).gather(status_idx).alias("status"))
    return Cube(label=label, source=source, updated=updated, dimensions=dims, roles=roles,
                observations=pl.DataFrame(columns), extension=extension)


def _roles(doc: dict) -> dict[str, list[str]]:
    raw = doc.get("role")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise JsonStatError(f"'role' must be an object, not {_kind(raw)}", path=json_path("role"))
    out = {}
    for role, ids in raw.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise JsonStatError(f"role {role!r} must list dimension ids (strings), not {_kind(ids)}",
                                path=json_path("role", role))
        out[role] = list(ids)
    return out


def _extension(doc: dict) -> dict[str, Any]:
    """Eurostat's ``extension``; of it only ``status.label`` is read, so only that is checked."""
    raw = doc.get("extension")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise JsonStatError(f"'extension' must be an object, not {_kind(raw)}", path=json_path("extension"))
    status = raw.get("status")
    if status is not None:
        labels = status.get("label") if isinstance(status, dict) else status
        if not isinstance(labels, dict):
            raise JsonStatError(f"'extension.status.label' must be an object, not {_kind(labels)}",
                                path=json_path("extension", "status", "label"))
        for key, text in labels.items():
            if not isinstance(text, str):
                raise JsonStatError(f"the meaning of status {key!r} must be a string, not {_kind(text)}",
                                    path=json_path("extension", "status", "label", key))
    return raw
