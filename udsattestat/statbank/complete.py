"""``--complete``: which combinations of the selected codes a BULK response left out.

BULK leaves out every combination with no value; :class:`Seen` keeps one bit per selected
cell while the body is tidied, and yields the missing ones at the end, for the tidier to
restore as rows with status ``omitted``.
"""

from __future__ import annotations

import math
from typing import Any

from .body import VALUE_COLUMN, ParseError
from .context import TidyContext

#: Above this many selected cells, ``--complete`` keeps one bit (not one byte) per cell.
PACKED_ABOVE = 1 << 26


class Seen:
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


def int_array(values, type_):
    """Integer positions (numpy) as an Arrow array of ``type_`` (int8/16/32), from the buffer."""
    import numpy as np
    import pyarrow as pa

    data = np.ascontiguousarray(values.astype(np.dtype(f"int{type_.bit_width}")))
    return pa.Array.from_buffers(type_, len(data), [None, pa.py_buffer(data)])
