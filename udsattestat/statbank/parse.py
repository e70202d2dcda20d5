"""CSV and BULK bytes → the tidy schema, streamed in batches straight into Parquet.

Why streaming with pyarrow's CSV reader: a BULK response can hold millions of rows; read
whole, pandas or polars need several times the file size in memory. Here each batch
(a few MiB) is tidied and written as it comes, so memory stays flat whatever the size.

How the bytes are read, and why:

- separator ``;``, CRLF, UTF-8; the header (upper-case variable ids, then ``INDHOLD``) is
  read by us, BOM stripped, and checked against the request — a header that does not
  match is an error, never a table with columns in the wrong place;
- codes stay text (``0017``, ``000`` keep their zeros) and are dictionary-encoded, so a
  label is joined once per distinct code, from tableinfo, never from the response;
- ``INDHOLD`` is parsed with the decimal mark of the response's language (comma under
  ``da``, point under ``en``); a number written the other way is an error, not 10× off;
- ``..`` (and, before Dec 2017, an empty cell) is a null value with status ``suppressed``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FetchError
from ..periods import PeriodError, parse_period
from ..schema import CORE, LEADING, TRAILING
from .tableinfo import TableInfo, Variable

VALUE_COLUMN = "INDHOLD"
#: Bytes per parsed block. The threaded reader keeps several blocks in flight and peak
#: memory grew with the block size (5.6M rows: ≈ 200 MiB at 1 MiB, ≈ 280 MiB at 2 MiB,
#: more at 8 MiB) while speed did not: 1 MiB keeps memory flat (≈ 190 MiB at 1M rows).
BLOCK_SIZE = 1 << 20
NULL_MARKS = ["..", ""]
BOM = b"\xef\xbb\xbf"


class ParseError(FetchError):
    """A StatBank body that cannot be read as the table that was asked for."""


def read_header(path: Path) -> list[str]:
    """The header line of a CSV/BULK file: BOM stripped, names upper-cased."""
    with open(path, "rb") as fh:
        first = fh.readline(1 << 16)
    if first.startswith(BOM):
        first = first[len(BOM) :]
    try:
        text = first.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ParseError(f"{path.name}: the header is not UTF-8 text; this is not a StatBank CSV/BULK body") from None
    return [name.strip().strip('"').upper() for name in text.split(";")]


def check_header(path: Path, expected: list[str]) -> list[str]:
    """Refuse a body whose header does not name exactly the requested variables."""
    header = read_header(path)
    want = [e.upper() for e in expected]
    if sorted(header) != sorted(want) or header[-1] != VALUE_COLUMN:
        raise ParseError(
            f"the response header is {';'.join(header)!r} but the request asked for "
            f"{';'.join(want)!r}; refusing it rather than guessing which column is which"
        )
    return header


@dataclass
class TidyContext:
    """What the tidier needs to know besides the rows."""

    info: TableInfo
    variables: list[Variable]
    lang: str
    indicator: str
    unit: str
    source: str
    source_locator: str
    vintage: str
    vintage_date: str
    geo_default: tuple[str, str] = ("DK", "")
    omitted_note: str = ""
    column_names: dict[str, str] = field(default_factory=dict)

    def dims(self) -> list[Variable]:
        return [v for v in self.variables if not v.time and v is not self.geo]

    @property
    def geo(self) -> Variable | None:
        return next((v for v in self.variables if v.map), None)

    @property
    def time(self) -> Variable:
        t = next((v for v in self.variables if v.time), None)
        if t is None:
            raise ParseError(f"table {self.info.id} has no time variable in the request")
        return t

    def dim_column(self, var: Variable) -> str:
        name = self.column_names.get(var.id) or var.column
        if name in CORE or name.endswith("_label"):
            name = f"var_{name}"
        return name


def tidy_schema(ctx: TidyContext):
    """The Arrow schema of the tidy Parquet: text columns dictionary-encoded (read back as text)."""
    import pyarrow as pa

    text = pa.dictionary(pa.int32(), pa.string())
    fields = []
    dates = pa.dictionary(pa.int32(), pa.date32())
    for name in LEADING:
        fields.append((name, dates if name in ("period_start", "period_end") else text))
    for var in ctx.dims():
        col = ctx.dim_column(var)
        fields += [(col, text), (f"{col}_label", text)]
    for name in TRAILING:
        fields.append((name, pa.float64() if name.startswith("value") else text))
    return pa.schema(fields)


def _strings(values: list[str | None]):
    """A pyarrow string array built from buffers.

    ``pa.array(python_list)`` makes pyarrow import pandas (a third of a second) to check
    for pandas objects; building the buffers directly avoids that on every CLI run.
    """
    import array

    import pyarrow as pa

    offsets = array.array("i", [0])
    data = bytearray()
    validity = bytearray()
    for v in values:
        validity.append(v is not None)
        if v is not None:
            data += v.encode("utf-8")
        offsets.append(len(data))
    n = len(values)
    mask = None
    if not all(validity):
        bits = bytearray((n + 7) // 8)
        for i, ok in enumerate(validity):
            if ok:
                bits[i // 8] |= 1 << (i % 8)
        mask = pa.py_buffer(bytes(bits))
    return pa.Array.from_buffers(pa.string(), n, [mask, pa.py_buffer(offsets.tobytes()), pa.py_buffer(bytes(data))])


def _dates(values: list):
    """A date32 array from ``datetime.date`` values (see :func:`_strings` for why buffers)."""
    import array
    from datetime import date

    import pyarrow as pa

    epoch = date(1970, 1, 1).toordinal()
    days = array.array("i", (d.toordinal() - epoch for d in values))
    return pa.Array.from_buffers(pa.date32(), len(values), [None, pa.py_buffer(days.tobytes())])


class Tidier:
    """Turns raw batches (code columns + INDHOLD) into tidy batches; caches per-code lookups."""

    def __init__(self, ctx: TidyContext):
        import pyarrow as pa

        self.pa = pa
        self.ctx = ctx
        self.schema = tidy_schema(ctx)
        self.labels = {v.id: v.labels() for v in ctx.variables}
        self._periods: dict[str, Any] = {}
        self._zeros: dict[int, Any] = {}

    def _const(self, n: int, value: str | None):
        pa = self.pa
        if value is None:
            return pa.nulls(n, pa.dictionary(pa.int32(), pa.string()))
        zeros = self._zeros.get(n)
        if zeros is None:
            # One all-zero index array per batch length, shared by the constant columns; only
            # the latest is kept (blocks differ in length). Not via numpy: a numpy array makes
            # pyarrow import pandas, a third of a second for nothing.
            self._zeros.clear()
            zeros = self._zeros[n] = pa.Array.from_buffers(pa.int32(), n, [None, pa.py_buffer(bytes(4 * n))])
        return pa.DictionaryArray.from_arrays(zeros, _strings([value]), safe=False)

    def _codes(self, column, var: Variable):
        """(indices, codes dictionary) of a code column, dictionary-encoded if it is not already."""
        pa = self.pa
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        if not pa.types.is_dictionary(column.type):
            column = column.dictionary_encode()
        return column.indices, column.dictionary

    def _labels_for(self, var: Variable, dictionary) -> list[str]:
        labels = self.labels[var.id]
        out = []
        for code in dictionary.to_pylist():
            label = labels.get(code)
            if label is None:
                raise ParseError(
                    f"the response has code {code!r} for {var.id}, which tableinfo for {self.ctx.info.id} "
                    "does not list; the table may have changed — fetch again with --refresh"
                )
            out.append(label)
        return out

    def _period_arrays(self, dictionary):
        freqs, starts, ends = [], [], []
        for code in dictionary.to_pylist():
            p = self._periods.get(code)
            if p is None:
                try:
                    p = self._periods[code] = parse_period(code)
                except PeriodError as exc:
                    raise ParseError(f"table {self.ctx.info.id}: {exc}") from None
            freqs.append(p.freq)
            starts.append(p.start)
            ends.append(p.end)
        return _strings(freqs), _dates(starts), _dates(ends)

    def tidy(self, batch, status: str | None = None):
        """One raw batch (columns named by upper-case variable id + INDHOLD) → a tidy batch."""
        import pyarrow.compute as pc

        pa = self.pa
        ctx = self.ctx
        n = batch.num_rows
        cols: dict[str, Any] = {}
        cols["indicator"] = self._const(n, ctx.indicator)
        t_idx, t_dict = self._codes(batch.column(ctx.time.id.upper()), ctx.time)
        freq, start, end = self._period_arrays(t_dict)
        # Indices come from dictionary_encode, so they are in range: skip the check (safe=False).
        # Dates too are dictionary-encoded: a few distinct periods per batch, no 5.6M-row take.
        cols["period"] = pa.DictionaryArray.from_arrays(t_idx, t_dict, safe=False)
        cols["freq"] = pa.DictionaryArray.from_arrays(t_idx, freq, safe=False)
        cols["period_start"] = pa.DictionaryArray.from_arrays(t_idx, start, safe=False)
        cols["period_end"] = pa.DictionaryArray.from_arrays(t_idx, end, safe=False)
        geo = ctx.geo
        if geo is not None:
            g_idx, g_dict = self._codes(batch.column(geo.id.upper()), geo)
            cols["geo"] = pa.DictionaryArray.from_arrays(g_idx, g_dict, safe=False)
            cols["geo_label"] = pa.DictionaryArray.from_arrays(g_idx, _strings(self._labels_for(geo, g_dict)), safe=False)
        else:
            cols["geo"] = self._const(n, ctx.geo_default[0])
            cols["geo_label"] = self._const(n, ctx.geo_default[1])
        for var in ctx.dims():
            idx, dictionary = self._codes(batch.column(var.id.upper()), var)
            col = ctx.dim_column(var)
            cols[col] = pa.DictionaryArray.from_arrays(idx, dictionary, safe=False)
            cols[f"{col}_label"] = pa.DictionaryArray.from_arrays(
                idx, _strings(self._labels_for(var, dictionary)), safe=False)
        value = batch.column(VALUE_COLUMN)
        if isinstance(value, pa.ChunkedArray):
            value = value.combine_chunks()
        cols["value"] = value
        cols["value_low"] = pa.nulls(n, pa.float64())
        cols["value_high"] = pa.nulls(n, pa.float64())
        cols["unit"] = self._const(n, ctx.unit)
        if status is None:
            # published where there is a value; suppressed where DST wrote ".." (or nothing).
            status_idx = pc.cast(pc.is_null(value), pa.int32())
            cols["status"] = pa.DictionaryArray.from_arrays(status_idx, _strings(["published", "suppressed"]), safe=False)
        else:
            cols["status"] = self._const(n, status)
        cols["confidence"] = self._const(n, "V")
        cols["vintage"] = self._const(n, ctx.vintage)
        cols["vintage_date"] = self._const(n, ctx.vintage_date)
        cols["source"] = self._const(n, ctx.source)
        cols["source_locator"] = self._const(n, ctx.source_locator)
        cols["note"] = self._const(n, ctx.omitted_note if status == "omitted" else None)
        return pa.RecordBatch.from_arrays([cols[f.name] for f in self.schema], schema=self.schema)


def _number_error(exc: Exception, lang: str, what: str) -> ParseError:
    text = str(exc)
    m = re.search(r"invalid value '([^']*)'", text)
    mark = "a decimal comma (lang=da)" if lang == "da" else "a decimal point (lang=en)"
    if m:
        return ParseError(
            f"{what}: value {m.group(1)!r} in INDHOLD is not a number written with {mark}; "
            "the response does not match its language, or the table carries text values"
        )
    m = re.search(r"Expected (\d+) columns, got (\d+)", text)
    if m:
        return ParseError(f"{what}: a row has {m.group(2)} fields where the header has {m.group(1)}; the body is damaged")
    return ParseError(f"{what}: cannot read the body as ';'-separated values ({text.splitlines()[0][:200]})")


def raw_batches(path: Path, header: list[str], lang: str, *, what: str = "StatBank response",
                block_size: int | None = None) -> Iterator[Any]:
    """Raw record batches: code columns as text, INDHOLD float64 (nulls for ``..``)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    # Codes are read as plain text and dictionary-encoded per batch by the tidier: pyarrow's
    # CSV reader converts straight to dictionaries about twice as slowly.
    types = {name: pa.string() for name in header if name != VALUE_COLUMN}
    types[VALUE_COLUMN] = pa.float64()
    read = pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=block_size or BLOCK_SIZE, use_threads=True)
    parse = pacsv.ParseOptions(delimiter=";", quote_char='"', newlines_in_values=False)
    convert = pacsv.ConvertOptions(
        column_types=types,
        null_values=NULL_MARKS,
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        decimal_point="," if lang == "da" else ".",
    )
    try:
        reader = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
        yield from reader
    except pa.ArrowInvalid as exc:
        raise _number_error(exc, lang, what) from None
    except StopIteration:  # pragma: no cover
        return


@dataclass
class ParseStats:
    rows: int = 0
    suppressed: int = 0
    omitted: int = 0


def write_tidy(
    path: Path,
    ctx: TidyContext,
    header: list[str],
    out: Path,
    *,
    finish_metadata: Callable[[ParseStats], bytes],
    complete_codes: dict[str, list[str]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParseStats:
    """Stream ``path`` into the tidy Parquet ``out`` (atomic). Returns row counts.

    ``complete_codes`` (variable id → every selected code) restores the combinations a
    BULK response left out, as rows with status ``omitted``. ``finish_metadata(stats)``
    returns the provenance JSON stored in the file (computed last, to include the counts).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from ..atomic import atomic_path

    tidier = Tidier(ctx)
    stats = ParseStats()
    seen = [] if complete_codes is not None else None
    with atomic_path(out) as tmp:
        # Statistics only where readers filter (dates): computing min/max of every text
        # column doubled the write time for no use.
        # Dictionary pages only for codes, labels and dates; values are mostly distinct, and
        # trying a dictionary for them first cost time and made the file 2.5x larger.
        dictionary = [f.name for f in tidier.schema if pa.types.is_dictionary(f.type)]
        writer = pq.ParquetWriter(tmp, tidier.schema, compression="zstd", store_schema=False,
                                  write_statistics=["period_start", "period_end"],
                                  use_dictionary=[*dictionary, "period_start", "period_end"])
        # Parsing the next block overlaps with tidying and encoding the last one: a worker
        # thread (pyarrow releases the GIL) behind a two-batch queue, so memory stays flat.
        with _BackgroundWriter(writer, tidier) as background:
            for batch in raw_batches(path, header, ctx.lang, what=f"table {ctx.info.id}"):
                background.put(batch)
                stats.rows += batch.num_rows
                stats.suppressed += batch.num_rows - pc.count(batch.column(VALUE_COLUMN)).as_py()
                if seen is not None:
                    seen.append(_key_frame(batch, [n for n in header if n != VALUE_COLUMN]))
                if progress is not None:
                    progress(stats.rows)
            if complete_codes is not None:
                missing = _missing_combinations(seen, complete_codes, header)
                if missing is not None and missing.num_rows:
                    background.put(missing, status="omitted")
                    stats.omitted = missing.num_rows
        try:
            writer.add_key_value_metadata({"udsattestat": finish_metadata(stats).decode("utf-8")})
        finally:
            writer.close()
    return stats


class _BackgroundWriter:
    """Tidy and write raw batches on a worker thread; errors surface in the caller's thread."""

    def __init__(self, writer, tidier: Tidier, depth: int = 2):
        import queue
        import threading

        self.writer = writer
        self.tidier = tidier
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="parquet-writer", daemon=True)

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is None:
                try:
                    batch, status = item
                    self.writer.write_batch(self.tidier.tidy(batch, status=status))
                except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
                    self.error = exc

    def put(self, batch, status: str | None = None) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((batch, status))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.queue.put(None)
        self.thread.join()
        if exc is None and self.error is not None:
            raise self.error
        return False


def read_tidy(path: Path, ctx: TidyContext, header: list[str]):
    """The whole tidy table as a polars frame (for small tables such as IFOR51)."""
    import polars as pl
    import pyarrow as pa

    tidier = Tidier(ctx)
    batches = [tidier.tidy(b) for b in raw_batches(path, header, ctx.lang, what=f"table {ctx.info.id}")]
    table = pa.Table.from_batches(batches, schema=tidier.schema)
    return _decode(pl.from_arrow(table))


def _decode(frame):
    import polars as pl

    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String))


def _key_frame(batch, names: list[str]):
    import polars as pl
    import pyarrow as pa

    cols = {}
    for name in names:
        col = batch.column(name)
        cols[name] = col.cast(pa.string()) if pa.types.is_dictionary(col.type) else col
    return pl.from_arrow(pa.table(cols))


def _missing_combinations(seen, complete_codes: dict[str, list[str]], header: list[str]):
    """Every selected combination not present in the response, as a raw batch (INDHOLD null)."""
    import polars as pl
    import pyarrow as pa

    names = [n for n in header if n != VALUE_COLUMN]
    upper = {k.upper(): v for k, v in complete_codes.items()}
    full = None
    for name in names:
        part = pl.DataFrame({name: upper[name]}, schema={name: pl.String})
        full = part if full is None else full.join(part, how="cross")
    present = pl.concat(seen) if seen else pl.DataFrame(schema={n: pl.String for n in names})
    missing = full.join(present, on=names, how="anti")
    table = missing.to_arrow()
    arrays = [table.column(n).cast(pa.string()).combine_chunks().dictionary_encode() for n in names]
    arrays.append(pa.nulls(missing.height, pa.float64()))
    return pa.RecordBatch.from_arrays(arrays, names=[*names, VALUE_COLUMN])
