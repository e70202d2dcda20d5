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

    def fetch(self, meta, *, lang: str, data_dir, offline: bool = False, refresh: bool = False,
              quiet: bool = True, http=None, base: str | None = None):
        from .indicators import fetch_indicator

        return fetch_indicator(meta, lang=lang, data_dir=data_dir, offline=offline, refresh=refresh,
                               quiet=quiet, http=http, base=base)
