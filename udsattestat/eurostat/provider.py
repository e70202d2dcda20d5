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

    def status(self, meta, *, offline: bool = False, http=None) -> list[dict[str, Any]]:
        """The dataset's last release (its ``updated`` stamp) and newest period, and whether it
        has stopped being updated (:mod:`udsattestat.stopped`)."""
        from ..stopped import stopped_reason
        from .fetch import Session, get_dataset

        table = meta.doc.eurostat["table"]
        session = Session.open(None, offline=offline, refresh=not offline, http=http)
        cube, _, _ = get_dataset(session, table, None, last=1)
        time = cube.role("time", ("time", "TIME_PERIOD"))
        latest = cube.dimension(time).codes[-1] if time and cube.dimension(time).codes else None
        return [{"table": table, "updated": cube.updated, "active": True, "latest": latest,
                 "stopped": stopped_reason(updated=cube.updated, latest=latest),
                 "successor": meta.doc.eurostat.get("successor")}]

    def check(self, meta, *, live: bool = False, http=None) -> str:
        """The dataset's ``[eurostat]`` mapping against the dataset's dimensions and codes."""
        from .mapping_check import check

        return check(meta, live=live, http=http)

    def fetch(self, meta, *, lang: str, data_dir, offline: bool = False, refresh: bool = False,
              quiet: bool = True, http=None, base: str | None = None, where: dict | None = None,
              since: str | None = None, until: str | None = None):
        """The dataset's live rows; ``where`` and ``since`` narrow the request's filters
        (``until`` is applied by the view)."""
        from .indicators import fetch_indicator

        return fetch_indicator(meta, table=meta.doc.eurostat["table"], lang=lang, data_dir=data_dir,
                               offline=offline, refresh=refresh, quiet=quiet, http=http, base=base,
                               where=where, since=since)

    def fetch_arrow(self, meta, **options):
        """:meth:`fetch` as a pyarrow table (the frame is built with polars here)."""
        frame, prov = self.fetch(meta, **options)
        return frame.to_arrow(), prov
