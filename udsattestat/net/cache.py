"""Where raw snapshots live: the platform's user cache directory, never the current one.

``$UDSATTESTAT_CACHE_DIR`` overrides it (CI jobs, tests, a shared disk). The folder is
created only when a snapshot is written, so read-only commands that find nothing to
cache leave no trace, and nothing lands in whatever directory the user stands in.
Outputs (Parquet, charts, pages) still go where the user says (``--out``, ``--data-dir``).
"""

from __future__ import annotations

from pathlib import Path

from ..cachedir import CACHE_DIR_ENV, cache_root

__all__ = ["CACHE_DIR_ENV", "cache_dir"]


def cache_dir() -> Path:
    """``$UDSATTESTAT_CACHE_DIR``, else the user cache dir (``~/.cache/udsattestat`` on Linux,
    ``~/Library/Caches/udsattestat`` on macOS, ``%LOCALAPPDATA%\\udsattestat\\Cache`` on Windows)."""
    return Path(cache_root())
