"""``udsattestat update``: fetch only the live tables that changed since the last build.

The last build's ``manifest.json`` records, for every indicator read live, the release it
used (its live vintage: StatBank's ``updated`` stamp, or Eurostat's ``updated`` date in the
vintage id). ``update`` asks each source for the release it has now — StatBank's tableinfo
(small, always asked), Eurostat's latest period (one small JSON-stat request) — and only a
table whose release differs is fetched again; the others are replayed from their snapshot.
Then the recipe is rebuilt (incrementally: only what uses a changed table is redrawn) and
the difference against the previous build is what the command prints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import MANIFEST


@dataclass
class Check:
    indicator: str
    source: str  # "statbank:IFOR51"
    #: live vintage(s) the last build used (empty: no live build yet)
    last: list[str]
    #: the release the source has now
    now: str
    #: per table that has stopped being updated, a line saying so (see udsattestat.stopped)
    stopped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.now not in self.last

    def line(self) -> str:
        last = ", ".join(self.last) or "no live build yet"
        verdict = "changed: would fetch" if self.changed else "unchanged: replay the snapshot"
        line = f"{self.indicator:16} {self.source:24} last build: {last}; source now: {self.now} → {verdict}"
        return "\n  ".join([line, *self.stopped])


def live_indicators(recipe) -> list[str]:
    """The recipe's indicators that have a live source."""
    from .data import RecipeData

    used = {i for f in recipe.figures for i in f.indicators}
    used |= {t.indicator for t in recipe.tables} | {c.indicator for c in recipe.claims if c.indicator}
    return sorted(i for i in used if RecipeData.has_live(i))


def last_live_vintages(out_dir: Path) -> dict[str, list[str]]:
    """indicator -> the live vintages the build in ``out_dir`` used ({} if none or not live)."""
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
        inputs = manifest.get("inputs", {})
        return {ind: list(entry["live"].get("vintages", [])) for ind, entry in inputs.items()
                if isinstance(entry, dict) and isinstance(entry.get("live"), dict)}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        return {}


def release_now(meta, *, lang: str, http=None) -> tuple[str, str]:
    """(source label, release id) the indicator's live source has now, asked with one small request."""
    from ..providers import provider

    return provider(meta.provider).release(meta, lang=lang, http=http)


def stopped_lines(meta) -> list[str]:
    """A line per table of ``meta`` that has stopped being updated, read from the metadata
    :func:`release_now` has just fetched (no second request)."""
    from ..errors import OfflineError
    from ..providers import provider
    from ..stopped import status_line

    source = provider(meta.provider)
    try:
        found = source.status(meta, offline=True)
    except OfflineError:  # release_now read it in another language: ask once more
        found = source.status(meta)
    return [f"  ↳ {status_line(s, 'en')}" for s in found if s["stopped"]]


def check(recipe, out_dir: Path, *, lang: str) -> list[Check]:
    """For each live indicator of ``recipe``: the release last built and the release now."""
    from ..bundle import dataset_folder, read_meta

    last = last_live_vintages(out_dir)
    out = []
    for ind in live_indicators(recipe):
        meta = read_meta(dataset_folder(ind))
        source, now = release_now(meta, lang=lang)
        out.append(Check(ind, source, sorted(last.get(ind, [])), now, stopped_lines(meta)))
    return out
