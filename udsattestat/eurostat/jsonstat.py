"""JSON-stat 2.0 → tidy table. Pure: bytes in, frame out; no HTTP, no files.

Eurostat's dissemination API answers ``format=JSON`` with one JSON-stat 2.0 ``dataset``:

* ``id`` lists the dimension ids in storage order and ``size`` their lengths; the cube is
  stored **row-major** over them (the last id varies fastest).
* ``value`` and ``status`` are usually *sparse objects* keyed by the flat index as a string
  (``{"0": 154.7, "7": 12.1}``); a missing key is a missing cell. JSON-stat also allows a
  dense list (``null`` = missing) and, for ``status``, one string for every cell — all
  three are accepted.
* ``dimension[id].category.index`` maps code → position, either as an object or as a list
  of codes in order; it may be left out for a dimension with a single category, and
  ``category.label`` (code → label) may be left out too (the code is then the label).

The work is proportional to the number of *observations*, not the size of the dense cube:
flat indices are decoded to positions with one integer division per dimension, vectorised
in polars, so a sparse cube of a billion cells with a thousand values costs a thousand.

Eurostat observation flags are kept verbatim in a ``flags`` column ("bu" stays "bu") and
mapped to one ``status`` by :data:`STATUS_PRECEDENCE`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import FetchError

#: Flag letter → status in the shared vocabulary (udsattestat.schema.STATUSES).
#: ``n`` (not significant) has no status of its own; it says the figure must not be read as
#: a reliable difference, which is what ``low_reliability`` tells a chart reader.
#: ``s`` (Eurostat estimate) and ``f`` (forecast) are estimates too.
FLAG_STATUS = {
    "c": "suppressed",
    "u": "low_reliability",
    "n": "low_reliability",
    "b": "break",
    "p": "provisional",
    "e": "estimated",
    "s": "estimated",
    "f": "estimated",
}

#: When a cell carries several flags ("bu", "ep"), the status is the one earliest here: the
#: one that most limits what a reader may conclude. A withheld value first; then a value
#: that is not reliable at all; then a break (not comparable over time); then a value that
#: will be revised; then an estimate. Every letter stays in ``flags`` whatever is chosen.
STATUS_PRECEDENCE = ("suppressed", "low_reliability", "break", "provisional", "estimated")

#: What Eurostat's flag letters mean (its code list ESTAT/OBS_FLAG); used in row notes.
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
}

#: Columns the parser adds beside the dimensions; a dimension may not use these names.
RESERVED = ("value", "flags", "status", "note")


class JsonStatError(FetchError):
    """A response that is not a JSON-stat 2.0 dataset we can read without guessing."""

    def __init__(self, message: str, *, url: str | None = None):
        super().__init__(f"not a readable JSON-stat 2.0 dataset: {message}", url=url)


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

    ``observations`` has one row per cell that has a value or a flag, with a code and a
    ``<dim>_label`` column per dimension, then ``value`` (Float64, null when withheld),
    ``flags`` (the letters as published, null when none) and ``status``.
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
        """Flag meanings as the response states them (Eurostat's ``extension.status.label``), else ours."""
        status = self.extension.get("status") if isinstance(self.extension, dict) else None
        labels = status.get("label") if isinstance(status, dict) else None
        out = dict(FLAG_MEANINGS)
        if isinstance(labels, dict):
            out.update({str(k): str(v) for k, v in labels.items()})
        return out


def status_for(flags: str | None, has_value: bool = True) -> str:
    """The one status of a cell from its flag letters (see :data:`STATUS_PRECEDENCE`).

    A cell with no value that is not flagged confidential was left out for another reason
    (Eurostat's ``:`` "not available", ``z`` "not applicable"): it is ``omitted``.
    """
    found = {FLAG_STATUS[ch] for ch in (flags or "") if ch in FLAG_STATUS}
    if not has_value and "suppressed" not in found:
        return "omitted"
    for status in STATUS_PRECEDENCE:
        if status in found:
            return status
    return "published"


def _load(data: bytes | str | dict) -> dict:
    if isinstance(data, dict):
        return data
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise JsonStatError(f"the body is not JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise JsonStatError("the body is JSON but not an object")
    return doc


def _dimensions(doc: dict) -> list[Dimension]:
    ids, sizes, dims_raw = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not isinstance(dims_raw, dict):
        raise JsonStatError("'id', 'size' and 'dimension' are required")
    if len(ids) != len(sizes):
        raise JsonStatError(f"'id' has {len(ids)} entries but 'size' has {len(sizes)}")
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in sizes):
        raise JsonStatError(f"'size' must list whole numbers, not {sizes!r}")
    if len(set(ids)) != len(ids):
        raise JsonStatError(f"'id' names a dimension twice: {ids!r}")
    out = []
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id in RESERVED:
            raise JsonStatError(f"dimension id {dim_id!r} clashes with a column of the tidy table")
        raw = dims_raw.get(dim_id)
        if not isinstance(raw, dict):
            raise JsonStatError(f"dimension {dim_id!r} is listed in 'id' but not described in 'dimension'")
        category = raw.get("category") or {}
        index, labels = category.get("index"), category.get("label") or {}
        if isinstance(index, list):
            codes = [str(c) for c in index]
        elif isinstance(index, dict):
            by_pos: dict[int, str] = {}
            for code, pos in index.items():
                if not isinstance(pos, int) or isinstance(pos, bool) or not 0 <= pos < size or pos in by_pos:
                    raise JsonStatError(f"dimension {dim_id!r}: bad position {pos!r} for code {code!r}")
                by_pos[pos] = str(code)
            codes = [by_pos[p] for p in sorted(by_pos)]
        elif index is None and isinstance(labels, dict) and len(labels) == 1:
            codes = [str(next(iter(labels)))]  # JSON-stat lets a one-category index be left out
        else:
            raise JsonStatError(f"dimension {dim_id!r} has no category index")
        if len(codes) != size:
            raise JsonStatError(f"dimension {dim_id!r} has {len(codes)} categories but size {size}")
        names = tuple(str(labels.get(c, c)) for c in codes)
        out.append(Dimension(str(dim_id), str(raw.get("label") or dim_id), tuple(codes), names))
    return out


def _sparse(raw: Any, what: str, total: int) -> tuple[list[int], list[Any]]:
    """``value``/``status`` as (flat indices, entries), nulls left out, from the object or list form.

    Bulk conversions (``map(int, …)``, min/max) keep this fast for a million entries; the
    slow per-entry search runs only to name the offending key in an error.
    """
    if raw is None:
        return [], []
    if isinstance(raw, list):
        if len(raw) != total:
            raise JsonStatError(f"'{what}' is a list of {len(raw)} but the cube has {total} cells")
        cells = [i for i, v in enumerate(raw) if v is not None]
        return cells, [raw[i] for i in cells]
    if not isinstance(raw, dict):
        raise JsonStatError(f"'{what}' must be an object or a list")
    keys = list(raw)
    try:
        cells = list(map(int, keys))
    except (TypeError, ValueError):
        bad = next(k for k in keys if not str(k).strip().lstrip("-").isdigit())
        raise JsonStatError(f"'{what}' key {bad!r} is not a cell index") from None
    if cells and (min(cells) < 0 or max(cells) >= total):
        bad = next(k for k, c in zip(keys, cells, strict=True) if not 0 <= c < total)
        raise JsonStatError(f"'{what}' key {bad!r} is outside the cube of {total} cells")
    if len(set(cells)) != len(cells):
        raise JsonStatError(f"'{what}' names the same cell twice (keys like '1' and '01')")
    entries = list(raw.values())
    if None in entries:
        pairs = [(c, e) for c, e in zip(cells, entries, strict=True) if e is not None]
        cells, entries = [c for c, _ in pairs], [e for _, e in pairs]
    return cells, entries


def _numbers(cells: list[int], entries: list[Any]):
    """The values as a Float64 series; any entry that is not a finite number is an error."""
    import polars as pl

    if not set(map(type, entries)) <= {int, float}:  # bool, str, dict… (bool is not int here)
        pos, entry = next((c, e) for c, e in zip(cells, entries, strict=True) if type(e) not in (int, float))
        raise JsonStatError(f"value at cell {pos} is {entry!r}, not a number")
    series = pl.Series("value", entries, dtype=pl.Float64)
    finite = series.is_finite()
    if not finite.all():
        raise JsonStatError(f"value at cell {cells[finite.arg_min()]} is not finite")
    return series


def parse(data: bytes | str | dict) -> Cube:
    """Parse a JSON-stat 2.0 dataset into a :class:`Cube`. Raises :class:`JsonStatError`."""
    import polars as pl

    doc = _load(data)
    if doc.get("class", "dataset") != "dataset":
        raise JsonStatError(f"class is {doc.get('class')!r}; only 'dataset' is supported")
    version = str(doc.get("version", "2.0"))
    if not version.startswith("2"):
        raise JsonStatError(f"version {version!r}; only JSON-stat 2.x is supported")
    dims = _dimensions(doc)
    total = math.prod(len(d.codes) for d in dims)
    value_cells, value_entries = _sparse(doc.get("value"), "value", total)
    values = pl.DataFrame({
        "_cell": pl.Series(value_cells, dtype=pl.Int64),
        "value": _numbers(value_cells, value_entries),
        "_has_value": pl.Series([True] * len(value_cells), dtype=pl.Boolean),
    })
    status_raw = doc.get("status")
    if isinstance(status_raw, str):  # one flag for every cell that has a value
        flag_cells, flag_entries = value_cells, [status_raw] * len(value_cells)
    else:
        flag_cells, flag_entries = _sparse(status_raw, "status", total)
    flags = pl.DataFrame({
        "_cell": pl.Series(flag_cells, dtype=pl.Int64),
        "flags": pl.Series([str(f) for f in flag_entries], dtype=pl.String).str.strip_chars(),
    }).filter(pl.col("flags") != "")
    obs = (
        values.join(flags, on="_cell", how="full", coalesce=True)
        .with_columns(pl.col("_has_value").fill_null(False))
        .sort("_cell")
    )
    # Few distinct (flags, has value) pairs exist: decide each status once, then join.
    combos = obs.select("flags", "_has_value").unique()
    combos = combos.with_columns(pl.Series(
        "status", [status_for(f, h) for f, h in combos.iter_rows()], dtype=pl.String))
    obs = obs.join(combos, on=["flags", "_has_value"], how="left", nulls_equal=True, maintain_order="left")

    flat = obs["_cell"]
    columns: dict[str, pl.Series] = {}
    stride = total
    for d in dims:
        stride //= max(len(d.codes), 1)  # an empty dimension means an empty cube: no cells
        pos = (flat // max(stride, 1)) % max(len(d.codes), 1)
        columns[d.id] = pl.Series(d.id, d.codes, dtype=pl.String).gather(pos)
        columns[f"{d.id}_label"] = pl.Series(d.id, d.labels, dtype=pl.String).gather(pos)
    columns["value"] = obs["value"]
    columns["flags"] = obs["flags"]
    columns["status"] = obs["status"]
    frame = pl.DataFrame([s.alias(name) for name, s in columns.items()])
    roles = doc.get("role") if isinstance(doc.get("role"), dict) else {}
    return Cube(
        label=str(doc.get("label", "")),
        source=str(doc.get("source", "")),
        updated=str(doc.get("updated", "")),
        dimensions=dims,
        roles={k: list(v) for k, v in roles.items() if isinstance(v, list)},
        observations=frame,
        extension=doc.get("extension") if isinstance(doc.get("extension"), dict) else {},
    )


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
    for code in obs[time_dim].unique().to_list():
        try:
            periods[code] = parse_period(code)
        except PeriodError as exc:
            raise JsonStatError(str(exc)) from None
    meanings = cube.flag_labels()
    notes = pl.DataFrame(
        {"flags": f, "_note": "; ".join(f"flag {ch}: {meanings.get(ch, 'unknown flag')}" for ch in f)}
        for f in obs["flags"].drop_nulls().unique().to_list()
    ) if obs["flags"].null_count() < obs.height else pl.DataFrame(schema={"flags": pl.String, "_note": pl.String})
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
        .with_columns(pl.col(time_dim).alias("_time"))
        .join(period_table.lazy(), on="_time", how="left", maintain_order="left")
        .join(notes.lazy(), on="flags", how="left", maintain_order="left")
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
