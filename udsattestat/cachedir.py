"""The user cache directory as a string, with the standard library only.

Why not just platformdirs: importing it costs ~25 ms, a sixth of what ``udsattestat list``
may take in all. On Linux, where the answer is plain (an absolute ``$XDG_CACHE_HOME``,
else an absolute ``$HOME`` + ``/.cache``), it is computed here; anywhere else (macOS,
Windows, Android, a relative or missing ``HOME``) platformdirs answers.
``tests/test_catalog_cache.py`` checks both give the same folder.
"""

from __future__ import annotations

import os
import sys

CACHE_DIR_ENV = "UDSATTESTAT_CACHE_DIR"
APP = "udsattestat"


def cache_root() -> str:
    """``$UDSATTESTAT_CACHE_DIR``, else the platform's user cache dir for udsattestat."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return os.path.expanduser(explicit)
    if sys.platform == "linux" and not hasattr(sys, "getandroidapilevel") and "ANDROID_DATA" not in os.environ:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        if xdg.startswith("/"):
            return os.path.join(xdg, APP)
        home = os.environ.get("HOME", "")
        if home.startswith("/"):
            return os.path.join(os.path.expanduser("~/.cache"), APP)
    return platform_cache_root()


def platform_cache_root() -> str:
    """What platformdirs says (the reference the fast path above must agree with)."""
    import platformdirs

    return platformdirs.user_cache_dir(APP, appauthor=False)
