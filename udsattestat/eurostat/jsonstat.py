"""JSON-stat 2.0 → tidy table. Pure: bytes in, frame out; no HTTP, no files.

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
integer division per dimension (numpy). Code, label and flag columns are
dictionary-encoded (polars Categorical), so memory follows the number of observations,
not the length of the strings, and a sparse cube of a billion cells with a thousand
values costs a thousand.

**Flags.** Eurostat sends the observation flag and the confidentiality status joined in
one string, ``FLAG|CONF``: ``"p"`` (provisional), ``"|C"`` (a confidential, withheld
cell), ``"e|C"``. Older answers and SDMX files use a lowercase ``c`` letter for the same.
Every flag string is kept verbatim in a ``flags`` column and mapped to one ``status`` by
:data:`STATUS_PRECEDENCE`; a confidential cell is ``suppressed`` whatever its observation
flag. Flags we do not know are kept, change no status, and are counted once per fetch by
:func:`unknown_flags` (never a note on every row).

**Totality.** Anything that is not a dataset we can read without guessing — a
``category`` that is a string, an ``id`` holding a list, a value that is not a finite
number or an integer too large to hold exactly, a code that is not a string — raises
:class:`JsonStatError` naming the JSON path of the offending part (``$.dimension.geo.category``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..errors import FetchError

#: Flag → status in the shared vocabulary (udsattestat.schema.STATUSES).
#: ``n`` (not significant) has no status of its own; it says the figure must not be read as
#: a reliable difference, which is what ``low_reliability`` tells a chart reader.
#: ``s`` (Eurostat estimate) and ``f`` (forecast) are estimates too. ``|X`` entries are
#: confidentiality statuses (SDMX code list CL_CONF_STATUS): every one but ``F`` (free)
#: means the value is withheld.
FLAG_STATUS = {
    "c": "suppressed",
    "u": "low_reliability",
    "n": "low_reliability",
    "b": "break",
    "p": "provisional",
    "e": "estimated",
    "s": "estimated",
    "f": "estimated",
    **{f"|{code}": "suppressed" for code in "ACDEGMNOST"},
}

#: When a cell carries several flags ("bu", "ep"), the status is the one earliest here: the
#: one that most limits what a reader may conclude. A withheld value first; then a value
#: that is not reliable at all; then a break (not comparable over time); then a value that
#: will be revised; then an estimate. Every flag stays in ``flags`` whatever is chosen.
STATUS_PRECEDENCE = ("suppressed", "low_reliability", "break", "provisional", "estimated")

#: What Eurostat's flags mean: observation flags (code list ESTAT/OBS_FLAG) and, after a
#: ``|``, confidentiality statuses (SDMX CL_CONF_STATUS). Used in row notes and caveats; the
#: response's own ``extension.status.label`` wins where it says more.
FLAG_MEANINGS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "i": "see metadata",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
    ":": "not available",
    "|A": "confidential (primary confidentiality, small counts)",
    "|C": "confidential",
    "|D": "confidential (secondary confidentiality)",
    "|E": "confidential (declared so by the data provider)",
    "|G": "confidential (dominance by one, two or more units)",
    "|M": "confidential (other measures of concealment)",
    "|N": "not for publication",
    "|O": "confidential (dominance by one unit)",
    "|S": "confidential (secondary confidentiality, set by the receiver)",
    "|T": "confidential (dominance by two units)",
    "|F": "free (not confidential)",
}

#: Columns the parser adds beside the dimensions; a dimension may not use these names
#: (nor the underscore names :func:`tidy` works with).
RESERVED = ("value", "flags", "status", "note", "_time", "_flags", "_freq", "_start", "_end", "_note")

#: Above this an integer value cannot be held exactly in a float64 column.
EXACT_INT = 2**53
#: The largest cube whose flat cell indices fit the int64 arithmetic of the decode.
MAX_CELLS = 2**62
_CELL_KEY = r"^(?:0|[1-9][0-9]{0,18})$"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(*parts: str | int) -> str:
    """``("dimension", "geo", "category")`` → ``$.dimension.geo.category`` (brackets where needed)."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


class JsonStatError(FetchError):
    """A response that is not a JSON-stat 2.0 dataset we can read without guessing.

    ``path`` is the JSON path of the part at fault (``$.value["12"]``), or None when the
    whole body is at fault (not JSON at all).
    """

    def __init__(self, message: str, *, url: str | None = None, path: str | None = None):
        self.path = path
        where = f" (at {path})" if path else ""
        super().__init__(f"not a readable JSON-stat 2.0 dataset: {message}{where}", url=url)


# -- flags --------------------------------------------------------------------------------


def flag_tokens(flags: str | None) -> list[str]:
    """A flag string as its parts: ``"ep|C"`` → ``["e", "p", "|C"]`` (each letter, then ``|CONF``).

    Order and repeats are dropped; the verbatim string stays in the ``flags`` column.
    """
    if not flags:
        return []
    obs, sep, conf = flags.strip().partition("|")
    out = [ch for ch in obs if not ch.isspace()]
    conf = conf.strip()
    if conf:
        out.append("|" + conf)
    return list(dict.fromkeys(out))


def join_flags(*flags: str | None) -> str | None:
    """Several cells' flags as one string (a rate from two inputs): letters merged, one ``|CONF``.

    A withholding confidentiality status wins over ``|F`` (free).
    """
    tokens = [t for f in flags for t in flag_tokens(f)]
    letters = "".join(dict.fromkeys(t for t in tokens if not t.startswith("|")))
    confs = [t for t in dict.fromkeys(tokens) if t.startswith("|")]
    conf = next((c for c in confs if FLAG_STATUS.get(c) == "suppressed"), confs[0] if confs else "")
    return (letters + conf) or None


def status_for(flags: str | None, has_value: bool = True) -> str:
    """The one status of a cell from its flags (see :data:`STATUS_PRECEDENCE`).

    A cell with no value that is not flagged confidential was left out for another reason
    (Eurostat's ``:`` "not available", ``z`` "not applicable"): it is ``omitted``.
    """
    found = {FLAG_STATUS[t] for t in flag_tokens(flags) if t in FLAG_STATUS}
    if not has_value and "suppressed" not in found:
        return "omitted"
    for status in STATUS_PRECEDENCE:
        if status in found:
            return status
    return "published"


def describe_flags(flags: str | None, meanings: dict[str, str]) -> str | None:
    """The row note for a flag string: each known flag spelled out; unknown ones are left to the caveats."""
    known = [f"flag {t}: {meanings[t]}" for t in flag_tokens(flags) if t in meanings]
    return "; ".join(known) or None


def unknown_flags(flags, meanings: dict[str, str]) -> dict[str, int]:
    """Flags no code list we know defines → how many cells carry each (for one caveat per fetch).

    ``flags`` is the ``flags`` column (any iterable of strings or None); the count works on
    its distinct values, so a million rows cost as much as their handful of flag strings.
    """
    import polars as pl

    series = flags if isinstance(flags, pl.Series) else pl.Series("flags", list(flags), dtype=pl.String)
    counts: Counter[str] = Counter()
    for value, n in series.cast(pl.String).drop_nulls().value_counts().iter_rows():
        for token in flag_tokens(value):
            if token not in meanings:
                counts[token] += n
    return dict(sorted(counts.items()))


# -- the cube -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]

    def label_of(self, code: str) -> str:
        return self.labels[self.codes.index(code)]


@dataclass
class Cube:
    """One parsed dataset: its dimensions in storage order and its observations.

    ``observations`` has one row per cell that has a value or a flag, in storage order,
    with a code and a ``<dim>_label`` column per dimension (dictionary-encoded), then
    ``value`` (Float64, null when withheld), ``flags`` (the flags as published, null when
    none) and ``status``.
    """

    label: str
    source: str
    updated: str
    dimensions: list[Dimension]
    roles: dict[str, list[str]]
    observations: Any  # polars.DataFrame
    extension: dict[str, Any] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.dimensions]

    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    def role(self, role: str, fallbacks: tuple[str, ...] = ()) -> str | None:
        """The dimension id with a JSON-stat role ("time", "geo"), else the first fallback id present."""
        for dim_id in self.roles.get(role, []):
            if dim_id in self.ids:
                return dim_id
        lowered = {i.lower(): i for i in self.ids}
        for name in fallbacks:
            if name.lower() in lowered:
                return lowered[name.lower()]
        return None

    def flag_labels(self) -> dict[str, str]:
        """Flag meanings as the response states them (Eurostat's ``extension.status.label``), else ours.

        Eurostat labels a confidentiality status the way it writes it (``"|C": "|confidential"``):
        the bar is dropped from the meaning. A label for a combination (``"p|C"``) is not
        split; each part keeps its own meaning.
        """
        status = self.extension.get("status") if isinstance(self.extension, dict) else None
        labels = status.get("label") if isinstance(status, dict) else None
        out = dict(FLAG_MEANINGS)
        if isinstance(labels, dict):
            for key, text in labels.items():
                tokens = flag_tokens(str(key))
                meaning = str(text).strip().strip("|").strip()
                if len(tokens) == 1 and meaning:
                    out[tokens[0]] = meaning
        return out

    def unknown_flags(self) -> dict[str, int]:
        return unknown_flags(self.observations["flags"], self.flag_labels())


# -- parsing ------------------------------------------------------------------------------


def _load(data: bytes | str | dict) -> dict:
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

    doc = _load(data)
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

    # Every cell with a value or a flag, in storage order.
    if flag_cells.size == 0 or np.isin(flag_cells, value_cells, assume_unique=True).all():
        cells = value_cells
    else:
        cells = np.union1d(value_cells, flag_cells)
    n = cells.size
    has_value = np.zeros(n, dtype=bool)
    value_at = np.searchsorted(cells, value_cells)
    has_value[value_at] = True
    value_col = np.full(n, np.nan)
    value_col[value_at] = values
    flag_col = np.full(n, -1, dtype=np.int32)
    flag_col[np.searchsorted(cells, flag_cells)] = flag_codes

    # Each (flag string, has value) pair gets its status once; cells look theirs up.
    from ..schema import STATUSES

    flag_list = distinct.to_list()
    lookup = np.array([[STATUSES.index(status_for(f, h)) for h in (False, True)] for f in [None, *flag_list]],
                      dtype=np.int32)
    status_idx = lookup[flag_col + 1, has_value.astype(np.intp)]

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


def tidy(
    cube: Cube,
    *,
    indicator: str,
    vintage: str,
    vintage_date: str | None,
    source: str,
    source_locator: str | None = None,
    unit: str | None = None,
    drop: tuple[str, ...] = ("freq",),
):
    """The cube in udsattestat's tidy schema (udsattestat.schema), plus a trailing ``flags`` column.

    The time dimension becomes ``period`` (with ``freq``/``period_start``/``period_end``
    from :func:`udsattestat.periods.parse_period`), the geo dimension ``geo``/``geo_label``,
    a ``unit`` dimension the ``unit`` column (else ``unit`` is used for every row); every
    other dimension stays as a code and a label column. ``drop`` names dimensions the period
    already says (Eurostat's ``freq``). Flagged rows get a note spelling the flags out.
    """
    import polars as pl

    from ..periods import PeriodError, parse_period
    from ..schema import polars_schema

    obs = cube.observations
    time_dim = cube.role("time", ("time", "TIME_PERIOD"))
    if time_dim is None:
        raise JsonStatError(f"no time dimension among {', '.join(cube.ids)}")
    geo_dim = cube.role("geo", ("geo",))
    unit_dim = "unit" if "unit" in cube.ids else None
    if unit_dim is None and unit is None:
        raise JsonStatError("no 'unit' dimension and no unit given")
    dims = [i for i in cube.ids if i not in (time_dim, geo_dim, unit_dim, *drop)]

    periods = {}
    for code in obs[time_dim].cast(pl.String).unique().drop_nulls().to_list():
        try:
            periods[code] = parse_period(code)
        except PeriodError as exc:
            raise JsonStatError(str(exc)) from None
    meanings = cube.flag_labels()
    flag_strings = obs["flags"].cast(pl.String).drop_nulls().unique().to_list()
    notes = pl.DataFrame(
        {"_flags": flag_strings, "_note": [describe_flags(f, meanings) for f in flag_strings]},
        schema={"_flags": pl.String, "_note": pl.String},
    )
    # Few distinct periods and flag sets: build each once and join, rather than per row.
    period_table = pl.DataFrame(
        {"_time": list(periods), "_freq": [p.freq for p in periods.values()],
         "_start": [p.start for p in periods.values()], "_end": [p.end for p in periods.values()]},
        schema={"_time": pl.String, "_freq": pl.String, "_start": pl.Date, "_end": pl.Date},
    )

    def const(value, dtype):
        return pl.lit(value, dtype=dtype)

    lazy = (
        obs.lazy()
        .with_columns(pl.col(time_dim).cast(pl.String).alias("_time"), pl.col("flags").cast(pl.String).alias("_flags"))
        .join(period_table.lazy(), on="_time", how="left", maintain_order="left")
        .join(notes.lazy(), on="_flags", how="left", maintain_order="left")
    )
    columns = [
        const(indicator, pl.String).alias("indicator"),
        pl.col(time_dim).alias("period"),
        pl.col("_freq").alias("freq"),
        pl.col("_start").alias("period_start"),
        pl.col("_end").alias("period_end"),
        (pl.col(geo_dim) if geo_dim else const(None, pl.String)).alias("geo"),
        (pl.col(f"{geo_dim}_label") if geo_dim else const(None, pl.String)).alias("geo_label"),
        *[pl.col(c) for d in dims for c in (d, f"{d}_label")],
        pl.col("value"),
        const(None, pl.Float64).alias("value_low"),
        const(None, pl.Float64).alias("value_high"),
        const(None, pl.Float64).alias("precision"),  # Eurostat's values are as published
        (pl.col(unit_dim) if unit_dim else const(unit, pl.String)).alias("unit"),
        pl.col("status"),
        const("V", pl.String).alias("confidence"),  # the producer's own release
        const(vintage, pl.String).alias("vintage"),
        const(vintage_date, pl.String).alias("vintage_date"),
        const(source, pl.String).alias("source"),
        const(source_locator, pl.String).alias("source_locator"),
        pl.col("_note").alias("note"),
        pl.col("flags"),
    ]
    schema = {**polars_schema(dims), "flags": pl.String}
    return (
        lazy.select(columns)
        .select([pl.col(c).cast(t) for c, t in schema.items()])
        .collect()  # rows stay in the cube's storage order: deterministic, and no sort to pay for
    )


def read_jsonstat(data: bytes | str | dict, **tidy_options):
    """``bytes -> tidy polars frame`` in one call: :func:`parse` then :func:`tidy`."""
    return tidy(parse(data), **tidy_options)
