"""Reading a response body while it downloads.

The download writes the body, exactly as it arrives, to its temporary file (the raw
snapshot to be, hashed as it goes); a :class:`GrowingFile` reads that same file from
another thread and waits whenever it has caught up with the writer. The parser's memory
stays what it is for a finished file (a few blocks), and no byte is kept twice: the body
is on disk once, read once.

The writer tells the file how far it has written (:meth:`GrowingFile.grew`), and how the
download ended: :meth:`~GrowingFile.complete` (every byte there, checked) or
:meth:`~GrowingFile.abandon` (cut short, damaged, refused, retried). A reader that is
waiting, or reads on, after ``abandon`` gets :class:`BodyAbandoned`, so what it made of a
partial body is thrown away, never kept.
"""

from __future__ import annotations

import io
import os
import threading


class BodyAbandoned(Exception):
    """The download being read failed or was given up: these bytes are not the body."""


class GrowingFile(io.RawIOBase):
    """A read-only, forward-only view of a file another thread is still writing."""

    def __init__(self, path: str | os.PathLike):
        super().__init__()
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._pos = 0
        self._size = 0  # bytes written and flushed by the writer
        self._ended: str | None = None  # None while growing, "complete" or "abandoned"
        self._cond = threading.Condition()
        #: Set once the reader is done with the file (read to its end, stopped, or closed):
        #: only then may the writer move it (Windows cannot rename a file that is open).
        self.released = threading.Event()

    # -- the writer's side ------------------------------------------------------------------

    def grew(self, size: int) -> None:
        """``size`` bytes are now written and flushed."""
        with self._cond:
            self._size = size
            self._cond.notify_all()

    def complete(self) -> None:
        """The body is whole and checked: read to its end."""
        self._end("complete")

    def abandon(self) -> None:
        """The body will not be complete: the reader stops with :class:`BodyAbandoned`."""
        self._end("abandoned")

    def _end(self, how: str) -> None:
        with self._cond:
            if self._ended is None:
                self._ended = how
            self._cond.notify_all()

    @property
    def abandoned(self) -> bool:
        return self._ended == "abandoned"

    # -- the reader's side ------------------------------------------------------------------

    def _available(self, end: int) -> tuple[int, bool]:
        """Wait until ``end`` bytes are written or the body has ended: (bytes written, whether that is all)."""
        with self._cond:
            while self._size < end and self._ended is None:
                self._cond.wait()
            if self._ended == "abandoned":
                raise BodyAbandoned("the download was abandoned before it was complete")
            return self._size, self._ended == "complete"

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._pos

    def readinto(self, buffer) -> int:
        """Fill ``buffer`` (fewer bytes only at the end of the body); waits for the writer."""
        view = memoryview(buffer).cast("B")
        if self.closed:
            return 0  # read to the end and released already
        size, whole = self._available(self._pos + len(view))
        n = min(len(view), size - self._pos)
        done = 0
        while done < n:
            chunk = os.pread(self._fd, n - done, self._pos + done) if hasattr(os, "pread") else self._read_at(
                n - done, self._pos + done)
            if not chunk:  # pragma: no cover - the writer said these bytes were written
                break
            view[done:done + len(chunk)] = chunk
            done += len(chunk)
        self._pos += done
        if whole and self._pos >= size:
            self.close()  # every byte read: let the writer move the file
        return done

    def _read_at(self, n: int, offset: int) -> bytes:  # pragma: no cover - Windows has no pread
        os.lseek(self._fd, offset, os.SEEK_SET)
        return os.read(self._fd, n)

    def first_line(self, limit: int = 1 << 16) -> bytes:
        """The body's first line (up to ``limit`` bytes), waiting for it; the position is not moved."""
        seen = 0
        while True:
            size, whole = self._available(seen + 1)  # size and "that is all" read together
            head = os.pread(self._fd, min(size, limit), 0) if hasattr(os, "pread") else self._read_at(min(size, limit), 0)
            if b"\n" in head or len(head) >= limit or whole:
                return head.split(b"\n", 1)[0] + (b"\n" if b"\n" in head else b"")
            seen = size

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()
        self.released.set()
