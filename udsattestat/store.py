"""Tidy tables on disk: Parquet files with their provenance in the file's metadata."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from .atomic import atomic_path
from .errors import OutputError, UdsatError
from .provenance import METADATA_KEY, Provenance, read_parquet_provenance

DATA_DIR_ENV = "UDSATTESTAT_DATA_DIR"
#: The schema metadata key pandas turns into ``DataFrame.attrs`` when it reads a file.
PANDAS_ATTRS = b"PANDAS_ATTRS"
#: Where Arrow's Parquet writer keeps the serialised Arrow schema (with its metadata).
ARROW_SCHEMA = "ARROW:schema"
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
    with the provenance in the file's Arrow schema once the file is complete (a streamed
    table's provenance may count its rows, so it comes last).

        with ParquetSink.open(path, schema) as sink:
            sink.write(batch_or_table)
            sink.provenance = prov.to_json()

    Every reader finds it (tests/test_provenance_readers.py): the footer's key-value metadata
    holds the provenance under :data:`~udsattestat.provenance.METADATA_KEY` (polars, DuckDB,
    ``ParquetFile.metadata``), ``PANDAS_ATTRS`` (pandas restores it as ``DataFrame.attrs``)
    and ``ARROW:schema``, the serialised Arrow schema pyarrow reads its schema from, with both
    keys in its metadata (``read_schema``, ``read_table``). The writer would serialise that
    schema when the file is opened, before the provenance is known; so it is told not to, and
    the sink adds the same entry — the same serialisation — when the file is complete.

    ``read_as``: the schema readers should get, when it differs from the one written — the
    StatBank writer dictionary-encodes codes and labels in the file but hands readers plain
    strings, as before.
    """

    def __init__(self, writer, schema):
        self._writer = writer
        self._schema = schema
        self.provenance: str | bytes | None = None

    @classmethod
    @contextmanager
    def open(cls, path: str | os.PathLike, schema, *, read_as=None, **options):
        import pyarrow.parquet as pq

        options.setdefault("compression", "zstd")
        options["store_schema"] = False  # stored at the end, with the provenance: see the class doc
        try:
            with atomic_path(path) as tmp:
                writer = pq.ParquetWriter(tmp, schema, **options)
                sink = cls(writer, read_as if read_as is not None else schema)
                try:
                    yield sink
                    if sink.provenance is None:
                        raise OutputError(f"{str(path)!r}: no provenance given; refusing to write a file without one")
                    writer.add_key_value_metadata(footer_metadata(sink._schema, sink.provenance))
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


def plain_values(schema):
    """``schema`` with each dictionary field as its value type: what a reader should get from a
    file whose pages are dictionary-encoded anyway (Parquet's choice, not the reader's type)."""
    import pyarrow as pa

    # the field metadata goes too: polars marks its Categorical there, and would read one back
    return pa.schema([pa.field(f.name, f.type.value_type, f.nullable) if pa.types.is_dictionary(f.type) else f
                      for f in schema], metadata=schema.metadata)


def schema_metadata(schema, provenance: str | bytes) -> dict[bytes, bytes]:
    """``schema``'s own metadata (pandas' index and dtypes, say) plus the provenance, under its
    key and under ``PANDAS_ATTRS`` (as ``{"udsattestat": {…}}``, what ``DataFrame.attrs`` becomes)."""
    text = provenance.decode("utf-8") if isinstance(provenance, bytes) else provenance
    attrs = '{"' + METADATA_KEY.decode("ascii") + '":' + text + '}'  # the JSON object as is, not parsed again
    return {**(schema.metadata or {}), METADATA_KEY: text.encode("utf-8"), PANDAS_ATTRS: attrs.encode("utf-8")}


def footer_metadata(schema, provenance: str | bytes) -> dict[str, str]:
    """The key-value metadata of a finished file: :func:`schema_metadata` and ``ARROW:schema``
    (base64 of the Arrow IPC schema message, as Arrow's own Parquet writer stores it)."""
    import base64

    metadata = schema_metadata(schema, provenance)
    serialised = schema.with_metadata(metadata).serialize().to_pybytes()
    out = {k.decode("utf-8"): v.decode("utf-8") for k, v in metadata.items()}
    out[ARROW_SCHEMA] = base64.b64encode(serialised).decode("ascii")
    return out


def write_parquet(frame, prov: Provenance, path: str | os.PathLike, *, plain_text: bool = False,
                  **options) -> Path:
    """Write a whole polars or pandas frame atomically: the old file stays until the new one is
    complete. ``options`` go to :class:`pyarrow.parquet.ParquetWriter`.

    ``plain_text``: the frame's Categorical (dictionary) columns are how it is held and how
    the pages are written; readers get plain strings (:func:`plain_values`), as from any
    other tidy file.
    """
    table = arrow_table(frame)
    read_as = plain_values(table.schema) if plain_text else None
    with ParquetSink.open(path, table.schema, read_as=read_as, **options) as sink:
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
