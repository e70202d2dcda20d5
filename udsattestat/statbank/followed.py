"""Parse a StatBank body while it downloads (a ``follow=`` for the HTTP client)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .body import check_header_names, header_names, raw_batches
from .context import TidyContext
from .stream import ParseStats, write_tidy


class FollowedTidy:
    """:func:`write_tidy` on a body while it downloads: a ``follow=`` for the HTTP client.

    Each download attempt's temporary file is read as it grows (a
    :class:`~udsattestat.net.follow.GrowingFile`) by a parser thread that runs the same
    three stages as for a finished file, so parsing, tidying and writing Parquet overlap
    the download instead of following it, in the same bounded memory. The bytes stay on
    disk once, written as fetched and hashed by the client; nothing is read twice.

    Nothing is kept of a body that does not become a snapshot: a failed attempt (cut
    short, bad gzip, a retry) abandons the file, the parser stops, and its Parquet — an
    atomic temporary — is discarded; the next attempt starts a new parser. The Parquet is
    finished only by :meth:`finish`, with the saved snapshot (its provenance names the
    snapshot and its sha256, and counts the rows). Call :meth:`close` when done, in any case.
    """

    def __init__(self, ctx: TidyContext, expected: list[str], out: Path, *,
                 metadata: Callable[[ParseStats, Any], bytes],
                 complete_codes: dict[str, list[str]] | None = None,
                 progress: Callable[[int], None] | None = None):
        self.ctx = ctx
        self.expected = expected
        self.out = out
        self.metadata = metadata
        self.complete_codes = complete_codes
        self.progress = progress
        self._thread = None
        self._file = None

    @property
    def started(self) -> bool:
        """Whether a body is being (or was) read: False when the snapshot was replayed."""
        return self._thread is not None

    # -- the HTTP client's side (a Follower) ---------------------------------------------------

    def begin(self, path: Path) -> None:
        import threading

        from ..net.follow import GrowingFile

        self._stop()
        self._file = GrowingFile(path)
        self._snapshot = None
        self._given = threading.Event()
        self._error: BaseException | None = None
        self._stats: ParseStats | None = None
        self._thread = threading.Thread(target=self._run, name="body-parser", daemon=True)
        self._thread.start()

    def grew(self, size: int) -> None:
        self._file.grew(size)

    def end(self, ok: bool) -> None:
        if ok:
            self._file.complete()
            # The client moves the file into place next; Windows cannot rename an open file,
            # so wait until the parser has read it to the end (or stopped) and let it go.
            self._file.released.wait()
        else:
            self._stop()

    # -- the parser thread ---------------------------------------------------------------------

    def _run(self) -> None:
        try:
            what = f"table {self.ctx.info.id}"
            header = check_header_names(header_names(self._file.first_line(), what), self.expected)
            self._stats = write_tidy(
                None, self.ctx, header, self.out, finish_metadata=self._finish_metadata,
                complete_codes=self.complete_codes, progress=self.progress,
                batches=raw_batches(self._file, header, self.ctx.lang, what=what))
        except BaseException as exc:  # noqa: BLE001 - raised in the caller by finish()
            self._error = exc
        finally:
            self._file.close()  # releases it (see end()), whatever happened

    def _finish_metadata(self, stats: ParseStats) -> bytes:
        from ..net.follow import BodyAbandoned

        self._given.wait()  # the whole body is parsed; the provenance needs the saved snapshot
        if self._snapshot is None:
            raise BodyAbandoned("the download was not kept as a snapshot")
        return self.metadata(stats, self._snapshot)

    # -- the caller's side ---------------------------------------------------------------------

    def finish(self, snapshot) -> ParseStats:
        """The body was saved as ``snapshot``: complete the Parquet. Raises what the parser raised."""
        self._snapshot = snapshot
        self._given.set()
        self._thread.join()
        self._file.close()
        if self._error is not None:
            raise self._error
        assert self._stats is not None
        return self._stats

    def close(self) -> None:
        """Stop a parser that was not finished (the fetch failed): its Parquet is discarded."""
        self._stop()

    def _stop(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._file.abandon()
            self._given.set()
            self._thread.join()
        if self._file is not None:
            self._file.close()
