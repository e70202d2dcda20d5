"""Tidy tables on disk: Parquet files with their provenance in the file's metadata."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from .atomic import atomic_path
from .errors import OutputError, UdsatError
from .provenance import METADATA_KEY, Provenance, read_parquet_provenance

DATA_DIR_ENV = "UDSATTESTAT_DATA_DIR"
DEFAULT_DATA_DIR = "data"


def data_dir(explicit: str | os.PathLike | None = None, *, create: bool = True) -> Path:
    """``--data-dir``, else ``$UDSATTESTAT_DATA_DIR``, else ``./data`` (created if missing)."""
    path = Path(explicit or os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
    if path.exists() and not path.is_dir():
        raise OutputError(f"data directory {str(path)!r} is a file; give a directory")
    if create and not path.exists():
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise OutputError(
                f"cannot create data directory {str(path)!r}: {str(parent)!r} does not exist; create it first"
            )
        try:
            path.mkdir()
        except OSError as exc:
            raise OutputError(f"cannot create data directory {str(path)!r}: {exc.strerror}") from None
    return path


class ParquetSink:
    """The one Parquet writer: whole frames and streamed batches alike, written atomically,
    with the provenance stored under :data:`~udsattestat.provenance.METADATA_KEY` when the
    file is complete (a streamed table's provenance may count its rows, so it comes last).

        with ParquetSink.open(path, schema) as sink:
            sink.write(batch_or_table)
            sink.provenance = prov.to_json()
    """

    def __init__(self, writer):
        self._writer = writer
        self.provenance: str | bytes | None = None

    @classmethod
    @contextmanager
    def open(cls, path: str | os.PathLike, schema, **options):
        import pyarrow.parquet as pq

        options.setdefault("compression", "zstd")
        try:
            with atomic_path(path) as tmp:
                writer = pq.ParquetWriter(tmp, schema, **options)
                sink = cls(writer)
                try:
                    yield sink
                    if sink.provenance is None:
                        raise OutputError(f"{str(path)!r}: no provenance given; refusing to write a file without one")
                    text = sink.provenance.decode("utf-8") if isinstance(sink.provenance, bytes) else sink.provenance
                    writer.add_key_value_metadata({METADATA_KEY.decode("ascii"): text})
                finally:
                    writer.close()
        except OSError as exc:
            raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None

    def write(self, data, **options) -> None:
        """Write a pyarrow Table (``row_group_size=`` …) or RecordBatch."""
        if hasattr(data, "to_batches"):
            self._writer.write_table(data, **options)
        else:
            self._writer.write_batch(data, **options)


def write_parquet(frame, prov: Provenance, path: str | os.PathLike) -> Path:
    """Write a whole polars or pandas frame atomically: the old file stays until the new one is
    complete."""
    table = arrow_table(frame)
    with ParquetSink.open(path, table.schema) as sink:
        sink.write(table)
        sink.provenance = prov.to_json()
    return Path(path)


def arrow_table(frame):
    """A polars (eager or lazy) or pandas frame, or an Arrow table, as an Arrow table."""
    module = type(frame).__module__.split(".")[0]
    if module == "pandas":
        import pyarrow as pa

        return pa.Table.from_pandas(frame, preserve_index=False)
    if module == "polars":
        return (frame.collect() if hasattr(frame, "collect") else frame).to_arrow()
    return frame


def read_parquet(path: str | os.PathLike):
    """(frame, provenance) of a Parquet file written by udsattestat."""
    import polars as pl

    try:
        prov = read_parquet_provenance(path)
        frame = pl.read_parquet(path)
    except FileNotFoundError:
        raise UdsatError(f"no such file {str(path)!r}") from None
    except Exception as exc:  # pyarrow/polars raise many types for a damaged file
        raise UdsatError(f"cannot read {str(path)!r} as Parquet ({exc.__class__.__name__}); fetch it again") from None
    if prov is None:
        raise UdsatError(f"{str(path)!r} has no udsattestat provenance; it was not written by udsattestat")
    return frame, prov
