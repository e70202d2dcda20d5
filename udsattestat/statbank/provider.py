"""Statistics Denmark's StatBank as a :class:`~udsattestat.providers.Provider`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..languages import LANGS
from ..words import words_match


class StatBank:
    name = "statbank"

    def search(self, text: str, *, lang: str = "da", subjects: list[str] | None = None,
               inactive: bool = False, http=None, base: str | None = None) -> list[dict[str, Any]]:
        """Tables whose id or title has every word of ``text``."""
        from .client import StatbankClient

        tables = StatbankClient(http, base).tables(lang=lang, subjects=subjects or None, include_inactive=inactive)
        return [
            {k: t.get(k) for k in ("id", "text", "unit", "firstPeriod", "latestPeriod", "updated", "active")}
            for t in tables if words_match(text, t.get("id"), t.get("text"))
        ]

    def info(self, table: str, *, data_dir: Path, offline: bool = False, http=None,
             base: str | None = None) -> dict[str, Any]:
        """The table's tableinfo in both languages: ``{"da": TableInfo, "en": TableInfo}``."""
        from .fetch import Session, get_tableinfo

        session = Session.open(Path(data_dir), offline=offline, http=http, base=base)
        return {lang: get_tableinfo(session, table, lang)[0] for lang in LANGS}

    def release(self, meta, *, lang: str, http=None) -> tuple[str, str]:
        """(``statbank:TABLE[+TABLE]``, the tables' ``updated`` joined by ``+``): what a fetch
        would get now, asked with one small tableinfo request per table."""
        from .fetch import Session, get_tableinfo
        from .mapping import Mapping

        tables = list(Mapping.parse(meta.doc.statbank).tables)
        session = Session.open(http=http)
        stamps = [get_tableinfo(session, t, lang)[0].updated for t in tables]
        return f"statbank:{'+'.join(tables)}", "+".join(stamps)

    def status(self, meta, *, offline: bool = False, http=None) -> list[dict[str, Any]]:
        """Per table of the mapping: its last release, newest period, and whether it has stopped
        being updated (:mod:`udsattestat.stopped`); ``offline`` reads the newest cached tableinfo
        (e.g. the one ``release`` just fetched)."""
        from ..stopped import stopped_reason
        from .fetch import Session, get_tableinfo
        from .mapping import Mapping

        mapping = Mapping.parse(meta.doc.statbank)
        session = Session.open(offline=offline, http=http)
        out = []
        for table in mapping.tables:
            info = get_tableinfo(session, table, mapping.language or "da")[0]
            time = info.time_variable
            latest = time.codes[-1] if time is not None and time.codes else None
            out.append({"table": info.id, "updated": info.updated, "active": info.active, "latest": latest,
                        "stopped": stopped_reason(updated=info.updated, latest=latest, active=info.active),
                        "successor": meta.doc.statbank.get("successor")})
        return out

    def check(self, meta, *, live: bool = False, http=None) -> str:
        """The dataset's ``[statbank]`` mapping against each table's tableinfo (cached, or
        fetched with ``live``): one line, or the mismatch at its line in dataset.toml."""
        from .mapping_check import check

        return check(meta, live=live, http=http)

    def fetch(self, meta, *, lang: str, data_dir, offline: bool = False, refresh: bool = False,
              quiet: bool = True, http=None, base: str | None = None, where: dict | None = None,
              since: str | None = None, until: str | None = None):
        """The dataset's live rows; ``where``/``since``/``until`` go into the request as codes."""
        from .indicators import fetch_indicator

        return fetch_indicator(meta, lang=lang, data_dir=data_dir, offline=offline, refresh=refresh,
                               quiet=quiet, http=http, base=base, where=where, since=since, until=until)

    def fetch_arrow(self, meta, **options):
        """:meth:`fetch` as a pyarrow table: without polars (``show --live``)."""
        from .indicators import fetch_indicator_arrow

        return fetch_indicator_arrow(meta, **options)
