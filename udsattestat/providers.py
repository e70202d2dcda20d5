"""The provider interface: what StatBank and Eurostat both offer, in the same three verbs.

- ``search(text, **options)`` → list of dicts (``id``, ``title``, ``updated``, …): tables
  whose id or title has every word;
- ``info(table, **options)`` → a provider-specific description of one table (variables or
  dimensions, codes, labels, flags);
- ``release(meta, *, lang)`` → ``(source label, release id)``: which release a fetch of the
  dataset's table(s) would get now, with one small request (``udsattestat update``);
- ``fetch(meta, *, lang, data_dir, offline, refresh, quiet)`` → ``(frame, Provenance)``: a
  dataset's live table(s), shaped by its ``[statbank]``/``[eurostat]`` mapping into the
  dataset's tidy schema, with every label and unit label in the provenance;
- ``fetch_arrow(meta, **same options)`` → ``(pyarrow table, Provenance)``: the same rows for a
  caller that has no use for polars (``show --live``: StatBank's never imports it).

Providers are looked up by name with :func:`provider`: an explicit ``if`` per provider
that imports its module on first use (the CLI starts without requests or pyarrow), so the
import graph shows exactly which code a ``--live`` run reaches.
"""

from __future__ import annotations

from typing import Any, Protocol

from .errors import UdsatError

#: The providers a dataset can name, each by the mapping table it declares in dataset.toml.
NAMES = ("statbank", "eurostat")


class Provider(Protocol):
    name: str

    def search(self, text: str, **options: Any) -> list[dict[str, Any]]: ...

    def info(self, table: str, **options: Any) -> Any: ...

    def release(self, meta, *, lang: str, http=None) -> tuple[str, str]: ...

    def check(self, meta, *, live: bool = False, http=None) -> str: ...

    def status(self, meta, *, offline: bool = False, http=None) -> list[dict[str, Any]]: ...

    def fetch(self, meta, *, lang: str, data_dir, offline: bool = False, refresh: bool = False,
              quiet: bool = True, where: dict | None = None, since: str | None = None,
              until: str | None = None) -> tuple[Any, Any]: ...

    def fetch_arrow(self, meta, **options: Any) -> tuple[Any, Any]: ...


def provider(name: str) -> Provider:
    """The provider called ``name`` (``statbank`` or ``eurostat``)."""
    if name == "statbank":
        from .statbank.provider import StatBank

        return StatBank()
    if name == "eurostat":
        from .eurostat.provider import Eurostat

        return Eurostat()
    raise UdsatError(f"unknown live provider {name!r}; known: {', '.join(NAMES)}")

