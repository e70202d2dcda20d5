"""CSV and BULK bytes → the tidy schema, streamed in batches straight into Parquet.

Why streaming with pyarrow's CSV reader: a BULK response can hold millions of rows; read
whole, pandas or polars need several times the file size in memory. Here the body is read
in 256 KiB blocks, tidied ~40,000 rows at a time and written in row groups of 256k rows,
three stages on three threads, so memory stays flat whatever the size (see
``benchmarks/statbank_bulk.py``: 5.6M rows in about the time pandas takes just to read
and write them untidied, at a third of its memory).

How the bytes are read, and why:

- separator ``;``, CRLF, UTF-8; the header (upper-case variable ids, then ``INDHOLD``) is
  read by us, BOM stripped, and checked against the request — a header that does not
  match is an error, never a table with columns in the wrong place;
- codes stay text (``0017``, ``000`` keep their zeros) and become indices into tableinfo's
  own list of codes, so a label is joined once per table, from tableinfo, never from the
  response, and a code tableinfo does not list is an error;
- ``INDHOLD`` is parsed with the decimal mark of the response's language (comma under
  ``da``, point under ``en``); a number written the other way is an error, not 10× off;
- ``..`` (and, before Dec 2017, an empty cell) is a null value with status ``suppressed``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FetchError
from ..periods import PeriodError, parse_period
from ..schema import CORE, LEADING, TRAILING
from .tableinfo import TableInfo, Variable

VALUE_COLUMN = "INDHOLD"
#: Bytes per parsed block. The reader reads ahead a fixed number of blocks, so its memory
#: is proportional to the block size (≈ 40 MiB at 1 MiB blocks, ≈ 10 MiB at 256 KiB) while
#: its speed is the same; blocks are grouped into TIDY_ROWS for the later stages.
BLOCK_SIZE = 1 << 18
NULL_MARKS = ["..", ""]
BOM = b"\xef\xbb\xbf"


class ParseError(FetchError):
    """A StatBank body that cannot be read as the table that was asked for."""


def read_header(path: Path) -> list[str]:
    """The header line of a CSV/BULK file: BOM stripped, names upper-cased."""
    with open(path, "rb") as fh:
        first = fh.readline(1 << 16)
    return header_names(first, path.name)


def header_names(first: bytes, name: str) -> list[str]:
    """The names in a body's first line (``name`` says whose, in the error)."""
    if first.startswith(BOM):
        first = first[len(BOM) :]
    try:
        text = first.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ParseError(f"{name}: the header is not UTF-8 text; this is not a StatBank CSV/BULK body") from None
    return [name.strip().strip('"').upper() for name in text.split(";")]


def check_header(path: Path, expected: list[str]) -> list[str]:
    """Refuse a body whose header does not name exactly the requested variables."""
    return check_header_names(read_header(path), expected)


def check_header_names(header: list[str], expected: list[str]) -> list[str]:
    """``header`` if it names exactly the requested variables (any order, INDHOLD last)."""
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


def index_type(n: int):
    """The narrowest dictionary index type for ``n`` codes.

    FOLK1A's variables have at most 127 codes: int8 indices make a queued batch a quarter
    of the size it is with int32, which keeps peak memory flat.
    """
    import pyarrow as pa

    return pa.int8() if n <= 127 else pa.int16() if n <= 32767 else pa.int32()


def tidy_schema(ctx: TidyContext):
    """The Arrow schema of the tidy Parquet: text columns dictionary-encoded (read back as text)."""
    import pyarrow as pa

    def text(var: Variable | None = None):
        return pa.dictionary(index_type(len(var.values) if var else 1), pa.string())

    time_idx = index_type(len(ctx.time.values))
    fields = [
        ("indicator", text()),
        ("period", pa.dictionary(time_idx, pa.string())),
        ("freq", pa.dictionary(pa.int8(), pa.string())),
        ("period_start", pa.dictionary(time_idx, pa.date32())),
        ("period_end", pa.dictionary(time_idx, pa.date32())),
        ("geo", text(ctx.geo)),
        ("geo_label", text(ctx.geo)),
    ]
    assert [f[0] for f in fields] == list(LEADING)
    for var in ctx.dims():
        col = ctx.dim_column(var)
        fields += [(col, text(var)), (f"{col}_label", text(var))]
    for name in TRAILING:
        fields.append((name, pa.float64() if name in NUMERIC else text()))
    # Only the numbers (value, range, precision) and the note can be missing; declaring the rest non-nullable lets the
    # Parquet writer skip definition levels (a quarter of its time on a BULK table).
    return pa.schema([pa.field(name, type_, nullable=name in NULLABLE) for name, type_ in fields])


NULLABLE = {"value", "value_low", "value_high", "precision", "note"}
NUMERIC = ("value", "value_low", "value_high", "precision")


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


class _Codes:
    """One variable's codes as tableinfo lists them, with their labels, as Arrow dictionaries.

    Every batch is mapped onto these same dictionaries (``index_in``: one hash per cell, no
    per-batch dictionary), so labels are joined once per table rather than once per batch,
    and the Parquet writer keeps one dictionary page per column chunk across batches.
    """

    def __init__(self, var: Variable):
        self.var = var
        self.codes = _strings(list(var.codes))
        self.labels = _strings([label for _, label in var.values])
        self.index_type = index_type(len(var.values))
        import pyarrow.compute as pc

        self.lookup = pc.SetLookupOptions(value_set=self.codes)


class Tidier:
    """Turns raw batches (code columns + INDHOLD) into tidy batches over shared dictionaries."""

    def __init__(self, ctx: TidyContext, seen: _Seen | None = None):
        import pyarrow as pa

        self.pa = pa
        self.ctx = ctx
        #: ``--complete``: told the code indices of every batch of published rows, in this thread.
        self.seen = seen
        self.schema = tidy_schema(ctx)
        self.vars = {v.id.upper(): _Codes(v) for v in ctx.variables}
        self._period_dicts = self._time_dictionaries(ctx.time)
        # Grown on demand; never ``pa.array(list)``: it makes pyarrow import pandas (0.4 s).
        self._zeros = self._null_idx = pa.nulls(0, pa.int8())
        self._null_values = pa.nulls(0, pa.float64())
        self._const_dicts: dict[str | None, Any] = {}
        #: status indices: 0 published, 1 suppressed, 2 omitted (one dictionary for every batch).
        self._status = _strings(["published", "suppressed", "omitted"])

    def _time_dictionaries(self, var: Variable):
        """freq/start/end for every time code of the table, parsed once.

        A code that does not parse is only an error if a row uses it (see :meth:`tidy`).
        """
        from datetime import date

        freqs, starts, ends, self._bad_times = [], [], [], {}
        for i, code in enumerate(var.codes):
            try:
                p = parse_period(code)
            except PeriodError as exc:
                self._bad_times[i] = str(exc)
                freqs.append("")
                starts.append(date(1970, 1, 1))
                ends.append(date(1970, 1, 1))
                continue
            freqs.append(p.freq)
            starts.append(p.start)
            ends.append(p.end)
        # freq gets its own small dictionary (usually one value): indexed by time code it
        # would change every row in a BULK body and cost the writer 3x as much to encode.
        import array

        pa = self.pa
        distinct = list(dict.fromkeys(freqs))
        positions = array.array("b", (distinct.index(f) for f in freqs))
        self._freq_of_time = pa.Array.from_buffers(pa.int8(), len(freqs), [None, pa.py_buffer(positions.tobytes())])
        return _strings(distinct), _dates(starts), _dates(ends)

    def _index(self, n: int, null: bool = False):
        """``n`` zero (or null) dictionary indices, sliced from one shared buffer."""
        pa = self.pa
        have = self._null_idx if null else self._zeros
        if len(have) < n:
            size = max(n, 2 * len(have))
            # Not via numpy: a numpy array makes pyarrow import pandas, a third of a second.
            if null:
                have = self._null_idx = pa.nulls(size, pa.int8())
            else:
                have = self._zeros = pa.Array.from_buffers(pa.int8(), size, [None, pa.py_buffer(bytes(size))])
        return have.slice(0, n)

    def _const(self, n: int, value: str | None, null_dict: str = ""):
        """A constant text column: shared zero indices into a one-value dictionary."""
        pa = self.pa
        if value is None:
            key = ("null", null_dict)
            dictionary = self._const_dicts.get(key)
            if dictionary is None:
                dictionary = self._const_dicts[key] = _strings([null_dict])
            return pa.DictionaryArray.from_arrays(self._index(n, null=True), dictionary, safe=False)
        dictionary = self._const_dicts.get(value)
        if dictionary is None:
            dictionary = self._const_dicts[value] = _strings([value])
        return pa.DictionaryArray.from_arrays(self._index(n), dictionary, safe=False)

    def _codes(self, batch, name: str):
        """The column ``name`` of a batch (or table) as indices into the table's code dictionary."""
        import pyarrow.compute as pc

        pa = self.pa
        codes = self.vars[name]
        column = batch.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string())
        idx = pc.index_in(column, options=codes.lookup)
        if idx.null_count:
            # As bytes: the reader does not check UTF-8 (see raw_batches), the message must not fail.
            raw = pc.filter(column, pc.is_null(idx))[0].cast(pa.binary()).as_py()
            code = raw.decode("utf-8", errors="replace")
            if code in codes.var.labels().values():
                # What the API sends for valuePresentation "Default"/"Text" (a recorded
                # STRAF42 answer has "Total" where the code is "00"): labels are not unique,
                # so they are never read as codes.
                raise ParseError(
                    f"the response has the label {code!r} for {codes.var.id} where a code was asked for "
                    "(valuePresentation Code); something between udsattestat and the API changed the "
                    "request — check $UDSATTESTAT_STATBANK_URL and any proxy"
                )
            raise ParseError(
                f"the response has code {code!r} for {codes.var.id}, which tableinfo for {self.ctx.info.id} "
                "does not list; the table may have changed — fetch again with --refresh"
            )
        # In range by construction (positions in the dictionary): no overflow check.
        idx = idx.cast(codes.index_type, safe=False)
        if isinstance(idx, pa.ChunkedArray):
            idx = idx.combine_chunks()  # one byte a row: cheap to join, unlike the text
        return idx, codes

    def tidy(self, batch, status: str | None = None, indices: dict[str, Any] | None = None):
        """Raw rows (a batch or table; columns named by upper-case variable id + INDHOLD) → a tidy batch.

        ``indices`` (upper-case variable id → positions in tableinfo's codes) stand in for
        the code columns: the rows ``--complete`` restores are made as positions, not text.
        """
        import pyarrow.compute as pc

        pa = self.pa
        ctx = self.ctx
        n = batch.num_rows
        if indices is None:
            indices = {}

            def codes_of(name: str):
                idx, codes = self._codes(batch, name)
                indices[name] = idx
                return idx, codes
        else:
            def codes_of(name: str):
                return indices[name], self.vars[name]
        # Indices come from index_in against the dictionary itself, so they are in range:
        # skip the check (safe=False).
        dictionary = pa.DictionaryArray.from_arrays
        cols: dict[str, Any] = {}
        cols["indicator"] = self._const(n, ctx.indicator)
        t_idx, t_codes = codes_of(ctx.time.id.upper())
        if self._bad_times:
            for i in pc.unique(t_idx).to_pylist():
                if i in self._bad_times:
                    raise ParseError(f"table {ctx.info.id}: {self._bad_times[i]}")
        freq, start, end = self._period_dicts
        # Dates are dictionary-encoded too: one date per distinct period, no per-row take.
        cols["period"] = dictionary(t_idx, t_codes.codes, safe=False)
        cols["freq"] = dictionary(pc.take(self._freq_of_time, t_idx), freq, safe=False)
        cols["period_start"] = dictionary(t_idx, start, safe=False)
        cols["period_end"] = dictionary(t_idx, end, safe=False)
        geo = ctx.geo
        if geo is not None:
            g_idx, g_codes = codes_of(geo.id.upper())
            cols["geo"] = dictionary(g_idx, g_codes.codes, safe=False)
            cols["geo_label"] = dictionary(g_idx, g_codes.labels, safe=False)
        else:
            cols["geo"] = self._const(n, ctx.geo_default[0])
            cols["geo_label"] = self._const(n, ctx.geo_default[1])
        for var in ctx.dims():
            idx, codes = codes_of(var.id.upper())
            col = ctx.dim_column(var)
            cols[col] = dictionary(idx, codes.codes, safe=False)
            cols[f"{col}_label"] = dictionary(idx, codes.labels, safe=False)
        value = batch.column(VALUE_COLUMN)
        if isinstance(value, pa.ChunkedArray):
            value = value.combine_chunks()
        # pyarrow reads "NaN" and "inf" as floats; StatBank never publishes them, and a NaN
        # passes every later comparison silently: a body holding one is damaged.
        finite = pc.is_finite(value)
        if finite.null_count < n and not pc.all(pc.or_kleene(finite, pc.is_null(value))).as_py():
            bad = pc.filter(value, pc.invert(pc.fill_null(finite, True)))[0].as_py()
            raise ParseError(f"table {ctx.info.id}: INDHOLD holds {bad!r}, which is not a finite number; "
                             "the body is damaged — fetch again with --refresh")
        cols["value"] = value
        if len(self._null_values) < n:
            self._null_values = pa.nulls(max(n, 2 * len(self._null_values)), pa.float64())
        # StatBank publishes each figure as it is, not as a rounding of a finer one: precision null.
        cols["value_low"] = cols["value_high"] = cols["precision"] = self._null_values.slice(0, n)
        cols["unit"] = self._const(n, ctx.unit)
        if status == "omitted":
            # From a buffer of 2s: pc.add(..., 2) would build a scalar, and that imports pandas (0.4 s).
            status_idx = pa.Array.from_buffers(pa.int8(), n, [None, pa.py_buffer(b"\x02" * n)])
        elif status is None:
            # published where there is a value; suppressed where DST wrote ".." (or nothing).
            status_idx = self._index(n) if value.null_count == 0 else pc.cast(pc.is_null(value), pa.int8())
        else:
            raise ValueError(f"unknown status {status!r}")
        cols["status"] = dictionary(status_idx, self._status, safe=False)
        cols["confidence"] = self._const(n, "V")
        cols["vintage"] = self._const(n, ctx.vintage)
        cols["vintage_date"] = self._const(n, ctx.vintage_date)
        cols["source"] = self._const(n, ctx.source)
        cols["source_locator"] = self._const(n, ctx.source_locator)
        # One dictionary for the note whatever the batch, so batches share it in a row group.
        note = ctx.omitted_note
        cols["note"] = self._const(n, note) if status == "omitted" else self._const(n, None, null_dict=note)
        if self.seen is not None and status is None:
            # The positions just computed, reused: --complete costs no second lookup of the codes.
            self.seen.add(indices)
        return pa.RecordBatch.from_arrays([cols[f.name] for f in self.schema], schema=self.schema)

    def restored(self, seen: _Seen):
        """Tidy batches (status ``omitted``) of every selected combination the response left out."""
        pa = self.pa
        for positions in seen.missing():
            n = len(next(iter(positions.values())))
            indices = {name: _int_array(pos, self.vars[name].index_type) for name, pos in positions.items()}
            yield self.tidy(pa.record_batch([pa.nulls(n, pa.float64())], names=[VALUE_COLUMN]), "omitted", indices)


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


def raw_batches(path, header: list[str], lang: str, *, what: str = "StatBank response",
                block_size: int | None = None) -> Iterator[Any]:
    """Raw record batches: code columns as text, INDHOLD float64 (nulls for ``..``).

    ``path`` is a file, or a readable binary file object (a body still downloading:
    :class:`~udsattestat.net.follow.GrowingFile`).
    """
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
        # No UTF-8 check (15% of the reader's time): every code is then looked up among
        # tableinfo's codes, which are valid text, so an invalid byte is still an error
        # ("code ... which tableinfo does not list"), never a value.
        check_utf8=False,
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
    batches: Iterable[Any] | None = None,
) -> ParseStats:
    """Stream ``path`` into the tidy Parquet ``out`` (atomic). Returns row counts.

    ``batches`` (raw batches, see :func:`raw_batches`) are read instead of ``path`` when given.

    ``complete_codes`` (variable id → every selected code) restores the combinations a
    BULK response left out, as rows with status ``omitted``. ``finish_metadata(stats)``
    returns the provenance JSON stored in the file (computed last, to include the counts).

    Three stages run at once, joined by short queues so memory stays flat: this thread
    parses CSV blocks, a second tidies them, a third encodes Parquet row groups (pyarrow
    releases the GIL in all three, so they share the cores).
    """
    import pyarrow as pa

    from ..store import ParquetSink, plain_values

    seen = _Seen(complete_codes, header, ctx) if complete_codes is not None else None
    tidier = Tidier(ctx, seen)
    stats = ParseStats()
    # Statistics only where readers filter (dates): computing min/max of every text
    # column doubled the write time for no use.
    # Dictionary pages only for codes, labels and dates; values are mostly distinct, and
    # trying a dictionary for them first cost time and made the file 2.5x larger.
    # zstd (default level): no compression at all saved only ~5% of the write time.
    dictionary = [f.name for f in tidier.schema if pa.types.is_dictionary(f.type)]
    # Readers get plain strings (plain_values): the dictionary is how the pages are stored.
    with ParquetSink.open(out, tidier.schema, read_as=plain_values(tidier.schema),
                          write_statistics=["period_start", "period_end"], use_dictionary=dictionary) as sink:
        with _Stage(_RowGroups(sink, tidier.schema), name="parquet-writer", depth=WRITE_QUEUE) as write:

            def tidy_item(item) -> None:
                if item is _RESTORE:
                    # In the tidier's thread: the bitmap is complete once every batch before this was tidied.
                    for restored in tidier.restored(seen):
                        stats.omitted += restored.num_rows
                        write.put(restored)
                else:
                    write.put(tidier.tidy(item))

            with _Stage(tidy_item, name="tidier", depth=TIDY_QUEUE) as tidy:
                # Small blocks keep the reader's read-ahead small; a few are tidied together so
                # the per-batch overhead of tidying and writing is paid once per TIDY_ROWS.
                raw: list[Any] = []
                raw_rows = 0
                for batch in batches if batches is not None else raw_batches(
                        path, header, ctx.lang, what=f"table {ctx.info.id}"):
                    raw.append(batch)
                    raw_rows += batch.num_rows
                    if raw_rows >= TIDY_ROWS:
                        tidy.put(pa.Table.from_batches(raw))
                        raw, raw_rows = [], 0
                    stats.rows += batch.num_rows
                    stats.suppressed += batch.column(VALUE_COLUMN).null_count
                    if progress is not None:
                        progress(stats.rows)
                if raw:
                    tidy.put(pa.Table.from_batches(raw))
                if seen is not None:
                    tidy.put(_RESTORE)
        sink.provenance = finish_metadata(stats)
    return stats


class FollowedTidy:
    """:func:`write_tidy` on a body while it downloads: a ``follow=`` for the HTTP client.

    Each download attempt's temporary file is read as it grows (a
    :class:`~udsattestat.net.follow.GrowingFile`) by a parser thread that runs the same
    three stages as for a finished file, so parsing, tidying and writing Parquet overlap
    the download instead of following it, in the same bounded memory. The bytes stay on
    disk once, written as fetched and hashed by the client; nothing is read twice.

    Nothing is kept of a body that does not become a snapshot: a failed attempt (cut
    short, bad gzip, a retry) abandons the file, the parser stops, and its Parquet — an
    atomic temporary — is discarded; the next attempt starts a new parser. The Parquet is
    finished only by :meth:`finish`, with the saved snapshot (its provenance names the
    snapshot and its sha256, and counts the rows). Call :meth:`close` when done, in any case.
    """

    def __init__(self, ctx: TidyContext, expected: list[str], out: Path, *,
                 metadata: Callable[[ParseStats, Any], bytes],
                 complete_codes: dict[str, list[str]] | None = None,
                 progress: Callable[[int], None] | None = None):
        self.ctx = ctx
        self.expected = expected
        self.out = out
        self.metadata = metadata
        self.complete_codes = complete_codes
        self.progress = progress
        self._thread = None
        self._file = None

    @property
    def started(self) -> bool:
        """Whether a body is being (or was) read: False when the snapshot was replayed."""
        return self._thread is not None

    # -- the HTTP client's side (a Follower) ---------------------------------------------------

    def begin(self, path: Path) -> None:
        import threading

        from ..net.follow import GrowingFile

        self._stop()
        self._file = GrowingFile(path)
        self._snapshot = None
        self._given = threading.Event()
        self._error: BaseException | None = None
        self._stats: ParseStats | None = None
        self._thread = threading.Thread(target=self._run, name="body-parser", daemon=True)
        self._thread.start()

    def grew(self, size: int) -> None:
        self._file.grew(size)

    def end(self, ok: bool) -> None:
        if ok:
            self._file.complete()
            # The client moves the file into place next; Windows cannot rename an open file,
            # so wait until the parser has read it to the end (or stopped) and let it go.
            self._file.released.wait()
        else:
            self._stop()

    # -- the parser thread ---------------------------------------------------------------------

    def _run(self) -> None:
        try:
            what = f"table {self.ctx.info.id}"
            header = check_header_names(header_names(self._file.first_line(), what), self.expected)
            self._stats = write_tidy(
                None, self.ctx, header, self.out, finish_metadata=self._finish_metadata,
                complete_codes=self.complete_codes, progress=self.progress,
                batches=raw_batches(self._file, header, self.ctx.lang, what=what))
        except BaseException as exc:  # noqa: BLE001 - raised in the caller by finish()
            self._error = exc
        finally:
            self._file.close()  # releases it (see end()), whatever happened

    def _finish_metadata(self, stats: ParseStats) -> bytes:
        from ..net.follow import BodyAbandoned

        self._given.wait()  # the whole body is parsed; the provenance needs the saved snapshot
        if self._snapshot is None:
            raise BodyAbandoned("the download was not kept as a snapshot")
        return self.metadata(stats, self._snapshot)

    # -- the caller's side ---------------------------------------------------------------------

    def finish(self, snapshot) -> ParseStats:
        """The body was saved as ``snapshot``: complete the Parquet. Raises what the parser raised."""
        self._snapshot = snapshot
        self._given.set()
        self._thread.join()
        self._file.close()
        if self._error is not None:
            raise self._error
        assert self._stats is not None
        return self._stats

    def close(self) -> None:
        """Stop a parser that was not finished (the fetch failed): its Parquet is discarded."""
        self._stop()

    def _stop(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._file.abandon()
            self._given.set()
            self._thread.join()
        if self._file is not None:
            self._file.close()


#: Above this many selected cells, ``--complete`` keeps one bit (not one byte) per cell.
PACKED_ABOVE = 1 << 26

#: Rows per Parquet row group. Batches share their dictionaries (see :class:`_Codes`), so
#: several are written as one row group: one row group per 42k-row block took 20% longer
#: to encode. Smaller groups shorten the tail (the last group is encoded after the last
#: block is read): 256k rows was faster than 128k or 512k; ≈ 15 bytes a row are held.
ROW_GROUP_ROWS = 1 << 18

#: Rows tidied at a time (a few blocks): index_in and the rest cost per call, not per row.
TIDY_ROWS = 40_000
#: Items waiting for each stage. Encoding a row group takes the writer ~50 ms at a time;
#: a queue of more than a row group's worth of tidy batches (≈ 0.5 MiB each) lets parsing
#: and tidying run on meanwhile instead of stalling with a core idle.
TIDY_QUEUE = 4
WRITE_QUEUE = 16


class _RowGroups:
    """Collects tidy batches and writes them as row groups of about ``ROW_GROUP_ROWS``."""

    def __init__(self, writer, schema):
        self.writer = writer
        self.schema = schema
        self.pending: list[Any] = []
        self.rows = 0

    def __call__(self, batch) -> None:
        self.pending.append(batch)
        self.rows += batch.num_rows
        if self.rows >= ROW_GROUP_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self.pending:
            table = pa.Table.from_batches(self.pending, schema=self.schema)
            self.pending, self.rows = [], 0
            self.writer.write(table, row_group_size=table.num_rows)


class _Stage:
    """Runs ``work(item)`` on a worker thread behind a short queue; errors surface in the caller.

    On a clean exit the queue is drained and ``work.flush()`` (if any) is called on the worker.
    """

    def __init__(self, work: Callable[[Any], None], *, name: str, depth: int = 2):
        import queue
        import threading

        self.work = work
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is _DONE:
                flush = getattr(self.work, "flush", None)
                if self.error is None and flush is not None:
                    try:
                        flush()
                    except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
                        self.error = exc
                return
            if item is _ABORT:
                return
            if self.error is None:
                try:
                    self.work(item)
                except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
                    self.error = exc

    def put(self, item) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(item)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.queue.put(_ABORT if exc is not None else _DONE)
        self.thread.join()
        if exc is None and self.error is not None:
            raise self.error
        return False


_DONE = object()
_ABORT = object()
#: Tells the tidier that every batch has come: restore the left-out combinations now.
_RESTORE = object()


def read_tidy(path: Path, ctx: TidyContext, header: list[str]):
    """The whole tidy table as a polars frame (for small tables such as IFOR51)."""
    import polars as pl
    import pyarrow as pa

    tidier = Tidier(ctx)
    raw = list(raw_batches(path, header, ctx.lang, what=f"table {ctx.info.id}"))
    batches = [tidier.tidy(b) for b in raw]
    if raw:
        _refuse_repeated_keys(pl.concat([_key_frame(b, [n for n in header if n != VALUE_COLUMN]) for b in raw]),
                              ctx)
    table = pa.Table.from_batches(batches, schema=tidier.schema)
    return _decode(pl.from_arrow(table))


def _key_frame(batch, names: list[str]):
    import polars as pl
    import pyarrow as pa

    cols = {}
    for name in names:
        col = batch.column(name)
        cols[name] = col.cast(pa.string()) if pa.types.is_dictionary(col.type) else col
    return pl.from_arrow(pa.table(cols))


def _refuse_repeated_keys(keys, ctx: TidyContext) -> None:
    """One row per combination of codes: two would be summed or picked at random later."""
    repeated = keys.filter(keys.is_duplicated())
    if repeated.height:
        key = ", ".join(f"{c}={repeated[c][0]}" for c in repeated.columns)
        raise ParseError(f"table {ctx.info.id}: the response has the row {key} more than once; "
                         "refusing to pick one — fetch again with --refresh")


def _decode(frame):
    import polars as pl

    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String))


class _Seen:
    """Which combinations of the selected codes a BULK response had: one bit per cell.

    The tidier has already turned each code into its position in tableinfo's list (a byte
    or two per row); here each position is mapped to its position in the selection (a
    gather through a table of tableinfo's size, skipped when everything is selected in
    tableinfo's order), the positions become one flat cell index (row-major over the
    selection, int64 arithmetic), and the cell's flag is set. Memory is one byte per
    selected cell (a bit per cell above :data:`PACKED_ABOVE`), whatever the number of rows:
    20M cells are 20 MB — where keeping every key of every batch to anti-join at the end
    took gigabytes.
    """

    def __init__(self, complete_codes: dict[str, list[str]], header: list[str], ctx: TidyContext):
        import numpy as np

        self.ctx = ctx
        self.names = [n for n in header if n != VALUE_COLUMN]
        upper = {k.upper(): list(v) for k, v in complete_codes.items()}
        variables = {v.id.upper(): v for v in ctx.variables}
        self.sizes = [len(upper[n]) for n in self.names]
        self.total = math.prod(self.sizes)
        self.strides = [math.prod(self.sizes[i + 1:]) for i in range(len(self.sizes))]
        #: per variable: selection position of each tableinfo position (-1: not selected), None if the identity
        self.selected: list[Any] = []
        #: per variable: tableinfo position of each selection position
        self.info_positions: list[Any] = []
        for name in self.names:
            info_codes = variables[name].codes
            where = {c: i for i, c in enumerate(info_codes)}
            missing = [c for c in upper[name] if c not in where]
            if missing:
                raise ParseError(f"table {ctx.info.id}: --complete: code {missing[0]!r} of {name} is not in tableinfo")
            positions = np.array([where[c] for c in upper[name]], dtype=np.int64)
            self.info_positions.append(positions)
            if len(positions) == len(info_codes) and bool((positions == np.arange(len(info_codes))).all()):
                self.selected.append(None)
            else:
                table = np.full(len(info_codes), -1, dtype=np.int64)
                table[positions] = np.arange(len(positions))
                self.selected.append(table)
        self.packed = self.total > PACKED_ABOVE
        self.bits = np.zeros((self.total + 7) // 8 if self.packed else self.total,
                             dtype=np.uint8 if self.packed else bool)

    def add(self, indices: dict[str, Any]) -> None:
        """Mark the cells of one batch, given each row's tableinfo positions (Arrow integer arrays)."""
        import numpy as np

        flat = None
        ok = None
        for d, name in enumerate(self.names):
            table = self.selected[d]
            if table is None:
                pos = _numpy_of(indices[name]).astype(np.int64)  # a fresh int64 copy: scaled in place below
            else:
                pos = table[_numpy_of(indices[name])]  # gather: selection positions, -1 where not selected
                valid = pos >= 0
                ok = valid if ok is None else np.logical_and(ok, valid, out=ok)
            if self.strides[d] != 1:
                np.multiply(pos, self.strides[d], out=pos)
            if flat is None:
                flat = pos
            else:
                flat += pos
        if flat is None:  # pragma: no cover - a table has at least its time variable
            return
        if ok is not None and not ok.all():
            rows = np.flatnonzero(ok)
            flat = flat[ok]
        else:
            rows = None
        if self.packed:
            before = ((self.bits[flat >> 3] >> (flat & 7).astype(np.uint8)) & 1).astype(bool)
        else:
            before = self.bits[flat]
        repeat = int(np.argmax(before)) if before.any() else None
        # BULK rows come in storage order: one comparison pass; a sort only if they do not
        if repeat is None and flat.size > 1 and not bool((flat[1:] > flat[:-1]).all()):
            order = np.argsort(flat, kind="stable")
            same = np.flatnonzero(flat[order][1:] == flat[order][:-1])
            repeat = int(order[same[0] + 1]) if same.size else None
        if repeat is not None:
            row = int(rows[repeat]) if rows is not None else repeat
            key = ", ".join(f"{n}={self._code(n, d, indices, row)}" for d, n in enumerate(self.names))
            raise ParseError(f"table {self.ctx.info.id}: the response has the row {key} more than once; "
                             "refusing to pick one — fetch again with --refresh")
        if self.packed:
            np.bitwise_or.at(self.bits, flat >> 3, (1 << (flat & 7)).astype(np.uint8))
        else:
            self.bits[flat] = True

    def _code(self, name: str, d: int, indices: dict[str, Any], row: int) -> str:
        variable = next(v for v in self.ctx.variables if v.id.upper() == name)
        return variable.codes[int(_numpy_of(indices[name])[row])]

    def missing(self, chunk: int = 1 << 20):
        """Per chunk of left-out combinations: variable → tableinfo positions (numpy int64)."""
        import numpy as np

        if self.packed:
            present = np.unpackbits(self.bits, bitorder="little")[: self.total].astype(bool)
        else:
            present = self.bits
        absent = np.flatnonzero(~present)
        for start in range(0, len(absent), chunk):
            flat = absent[start:start + chunk]
            yield {name: self.info_positions[d][(flat // stride) % self.sizes[d]]
                   for d, (name, stride) in enumerate(zip(self.names, self.strides, strict=True))}


def _numpy_of(array):
    """An Arrow integer array without nulls as a numpy view of its buffer (no copy, no pandas)."""
    import numpy as np

    dtype = np.dtype(f"int{array.type.bit_width}")
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=array.offset + len(array))[array.offset:]


def _int_array(values, type_):
    """Integer positions (numpy) as an Arrow array of ``type_`` (int8/16/32), from the buffer."""
    import numpy as np
    import pyarrow as pa

    data = np.ascontiguousarray(values.astype(np.dtype(f"int{type_.bit_width}")))
    return pa.Array.from_buffers(type_, len(data), [None, pa.py_buffer(data)])
