"""What a download is doing, said while it happens: a rich bar on a terminal, log lines in CI.

:func:`download_progress` yields a :class:`Reporter`. The HTTP client tells it about each
attempt, each wait for a retry ("attempt 2 of 4 in 3 s"), the time spent waiting for a
server that is still preparing an extraction ("server preparing the extraction, 2 min"),
and the bytes and rows as they arrive.

* On a terminal: one transient rich line with the description, the state, a bar, bytes,
  rows and elapsed time.
* Without a terminal (CI, a pipe): one plain line per attempt on stderr — and one a minute
  while the server prepares — so a log shows what happened and when; bytes and rows are
  not logged (they would flood it).
* ``--quiet``: nothing.

For backward compatibility the reporter also unpacks as ``(on_bytes, on_rows)``; ``on_bytes``
is the reporter itself (calling it reports bytes), so passing it on as ``progress=`` lets the
HTTP client find the reporter and tell it about attempts too.
"""

from __future__ import annotations

import contextlib
import sys

#: Without a terminal, a line about the wait every this many seconds.
LOG_WAIT_EVERY = 60.0


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 90:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes} min" if minutes < 10 or not secs else f"{minutes} min {secs} s"


class Reporter:
    """Receives download events; the base class shows nothing (``--quiet``)."""

    description = ""

    def __call__(self, done: int, total: int | None) -> None:
        self.bytes(done, total)

    def __iter__(self):
        return iter((self, self.rows))

    def bytes(self, done: int, total: int | None) -> None:
        """``done`` bytes of ``total`` (None when unknown) have arrived."""

    def rows(self, rows: int) -> None:
        """``rows`` rows parsed so far."""

    def attempt(self, number: int, attempts: int, method: str, url: str) -> None:
        """Attempt ``number`` of at most ``attempts`` starts."""

    def waiting(self, seconds: float) -> None:
        """No answer yet after ``seconds``: the server is preparing the response."""

    def retry(self, number: int, attempts: int, wait: float, reason: str) -> None:
        """Attempt ``number`` of ``attempts`` will start in ``wait`` seconds because of ``reason``."""


class LogReporter(Reporter):
    """Plain lines on a stream that is not a terminal: one per attempt, one a minute while waiting."""

    def __init__(self, description: str, stream):
        self.description = description
        self.stream = stream
        self._logged_wait = 0.0

    def _line(self, text: str) -> None:
        print(f"udsattestat: {self.description}: {text}", file=self.stream, flush=True)

    def attempt(self, number, attempts, method, url):
        self._logged_wait = 0.0
        if number == 1:  # later attempts were announced by retry()
            self._line(f"attempt 1 of {attempts}: {method} {url}")

    def waiting(self, seconds):
        if seconds - self._logged_wait >= LOG_WAIT_EVERY:
            self._logged_wait = seconds
            self._line(f"server preparing the response, {_duration(seconds)} so far")

    def retry(self, number, attempts, wait, reason):
        self._line(f"{reason}; attempt {number} of {attempts} in {_duration(wait)}")


class BarReporter(Reporter):
    """A transient rich progress line on a terminal."""

    def __init__(self, description: str, bar, task):
        self.description = description
        self.bar = bar
        self.task = task

    def _state(self, text: str) -> None:
        self.bar.update(self.task, state=text)

    def bytes(self, done, total):
        self.bar.update(self.task, completed=done, total=total, state="downloading")

    def rows(self, rows):
        self.bar.update(self.task, rows=f"{rows:,} rows")

    def attempt(self, number, attempts, method, url):
        self._state("connecting" if number == 1 else f"attempt {number} of {attempts}")

    def waiting(self, seconds):
        self._state(f"server preparing the extraction, {_duration(seconds)}")

    def retry(self, number, attempts, wait, reason):
        # counted down by the client's sleep in one-second steps
        self._state(f"{reason}; attempt {number} of {attempts} in {_duration(wait)}")


@contextlib.contextmanager
def download_progress(description: str, *, quiet: bool = False, stream=None):
    """Yield a :class:`Reporter` for one download (see the module docstring)."""
    stream = stream or sys.stderr
    if quiet:
        yield Reporter()
        return
    if not getattr(stream, "isatty", lambda: False)():
        yield LogReporter(description, stream)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TransferSpeedColumn,
    )

    console = Console(file=stream)
    with Progress(
        TextColumn("{task.description}"),
        TextColumn("{task.fields[state]}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("{task.fields[rows]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None, rows="", state="")
        yield BarReporter(description, bar, task)

