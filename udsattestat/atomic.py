"""Atomic file writes: a crash or an error mid-write never leaves a half-written file and
never destroys the previous good one.

Data go to a temporary file in the target's own directory (so the final ``os.replace`` is a
rename on one file system), are flushed and fsynced, and only then replace the target.

What an output path may be (docs/errors.md, "Outputs"):

- ``-``: standard output, for the text formats (:func:`write_output`);
- an existing **symbolic link** to a file: written through: the file it points to is
  replaced atomically and the link stays a link. A link to nothing is refused;
- an existing **FIFO** or **character device** (``/dev/stdout``, a named pipe): written
  through, streamed once the output is complete (there is no earlier file to keep);
- a socket, a block device or a directory: refused.

Temporary files are named ``.<name>.<pid>.<random>.part``: a run that was killed (not just
failed) leaves one behind, and the next write beside it removes those whose process is
gone (:func:`sweep_leftovers`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
import time
from pathlib import Path

from .errors import OutputError

STDOUT = "-"
#: A leftover is swept when its process is gone, or in any case after this long.
STALE_AFTER = 24 * 3600
_LEFTOVER = re.compile(r"^\..*\.(\d+)\.[^.]*\.(part|building|old)$")


def is_stdout(path) -> bool:
    return str(path) == STDOUT


def _special(target: Path) -> str | None:
    """'fifo', 'chardev', 'other' for an existing non-regular, non-directory file; else None."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return None
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode):
        return "chardev"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "other"


def check_output_path(path: str | os.PathLike, *, suffixes: tuple[str, ...] | None = None) -> Path:
    """Refuse early, with a clear message, an output we could not write."""
    target = Path(path)
    if suffixes is not None and target.suffix.lower() not in suffixes:
        raise OutputError(
            f"cannot write {str(target)!r}: unsupported file type {target.suffix or '(none)'!r}; "
            f"use one of {', '.join(suffixes)}"
        )
    if target.is_symlink():
        real = Path(os.path.realpath(target))
        if not real.exists():
            raise OutputError(
                f"cannot write {str(target)!r}: it is a symbolic link to {str(real)!r}, which does not exist; "
                "remove the link or give another file name"
            )
        # Written through: the checks below apply to the file the link points to.
        check_output_path(real)
        return target
    kind = _special(target)
    if kind == "other":
        raise OutputError(
            f"cannot write {str(target)!r}: it is a socket or block device, not a file; give a file name"
        )
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise OutputError(
            f"cannot write {str(target)!r}: directory {str(parent)!r} does not exist; create it first"
        )
    if not parent.is_dir():
        raise OutputError(f"cannot write {str(target)!r}: {str(parent)!r} is not a directory")
    if kind is None and not os.access(parent, os.W_OK):
        raise OutputError(
            f"cannot write {str(target)!r}: directory {str(parent)!r} is not writable"
        )
    if target.is_dir():
        raise OutputError(f"cannot write {str(target)!r}: it is a directory; give a file name")
    return target


def temp_name(name: str) -> str:
    """The prefix of a temporary file or folder for ``name``: ``.<name>.<pid>.`` (see the module doc)."""
    return f".{name}.{os.getpid()}."


def sweep_leftovers(directory: str | os.PathLike, name: str | None = None) -> list[str]:
    """Remove what killed runs left in ``directory``: ``.<name>.<pid>.<random>.part``
    files and ``.building``/``.old`` folders whose process no longer runs (or that are more
    than a day old). Only ``name``'s leftovers when given. Returns what was removed."""
    import shutil

    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        m = _LEFTOVER.match(entry.name)
        if not m or (name is not None and not entry.name.startswith(f".{name}.")):
            continue
        pid = int(m.group(1))
        try:
            age = time.time() - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if pid == os.getpid() or (_alive(pid) and age < STALE_AFTER):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except (OverflowError, OSError):
        return False
    return True


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    For writers (pyarrow, matplotlib, xlsxwriter) that want a file name, not a handle.
    A symbolic link is written through (the file it points to is replaced); a FIFO or a
    character device gets the finished bytes streamed into it. Any failure to write (a
    full disk, a quota, a read-only file system) is an :class:`OutputError` of one line,
    and the previous file is untouched.
    """
    target = check_output_path(path)
    if _special(target) in ("fifo", "chardev"):
        with _through_stream(target) as tmp:
            yield tmp
        return
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    sweep_leftovers(real.parent, real.name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_name(real.name), suffix=".part", dir=real.parent)
        os.close(fd)
    except OSError as exc:
        # any failure to create a file beside the target means the target cannot be written
        # either (e.g. a pseudo-filesystem such as /proc refuses new files with ENOENT)
        raise _write_error(target, exc) or OutputError(
            f"cannot write {str(target)!r}: {exc.strerror or exc}; choose another folder") from None
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp creates 0600 files; give the result the usual permissions (or the old file's).
        mode = os.stat(real).st_mode & 0o7777 if real.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        converted = _write_error(target, exc)
        if converted is not None:
            raise converted from None
        raise


@contextlib.contextmanager
def _through_stream(target: Path):
    """Write a complete temporary file, then copy it into the FIFO or device at once."""
    import shutil

    fd, tmp = tempfile.mkstemp(prefix=temp_name(target.name), suffix=".part")
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    except BaseException as exc:
        converted = _write_error(target, exc)
        if converted is not None:
            raise converted from None
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


#: errno values that mean "this output cannot be written", whoever raised them.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM,
                 errno.EPIPE}


def _write_error(target: Path, exc: BaseException) -> OutputError | None:
    """One clear line for a failed write, whichever library raised it; None if not a write failure.

    matplotlib and pyarrow raise OSError; polars raises its own types with "os error 28" in
    the text; xlsxwriter wraps the OSError. The cause chain is searched for the OSError.
    """
    from .errors import UdsatError

    if isinstance(exc, UdsatError | KeyboardInterrupt | SystemExit | GeneratorExit):
        return None
    seen, cur = 0, exc
    while cur is not None and seen < 6:
        if isinstance(cur, OSError) and cur.errno in _WRITE_ERRNOS:
            reason = cur.strerror or str(cur) or cur.__class__.__name__
            return OutputError(f"cannot write {str(target)!r}: {reason}; the previous file (if any) is unchanged")
        cur, seen = cur.__cause__ or cur.__context__, seen + 1
    text = str(exc)
    if "os error 28" in text or "No space left" in text:
        return OutputError(f"cannot write {str(target)!r}: No space left on device; "
                           "the previous file (if any) is unchanged")
    return None


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_output(path: str | os.PathLike, data: bytes | str) -> Path | str:
    """``data`` to ``path`` atomically, or to standard output when ``path`` is ``-``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if is_stdout(path):
        out = getattr(sys.stdout, "buffer", None)
        try:
            if out is not None:
                out.write(raw)
                out.flush()
            else:  # a text-only stream (tests' capture): the data are text here
                sys.stdout.write(raw.decode("utf-8"))
                sys.stdout.flush()
        except BrokenPipeError:  # `… | head`: the reader has all it wants
            with contextlib.suppress(OSError):
                sys.stdout.close()
        return STDOUT
    return atomic_write_bytes(path, raw)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
