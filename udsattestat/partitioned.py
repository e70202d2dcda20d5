"""A tidy table as a Hive-partitioned Parquet dataset (``<dir>/period=2025K1/part-0.parquet``).

For fetches of millions of rows: readers that filter by period (DuckDB, Spark, polars,
pyarrow) open only the folders they need. The dataset is made from the finished tidy
Parquet file by streaming it through :func:`pyarrow.dataset.write_dataset` (batches, not
the whole table), into a temporary folder beside the target that replaces the old dataset
only when complete: a failure leaves the previous dataset as it was. Every file keeps the
provenance in its Arrow schema and footer metadata, as a single file does (key ``udsattestat``,
and ``PANDAS_ATTRS`` for pandas), and ``_provenance.json`` holds it too (readers skip names
starting with ``_``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError


def check_dataset_dir(path: str | os.PathLike) -> Path:
    """Refuse early an output folder we could not write (a file of that name, a missing parent)."""
    target = Path(path)
    if target.suffix.lower() == ".parquet" and not target.is_dir():
        raise OutputError(f"--partition-by writes a folder of Parquet files; give --out a folder name, not {str(target)!r}")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"cannot write {str(target)!r}: directory {str(parent)!r} does not exist; create it first")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write {str(target)!r}: directory {str(parent)!r} is not writable")
    if target.exists() and not target.is_dir():
        raise OutputError(f"cannot write {str(target)!r}: it is a file; give a folder name")
    return target


def write_partitioned(single: Path, out_dir: str | os.PathLike, *, by: str = "period") -> Path:
    """Rewrite the tidy Parquet file ``single`` as a Hive-partitioned dataset at ``out_dir``."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from .provenance import METADATA_KEY

    out_dir = check_dataset_dir(out_dir)
    # The single file's Arrow schema carries the provenance (store.ParquetSink); a dataset
    # writer stores that schema, metadata and all, in every partition file's footer.
    schema = pq.read_schema(single)
    provenance = (schema.metadata or {}).get(METADATA_KEY)
    source = ds.dataset(single, format="parquet", schema=schema)
    tmp = out_dir.parent / f".{out_dir.name}.{os.getpid()}.tmp"
    old = out_dir.parent / f".{out_dir.name}.{os.getpid()}.old"
    try:
        ds.write_dataset(
            source.scanner(batch_size=1 << 18), tmp, format="parquet",
            partitioning=ds.partitioning(pa.schema([schema.field(by)]), flavor="hive"),
            basename_template="part-{i}.parquet", existing_data_behavior="error",
            file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
        )
        if provenance is not None:
            (tmp / "_provenance.json").write_bytes(provenance)
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
    except OSError as exc:
        raise OutputError(f"cannot write {str(out_dir)!r}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return out_dir


@contextmanager
def staged(out: str | os.PathLike, by: str | None) -> Iterator[Path]:
    """The path a fetch writes its tidy Parquet file to, partitioned at ``out`` afterwards.

    Without ``by`` it is ``out`` itself. With it, ``out`` (a folder) is checked first, the
    fetch writes a hidden single file beside it, and only when the fetch succeeded is that
    file rewritten as the partitioned dataset; the hidden file never outlives the call.
    """
    final = Path(out)
    if not by:
        yield final
        return
    check_dataset_dir(final)
    single = final.parent / f".{final.name}.{os.getpid()}.parquet"
    try:
        yield single
        write_partitioned(single, final, by=by)
    finally:
        single.unlink(missing_ok=True)
