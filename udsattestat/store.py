"""Tidy tables on disk: Parquet files with their provenance in the file's metadata."""

from __future__ import annotations

import os
from pathlib import Path

from .atomic import atomic_path
from .errors import OutputError, UdsatError
from .provenance import Provenance, read_parquet_provenance

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


def to_arrow(frame, prov: Provenance):
    """The frame as an Arrow table whose schema metadata carries the provenance."""
    from .frames import to_arrow as frame_to_arrow

    return frame_to_arrow(frame, prov)


def write_parquet(frame, prov: Provenance, path: str | os.PathLike) -> Path:
    """Write atomically: the old file stays until the new one is complete."""
    import pyarrow.parquet as pq

    table = to_arrow(frame, prov)
    try:
        with atomic_path(path) as tmp:
            pq.write_table(table, tmp, compression="zstd")
    except OSError as exc:
        raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    return Path(path)


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
