"""Raw batches → the tidy schema, over dictionaries shared by every batch of a table.

Codes become indices into tableinfo's own list of codes, so a label is joined once per
table, from tableinfo, never from the response, and a code tableinfo does not list is an
error; time codes become period, freq, start and end once per table; ``..`` becomes a null
value with status ``suppressed``. :func:`read_tidy` reads a small table whole (IFOR51);
large ones are streamed by :mod:`.stream`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..periods import PeriodError, parse_period
from ..schema import LEADING, TRAILING
from .body import VALUE_COLUMN, ParseError, raw_batches
from .columns import decoded, first_repeated, strings
from .complete import Seen, int_array
from .context import TidyContext
from .tableinfo import Variable


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


def _dates(values: list):
    """A date32 array from ``datetime.date`` values (see :func:`.columns.strings` for why buffers)."""
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
        self.codes = strings(list(var.codes))
        self.labels = strings([label for _, label in var.values])
        self.index_type = index_type(len(var.values))
        import pyarrow.compute as pc

        self.lookup = pc.SetLookupOptions(value_set=self.codes)


class Tidier:
    """Turns raw batches (code columns + INDHOLD) into tidy batches over shared dictionaries."""

    def __init__(self, ctx: TidyContext, seen: Seen | None = None):
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
        self._status = strings(["published", "suppressed", "omitted"])

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
        return strings(distinct), _dates(starts), _dates(ends)

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
                dictionary = self._const_dicts[key] = strings([null_dict])
            return pa.DictionaryArray.from_arrays(self._index(n, null=True), dictionary, safe=False)
        dictionary = self._const_dicts.get(value)
        if dictionary is None:
            dictionary = self._const_dicts[value] = strings([value])
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

    def restored(self, seen: Seen):
        """Tidy batches (status ``omitted``) of every selected combination the response left out."""
        pa = self.pa
        for positions in seen.missing():
            n = len(next(iter(positions.values())))
            indices = {name: int_array(pos, self.vars[name].index_type) for name, pos in positions.items()}
            yield self.tidy(pa.record_batch([pa.nulls(n, pa.float64())], names=[VALUE_COLUMN]), "omitted", indices)



def read_tidy(path: Path, ctx: TidyContext, header: list[str]):
    """The whole tidy table as a pyarrow table, text as plain strings (for small tables such as
    IFOR51; no polars: :mod:`.columns`)."""
    import pyarrow as pa

    tidier = Tidier(ctx)
    raw = list(raw_batches(path, header, ctx.lang, what=f"table {ctx.info.id}"))
    batches = [tidier.tidy(b) for b in raw]
    if raw:
        keys = [n for n in header if n != VALUE_COLUMN]
        _refuse_repeated_keys(pa.concat_tables([decoded(pa.Table.from_batches([b.select(keys)])) for b in raw]), ctx)
    return decoded(pa.Table.from_batches(batches, schema=tidier.schema))


def _refuse_repeated_keys(keys, ctx: TidyContext) -> None:
    """One row per combination of codes: two would be summed or picked at random later."""
    repeated = first_repeated(keys)
    if repeated is not None:
        key = ", ".join(f"{c}={v}" for c, v in repeated.items())
        raise ParseError(f"table {ctx.info.id}: the response has the row {key} more than once; "
                         "refusing to pick one — fetch again with --refresh")
