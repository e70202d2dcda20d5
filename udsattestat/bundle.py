"""Read a bundled dataset folder (``dataset.toml`` + ``values.csv``) into a tidy table.

The folder is the unit of citation: ``dataset.toml`` holds titles, definition, units,
dimension codes, every source and every vintage; each row of ``values.csv`` names its
source, page or table, vintage, status and confidence. Anything malformed is reported
with the file and line, because these files are edited by hand.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import DatasetFileError
from .languages import LANGS
from .periods import PeriodError, parse_period
from .provenance import Provenance
from .schema import CONFIDENCES, GEO_LABEL, STATUSES, TRAILING
from .searchpath import META_FILE, VALUES_FILE, bundle_root, folder_of
from .toml_schema import given

#: values.csv columns before and after the dataset's own dimension columns: the tidy table's,
#: less what dataset.toml gives (the indicator, the period's dates, each release's date); its
#: page-or-table column is called ``locator``.
CSV_HEAD = ("period", "geo")
CSV_TAIL = tuple("locator" if c == "source_locator" else c for c in TRAILING if c != "vintage_date")
#: An optional last column: the row's note in Danish, beside the English ``note``.
NOTE_DA = "note_da"
#: The providers' mapping tables in dataset.toml (see udsattestat.providers).
PROVIDER_TABLES = ("statbank", "eurostat")

if TYPE_CHECKING:  # the schema is imported when a dataset is read (meta_from_doc), not before
    from .dataset_schema import Dataset


def datasets_dir() -> Path:
    """The bundled datasets' folder (see :func:`udsattestat.searchpath.bundle_root`)."""
    return Path(bundle_root())


def dataset_folder(indicator: str) -> Path:
    """The folder of dataset ``indicator``: the first on the search path that has it
    (:mod:`udsattestat.searchpath`), else where the bundle would have it (read_meta then
    says it is missing)."""
    found = folder_of(indicator)
    return Path(found) if found is not None else datasets_dir() / indicator


@dataclass(frozen=True)
class CatalogEntry:
    """One indicator of :func:`udsattestat.catalog.entries` (``catalog.Entry``)."""

    id: str
    title: dict[str, str]
    unit: str
    producer: str
    live: str | None


@dataclass
class DatasetMeta:
    """A bundled dataset's folder and its ``dataset.toml``, read and checked (``doc``)."""

    id: str
    path: Path
    doc: Dataset
    dims: list[str] = field(default_factory=list)

    def text(self, key: str, lang: str = "en") -> str:
        return self.doc.text(key, lang)

    @property
    def title(self) -> dict[str, str]:
        return dict(self.doc.title)

    @property
    def provider(self) -> str | None:
        """The live provider: the one whose mapping table (``[statbank]``/``[eurostat]``) is declared."""
        return next((name for name in PROVIDER_TABLES if getattr(self.doc, name) is not None), None)

    @property
    def live(self) -> str | None:
        """``provider:TABLE`` (tables joined by ``+``) for display; None for a bundled-only dataset."""
        name = self.provider
        if name is None:
            return None
        mapping = getattr(self.doc, name)
        tables = list(mapping["tables"]) if "tables" in mapping else [mapping["table"]]
        return f"{name}:{'+'.join(tables)}"

    def unit_label(self, unit: str, lang: str) -> str:
        return self.doc.units.get(unit, {}).get(lang, unit)

    def code_label(self, dim: str, code: str, lang: str) -> str:
        entry = self.doc.codes(dim).get(code, {})
        return entry.get(lang) or entry.get("en") or code

    def dim_label(self, dim: str, lang: str) -> str:
        if dim == "geo":
            return GEO_LABEL[lang]
        return self.doc.dimensions[dim].label.get(lang) or dim

    def presentation(self, frame=None, lang: str | None = None) -> dict[str, Any]:
        """Everything charts, tables and the page need, to travel in the provenance's ``extra``.

        ``dimensions``: per dimension (``geo`` too) its label and every code's labels in
        both languages, in the order declared; ``units``: unit labels; ``chart_notes`` and
        ``chart`` (default selections). With a live ``frame``, codes the dataset does not
        declare (e.g. all municipalities from tableinfo) are added with the frame's labels,
        which are in ``lang`` only — recorded as such under ``label_language``.
        """
        d = self.doc
        tables = {"geo": (GEO_LABEL, d.geo)}
        tables.update({dim: (d.dimensions[dim].label, d.dimensions[dim].codes) for dim in self.dims})
        dims: dict[str, Any] = {}
        for dim, (label, codes) in tables.items():
            entry = {"label": dict(label), "codes": {c: dict(v) for c, v in codes.items()}, "order": list(codes)}
            if dim != "geo" and d.dimensions[dim].adds_up is not None:  # how the codes add up (udsattestat.sums)
                entry["adds_up"] = d.dimensions[dim].adds_up
            if frame is not None and dim in _column_names(frame):
                for code, text in _codes_seen(frame, dim):
                    if code not in entry["codes"]:
                        entry["codes"][code] = {lang: text, "label_language": lang}
                        entry["order"].append(code)
            dims[dim] = entry
        return {"dimensions": dims, "units": {u: dict(v) for u, v in d.units.items()},
                "chart_notes": d.chart_notes, "chart": given(d.chart), "table": given(d.table) if d.table else {}}


def _column_names(frame) -> list[str]:
    return frame.column_names if hasattr(frame, "column_names") else frame.columns


def _codes_seen(frame, dim: str) -> list[tuple[Any, Any]]:
    """(code, label) of each ``dim`` code in ``frame``, in the order of their first row. ``frame``
    is a polars frame, or a pyarrow table (a live StatBank table: that path does not import polars)."""
    if hasattr(frame, "column_names"):
        import pyarrow.compute as pc

        column = frame[dim].combine_chunks()
        codes = pc.unique(column)  # in the order of their first rows
        first = pc.index_in(codes, value_set=column)  # the first row of each
        return list(zip(codes.to_pylist(), frame[f"{dim}_label"].take(first).to_pylist(), strict=True))
    return frame.select(dim, f"{dim}_label").unique(subset=dim, maintain_order=True).rows()


def _fail(path: Path, message: str, line: int | None = None) -> DatasetFileError:
    return DatasetFileError(path, message, line)


def read_meta(folder: Path) -> DatasetMeta:
    """Parse and check ``folder/dataset.toml`` against the one schema (:mod:`.dataset_schema`)."""
    path = folder / META_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(path, "metadata file is missing; every dataset folder needs one") from None
    except IsADirectoryError:
        raise _fail(path, "is a directory, not a file") from None
    return meta_from_bytes(folder, data)


def meta_from_bytes(folder: Path, data: bytes) -> DatasetMeta:
    """``dataset.toml`` bytes → checked metadata; total: a DatasetMeta or a DatasetFileError."""
    path = folder / META_FILE
    try:
        text = data.decode("utf-8")
        raw = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line N, column M)".
        found = re.search(r"at line (\d+)", str(exc))
        raise _fail(path, f"invalid TOML: {exc}; fix the file", int(found.group(1)) if found else None) from None
    return meta_from_doc(folder, raw, text)


def meta_from_doc(folder: Path, raw: Any, text: str = "") -> DatasetMeta:
    """Check a parsed ``dataset.toml`` (``text``, its source, gives line numbers).

    Total: a :class:`DatasetMeta` or a DatasetFileError, whatever ``raw`` holds.
    """
    from . import dataset_schema

    path = folder / META_FILE
    if not isinstance(raw, dict):
        raise _fail(path, "expected a TOML document of tables")
    doc = dataset_schema.read(raw, text, path, folder.name)
    return DatasetMeta(id=doc.id, path=folder, doc=doc, dims=list(doc.dimensions))


def _number(text: str, path: Path, line: int, column: str) -> float | None:
    text = text.strip()
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise _fail(
            path, f"column {column!r}: {text!r} is not a number (use a point for decimals, no thousands separator)", line
        ) from None
    if not math.isfinite(value):
        raise _fail(path, f"column {column!r}: {text!r} is not a finite number", line)
    return value


def read_rows(meta: DatasetMeta) -> tuple[list[dict[str, Any]], bytes]:
    """Validate ``values.csv`` row by row; return the rows and the raw bytes (for the checksum)."""
    path = meta.path / VALUES_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _fail(path, "values file is missing; every dataset folder needs one") from None
    return rows_from_bytes(meta, raw), raw


def rows_from_bytes(meta: DatasetMeta, raw: bytes) -> list[dict[str, Any]]:
    """Check ``values.csv`` bytes row by row; total: the rows or a DatasetFileError with the line."""
    path = meta.path / VALUES_FILE
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    expected = list(CSV_HEAD) + meta.dims + list(CSV_TAIL)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise _fail(path, "file is empty; it needs a header line", 1) from None
    if header == [*expected, NOTE_DA]:  # the note in both languages, side by side
        expected = header
    if header != expected:
        raise _fail(path, f"header is {','.join(header)!r}; expected {','.join(expected)!r} "
                          f"(optionally ending in ,{NOTE_DA})", 1)
    sources = meta.doc.sources
    vintages = meta.doc.vintages
    units = meta.doc.units
    geo = meta.doc.geo
    rows: list[dict[str, Any]] = []
    seen: dict[tuple, int] = {}
    for record in reader:
        line = reader.line_num
        if not record or all(not c.strip() for c in record):
            continue
        if len(record) != len(expected):
            raise _fail(path, f"expected {len(expected)} fields, found {len(record)}", line)
        row = dict(zip(expected, (c.strip() for c in record), strict=False))
        try:
            period = parse_period(row["period"])
        except PeriodError as exc:
            raise _fail(path, str(exc), line) from None
        if row["geo"] not in geo:
            raise _fail(path, f"geo code {row['geo']!r} is not in [geo] of {META_FILE}", line)
        for dim in meta.dims:
            if row[dim] not in meta.doc.codes(dim):
                raise _fail(path, f"{dim} code {row[dim]!r} is not in [dimensions.{dim}.codes]", line)
        value = _number(row["value"], path, line, "value")
        low = _number(row["value_low"], path, line, "value_low")
        high = _number(row["value_high"], path, line, "value_high")
        if value is None and (low is None or high is None):
            raise _fail(path, "a row needs a value, or both value_low and value_high for a range", line)
        if low is not None and high is not None and low > high:
            raise _fail(path, f"value_low {low:g} is above value_high {high:g}", line)
        precision = _number(row["precision"], path, line, "precision")
        if precision is not None and precision <= 0:
            raise _fail(path, f"precision {precision:g} must be above 0 (the publisher's rounding step, e.g. 1000 for a figure written to the thousand; empty when exact)", line)
        if row["status"] == "approximate" and precision is None:
            raise _fail(path, "an approximate value needs its precision: the rounding step the source writes it to (e.g. 1000)", line)
        if row["unit"] not in units:
            raise _fail(path, f"unit {row['unit']!r} is not in [units]", line)
        if row["status"] not in STATUSES:
            raise _fail(path, f"status {row['status']!r} is not one of {', '.join(STATUSES)}", line)
        if row["confidence"] not in CONFIDENCES:
            raise _fail(path, f"confidence {row['confidence']!r} is not one of {', '.join(CONFIDENCES)}", line)
        if row["vintage"] not in vintages:
            raise _fail(path, f"vintage {row['vintage']!r} is not in [vintages]", line)
        if row["source"] not in sources:
            raise _fail(path, f"source {row['source']!r} is not in [sources]", line)
        if row.get(NOTE_DA) and not row["note"]:
            raise _fail(path, f"{NOTE_DA} without a note; give the note in English too", line)
        key = (row["period"], row["geo"], *(row[d] for d in meta.dims), row["unit"], row["vintage"])
        if key in seen:
            raise _fail(path, f"duplicate row: same period, geo, dimensions, unit and vintage as line {seen[key]}", line)
        seen[key] = line
        row.update(_period=period, value=value, value_low=low, value_high=high, precision=precision, _line=line)
        rows.append(row)
    # A live-only dataset (nothing citable to bundle) has a header and no rows.
    if not rows and not meta.doc.live_only:
        raise _fail(path, "no data rows", 2)
    return rows


def tidy_rows(meta: DatasetMeta, rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The tidy rows of a bundled dataset as plain dicts (the schema's columns, in its order),
    labels in ``lang``, sorted by period, dimensions, then release: no polars needed, so the
    small commands (``info``, ``show``) start fast."""
    vintages = meta.doc.vintages
    out = []
    for row in rows:
        p = row["_period"]
        tidy = {"indicator": meta.id, "period": p.code, "freq": p.freq, "period_start": p.start,
                "period_end": p.end, "geo": row["geo"], "geo_label": meta.code_label("geo", row["geo"], lang)}
        for dim in meta.dims:
            tidy[dim] = row[dim]
            tidy[f"{dim}_label"] = meta.code_label(dim, row[dim], lang)
        tidy.update(
            value=row["value"], value_low=row["value_low"], value_high=row["value_high"],
            precision=row["precision"], unit=row["unit"],
            status=row["status"], confidence=row["confidence"], vintage=row["vintage"],
            vintage_date=vintages[row["vintage"]].published or None,
            source=row["source"], source_locator=row["locator"] or None, note=row["note"] or None,
        )
        out.append(tidy)
    dim_cols = ["geo", *meta.dims, "unit"]
    # Releases with no recorded date sort first (they are never "latest" over a dated one).
    out.sort(key=lambda r: (r["period_start"], *(r[c] for c in dim_cols),
                            r["vintage_date"] is not None, r["vintage_date"] or "", r["vintage"]))
    return out


def build_frame(meta: DatasetMeta, rows: list[dict[str, Any]], lang: str):
    """The tidy polars frame of a bundled dataset, labels in ``lang``."""
    import polars as pl

    from .schema import polars_schema

    return pl.DataFrame(tidy_rows(meta, rows, lang), schema=polars_schema(meta.dims), orient="row")


def period_span(periods) -> str:
    """``first–last`` period code of some periods (``2019`` if one, ``""`` if none)."""
    ordered = sorted(set(periods), key=lambda p: (p.start, p.end))
    if not ordered:
        return ""
    first, last = ordered[0].code, ordered[-1].code
    return first if first == last else f"{first}–{last}"


#: Dataset texts that may be given as ``{ da = "…", en = "…" }`` (dataset_schema.text_or_texts).
DATASET_TEXTS = ("producer", "publication", "licence")
SOURCE_TEXTS = ("publication", "via")
VINTAGE_TEXTS = ("description", "known_by_evidence")


def one_language(entry: dict[str, Any], keys) -> dict[str, Any]:
    """``entry`` with each text of ``keys`` in its one-language (English) form, and both
    languages beside it under ``texts`` (``{"via": {"da": …, "en": …}}``) where it has two:
    whatever reads the plain key still gets a string, a reader in Danish gets Danish."""
    out = dict(entry)
    both: dict[str, dict[str, str]] = {}
    for key in keys:
        value = entry.get(key)
        if isinstance(value, dict):
            both[key] = {lang: value[lang] for lang in LANGS}
            out[key] = value["en"]
    if both:
        out["texts"] = both
    return out


def row_notes(rows: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Each row note in both languages (``note`` -> {da, en}), from values.csv's ``note_da``."""
    return {r["note"]: {"da": r[NOTE_DA], "en": r["note"]} for r in rows if r.get(NOTE_DA) and r["note"]}


def provenance_for(meta: DatasetMeta, raw_values: bytes, rows: list[dict[str, Any]] | None = None) -> Provenance:
    import hashlib  # here, not at the top: loading OpenSSL costs `list` a few ms for nothing

    meta_bytes = (meta.path / META_FILE).read_bytes()
    d = meta.doc
    citations: dict[str, dict[str, Any]] = {}
    for sid, source in d.sources.items():
        src = given(source)
        entry = one_language(src, SOURCE_TEXTS)
        entry.setdefault("citation", _citation(entry))
        if "texts" in entry:
            entry["texts"]["citation"] = {lang: _citation(src, lang) for lang in LANGS}
        citations[sid] = entry
    top = one_language({k: getattr(d, k) for k in DATASET_TEXTS}, DATASET_TEXTS)
    extra = meta.presentation()
    if "texts" in top:
        extra["texts"] = top["texts"]
    notes = row_notes(rows or [])
    if notes:  # the tidy rows keep the note as recorded; a reader in Danish reads it from here
        extra["notes"] = notes
    return Provenance(
        indicator=meta.id,
        title=meta.title,
        unit=d.unit,
        producer=top["producer"],
        publication=top["publication"],
        url=d.url or "",
        licence=top["licence"],
        origin="bundle",
        citations=citations,
        vintages={k: one_language(given(v), VINTAGE_TEXTS) for k, v in d.vintages.items()},
        retrieved=d.checked or "",
        raw_sha256={
            f"datasets/{meta.id}/{META_FILE}": hashlib.sha256(meta_bytes).hexdigest(),
            f"datasets/{meta.id}/{VALUES_FILE}": hashlib.sha256(raw_values).hexdigest(),
        },
        tool_version=__version__,
        query={"bundle": f"datasets/{meta.id}"},
        caveats={k: list(v) for k, v in d.caveats.items()},
        definition=dict(d.definition),
        credit=dict(d.credit),
        extra=extra,
    )


def _citation(src: dict[str, Any], lang: str = "en") -> str:
    """"Author (year) publication, publisher. url" with the publication in ``lang``."""
    pub = src.get("publication", "")
    pub = pub.get(lang, "") if isinstance(pub, dict) else pub
    parts = [src.get("author", ""), f"({src['year']})" if src.get("year") else "", pub]
    text = " ".join(p for p in parts if p)
    if src.get("publisher"):
        text += f", {src['publisher']}"
    if src.get("url"):
        text += f". {src['url']}"
    return text


def read_bundled(indicator: str) -> tuple[DatasetMeta, list[dict[str, Any]], Provenance]:
    """(meta, validated rows, provenance) of one bundled dataset, without polars."""
    meta = read_meta(dataset_folder(indicator))
    rows, raw = read_rows(meta)
    return meta, rows, provenance_for(meta, raw, rows)


def load_bundled(indicator: str, lang: str = "da"):
    """(frame, provenance, meta) of one bundled dataset; cached, callers must not mutate."""
    folder = dataset_folder(indicator)
    stamp = tuple((folder / f).stat().st_mtime_ns if (folder / f).exists() else 0 for f in (META_FILE, VALUES_FILE))
    return _load_cached(str(folder), lang, stamp)


@lru_cache(maxsize=64)
def _load_cached(folder: str, lang: str, stamp: tuple):
    meta = read_meta(Path(folder))
    rows, raw = read_rows(meta)
    return build_frame(meta, rows, lang), provenance_for(meta, raw, rows), meta


def check_folder(folder: str | os.PathLike) -> dict[str, Any]:
    """Check one dataset folder completely: ``dataset.toml`` against the schema, every row
    of ``values.csv``, and the tidy table built from them. Returns a summary; raises
    :class:`DatasetFileError` (file, line, what to fix) at the first problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise _fail(folder, "not a directory; give a dataset folder (with dataset.toml and values.csv)")
    meta = read_meta(folder)
    rows, _raw = read_rows(meta)
    frame = build_frame(meta, rows, "da")
    build_frame(meta, rows, "en")
    return {
        "id": meta.id,
        "rows": frame.height,
        "dimensions": meta.dims,
        "vintages": sorted({r["vintage"] for r in rows}),
        "sources": sorted({r["source"] for r in rows}),
        "live": meta.live,
    }
