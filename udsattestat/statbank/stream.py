"""Tidy Parquet from a body of any size: three stages on three threads, memory flat.

Why streaming with pyarrow's CSV reader: a BULK response can hold millions of rows; read
whole, pandas or polars need several times the file size in memory. Here the body is read
in 256 KiB blocks (:mod:`.body`), tidied ~40,000 rows at a time (:mod:`.tidy`) and written
in row groups of 256k rows, three stages on three threads, so memory stays flat whatever the
size (see ``benchmarks/statbank_bulk.py``: 5.6M rows in about the time pandas takes just to
read and write them untidied, at a third of its memory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .body import VALUE_COLUMN, raw_batches
from .complete import Seen
from .context import TidyContext
from .tidy import Tidier


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

    seen = Seen(complete_codes, header, ctx) if complete_codes is not None else None
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



#: Rows per Parquet row group. Batches share their dictionaries (see :class:`.tidy._Codes`), so
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
