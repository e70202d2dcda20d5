"""Progress display for downloads: a rich bar on a terminal, nothing otherwise.

Only for people watching: CI logs and pipes get no control characters, and ``--quiet``
turns it off everywhere.
"""

from __future__ import annotations

import contextlib
import sys


@contextlib.contextmanager
def download_progress(description: str, *, quiet: bool = False, stream=None):
    """Yield ``(on_bytes(done, total), on_rows(rows))`` callbacks; no-ops when not shown."""
    stream = stream or sys.stderr
    if quiet or not getattr(stream, "isatty", lambda: False)():
        yield (lambda done, total: None), (lambda rows: None)
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
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("{task.fields[rows]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None, rows="")

        def on_bytes(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        def on_rows(rows: int) -> None:
            bar.update(task, rows=f"{rows:,} rows")

        yield on_bytes, on_rows
