"""Column operations on pyarrow tables for a live StatBank table: build text columns, replace
codes, decode dictionaries, sort, find a repeated row.

They do what polars did on this path, without importing polars: it costs a ``show --live``
run about 0.15 s and 35 MB, a third of the whole run (benchmarks/live_view.py). Callers that
want a polars frame convert the finished table (:func:`udsattestat.statbank.indicators.fetch_indicator`).
"""

from __future__ import annotations

from typing import Any


def strings(values: list[str | None]):
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


def replaced(col, mapping: dict[str, str], default=None):
    """``col`` (text) with each value that is a key of ``mapping`` replaced by its value; the
    others from ``default`` (a column as long), or unchanged when it is None."""
    import pyarrow.compute as pc

    if not mapping:
        return col if default is None else default
    keys = list(mapping)
    found = pc.take(strings([mapping[k] for k in keys]), pc.index_in(col, value_set=strings(keys)))
    return pc.coalesce(found, col if default is None else default)


def constant(value: str, n: int):
    """A text column of ``n`` times ``value``."""
    import pyarrow as pa

    zeros = pa.Array.from_buffers(pa.int8(), n, [None, pa.py_buffer(bytes(n))])
    return strings([value]).take(zeros)


def decoded(table):
    """``table`` with its dictionary columns as plain columns of their values (text, dates)."""
    import pyarrow as pa

    cols = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.Table.from_arrays(cols, names=table.column_names)


def sorted_by(table, columns: list[str]):
    """``table`` sorted by ``columns`` (none null in a tidy table), ties in their order."""
    import pyarrow.compute as pc

    return table.take(pc.sort_indices(table, sort_keys=[(c, "ascending") for c in columns]))


def first_repeated(table) -> dict[str, Any] | None:
    """The first row (``{column: value}``) whose values are in another row too, or None.

    Each row's codes as one number (mixed radix over each column's dictionary), so numpy
    finds repeats: ``Table.group_by`` would import pyarrow's dataset module, and with it pandas
    (as ``to_numpy`` and Python scalars would; the positions are read from the buffer).
    """
    import numpy as np
    import pyarrow.compute as pc

    key, size = np.zeros(table.num_rows, dtype=np.int64), 1
    for name in table.column_names:
        codes = pc.dictionary_encode(table[name].combine_chunks(), null_encoding="encode")
        n = max(len(codes.dictionary), 1)
        size *= n
        if size >= 2**62:  # too many combinations for one int64: row by row
            return _first_repeated_rows(table)
        indices = codes.indices  # int32, never null (nulls are encoded)
        key = key * n + np.frombuffer(indices.buffers()[1], np.int32, len(indices), indices.offset * 4)
    _, first, counts = np.unique(key, return_index=True, return_counts=True)
    repeated = first[counts > 1]
    if not len(repeated):
        return None
    row = int(repeated.min())
    return {c: table[c][row].as_py() for c in table.column_names}


def _first_repeated_rows(table) -> dict[str, Any] | None:
    rows = list(zip(*(table[c].to_pylist() for c in table.column_names), strict=True))
    count: dict[tuple, int] = {}
    for row in rows:
        count[row] = count.get(row, 0) + 1
    first = next((row for row in rows if count[row] > 1), None)
    return None if first is None else dict(zip(table.column_names, first, strict=True))
