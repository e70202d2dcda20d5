"""What a live run carries around: a provider's client, its snapshot store and the switches.

StatBank and Eurostat sessions differ only in their client class and provider name, so
both are this one dataclass specialised by two class attributes (no copy per provider).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from .snapshots import SnapshotStore


@dataclass
class ProviderSession:
    client: Any
    store: SnapshotStore
    cache_root: Path  # snapshot paths in provenance are relative to it
    offline: bool = False
    refresh: bool = False

    #: set by each provider's subclass
    client_class: ClassVar[type]
    provider: ClassVar[str]

    @classmethod
    def open(cls, data_dir=None, *, offline: bool = False, refresh: bool = False,
             http=None, base: str | None = None, cache=None):
        """A session whose raw snapshots live in ``cache`` (default: the user cache dir).

        ``data_dir`` (where a caller writes its outputs) is not used: snapshots are a cache,
        not an output, and never land in the current directory.
        """
        from .cache import cache_dir

        root = Path(cache) if cache is not None else cache_dir()
        return cls(cls.client_class(http, base), SnapshotStore(root, cls.provider), root, offline, refresh)

    def relative(self, path: Path) -> str:
        """``path`` relative to the cache root, as provenance records it (absolute if outside)."""
        try:
            return str(Path(path).relative_to(self.cache_root))
        except ValueError:
            return str(path)
