"""Where raw snapshots live: the platform's user cache directory, never the current one.

``$UDSATTESTAT_CACHE_DIR`` overrides it (CI jobs, tests, a shared disk). The folder is
created only when a snapshot is written, so read-only commands that find nothing to
cache leave no trace, and nothing lands in whatever directory the user stands in.
Outputs (Parquet, charts, pages) still go where the user says (``--out``, ``--data-dir``).
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR_ENV = "UDSATTESTAT_CACHE_DIR"


def cache_dir() -> Path:
    """``$UDSATTESTAT_CACHE_DIR``, else the user cache dir (``~/.cache/udsattestat`` on Linux,
    ``~/Library/Caches/udsattestat`` on macOS, ``%LOCALAPPDATA%\\udsattestat\\Cache`` on Windows)."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("udsattestat", appauthor=False))
