"""Atomic file writes: a crash or an error mid-write never leaves a half-written file and
never destroys the previous good one.

Data go to a temporary file in the target's own directory (so the final ``os.replace`` is a
rename on one file system), are flushed and fsynced, and only then replace the target.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def check_output_path(path: str | os.PathLike, *, suffixes: tuple[str, ...] | None = None) -> Path:
    """Refuse early, with a clear message, an output we could not write."""
    target = Path(path)
    if suffixes is not None and target.suffix.lower() not in suffixes:
        raise OutputError(
            f"cannot write {str(target)!r}: unsupported file type {target.suffix or '(none)'!r}; "
            f"use one of {', '.join(suffixes)}"
        )
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise OutputError(
            f"cannot write {str(target)!r}: directory {str(parent)!r} does not exist; create it first"
        )
    if not parent.is_dir():
        raise OutputError(f"cannot write {str(target)!r}: {str(parent)!r} is not a directory")
    if not os.access(parent, os.W_OK):
        raise OutputError(
            f"cannot write {str(target)!r}: directory {str(parent)!r} is not writable"
        )
    if target.is_dir():
        raise OutputError(f"cannot write {str(target)!r}: it is a directory; give a file name")
    return target


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    For writers (pyarrow, matplotlib, xlsxwriter) that want a file name, not a handle.
    """
    target = check_output_path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp creates 0600 files; give the result the usual permissions.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
