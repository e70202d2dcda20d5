"""Eurostat's dissemination API as a :class:`~udsattestat.providers.Provider`."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class Eurostat:
    name = "eurostat"

    @staticmethod
    def _session(data_dir, offline: bool, refresh: bool, http=None, base: str | None = None):
        from .fetch import Session

        return Session.open(Path(data_dir), offline=offline, refresh=refresh, http=http, base=base)

    def search(self, text: str, *, data_dir, offline: bool = False, refresh: bool = False,
               http=None, base: str | None = None) -> list[dict[str, Any]]:
        """Datasets in Eurostat's table of contents whose code or title has every word of ``text``."""
        from .client import search_toc
        from .fetch import get_toc

        entries, _ = get_toc(self._session(data_dir, offline, refresh, http, base))
        return [{"id": e.code, "code": e.code, "title": e.title, "type": e.type, "updated": e.updated,
                 "data_start": e.data_start, "data_end": e.data_end} for e in search_toc(entries, text)]

    def info(self, table: str, *, data_dir, filters: dict | None = None, offline: bool = False,
             refresh: bool = False, http=None, base: str | None = None):
        """(cube, snapshot) of the latest period of ``table`` (with any ``filters``)."""
        from .fetch import get_dataset

        cube, snap, _ = get_dataset(self._session(data_dir, offline, refresh, http, base), table, filters, last=1)
        return cube, snap

    def release(self, meta, *, lang: str, http=None) -> tuple[str, str]:
        """(``eurostat:TABLE``, the release id a fetch would get now), from the latest period only."""
        from .fetch import Session, get_dataset, vintage_of

        table = meta.doc.eurostat["table"]
        session = Session.open(None, refresh=True, http=http)  # refresh: never a cached answer
        cube, snap, _ = get_dataset(session, table, None, last=1)
        return f"eurostat:{table}", vintage_of(table, cube, snap)[0]

    def fetch(self, meta, *, lang: str, data_dir, offline: bool = False, refresh: bool = False,
              quiet: bool = True, http=None, base: str | None = None):
        from .indicators import fetch_indicator

        return fetch_indicator(meta, table=meta.doc.eurostat["table"], lang=lang, data_dir=data_dir,
                               offline=offline, refresh=refresh, quiet=quiet, http=http, base=base)
