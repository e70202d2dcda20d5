"""The Python API for notebooks and scripts.

    >>> import udsattestat
    >>> df = udsattestat.load("homelessness")            # latest vintage, Danish labels
    >>> df.filter(df["period"] == "2019")
    >>> udsattestat.provenance(df).source_line("en")
    >>> udsattestat.load("drug-deaths", vintage="all").to_pandas()
"""

from __future__ import annotations

import weakref
from datetime import date
from pathlib import Path

from .catalog import check_indicator, entries
from .errors import SelectionError

LANGS = ("da", "en")
# Provenance of frames handed out by load(), keyed by object id; entries vanish with the frame.
_PROVENANCE: dict[int, object] = {}


def _remember(frame, prov):
    key = id(frame)
    _PROVENANCE[key] = prov
    weakref.finalize(frame, _PROVENANCE.pop, key, None)
    return frame


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise SelectionError(f"unknown language {lang!r}; use 'da' or 'en'")
    return lang


def load_with_provenance(
    indicator: str,
    *,
    lang: str = "da",
    vintage: str = "latest",
    as_of: date | str | None = None,
    live: bool = False,
    data_dir: str | Path | None = None,
    offline: bool = False,
    refresh: bool = False,
    quiet: bool = True,
):
    """(frame, provenance) of one indicator: bundled by default; with ``live=True`` the
    bundled vintages plus the live table (:func:`udsattestat.live.load_live`)."""
    from . import vintages
    from .bundle import load_bundled
    from .store import data_dir as resolve_data_dir

    indicator = check_indicator(indicator)
    check_lang(lang)
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            raise SelectionError(f"as_of {as_of!r} is not a date; use YYYY-MM-DD") from None
    frame, prov, meta = load_bundled(indicator, lang)
    if live:
        from .live import load_live

        frame, prov = load_live(meta, (frame, prov), lang=lang, data_dir=resolve_data_dir(data_dir),
                                offline=offline, refresh=refresh, quiet=quiet)
    elif meta.raw.get("live_only"):
        raise SelectionError(
            f"{indicator!r} has no bundled values (nothing citable offline); "
            f"fetch it live: udsattestat fetch {indicator} --live"
        )
    known = {k: v["known_by"] for k, v in prov.vintages.items() if v.get("known_by")}
    return vintages.select(frame, vintage, as_of, known), prov


def load(indicator: str, **options):
    """A tidy polars DataFrame of one indicator (see :func:`load_with_provenance`).

    Its provenance is reachable with :func:`provenance`; ``.to_pandas()`` gives pandas.
    """
    frame, prov = load_with_provenance(indicator, **options)
    frame = frame.clone()
    return _remember(frame, prov)


def provenance(frame_or_indicator):
    """The :class:`~udsattestat.provenance.Provenance` of a frame from :func:`load`, or of an id."""
    if isinstance(frame_or_indicator, str):
        return load_with_provenance(frame_or_indicator)[1]
    prov = _PROVENANCE.get(id(frame_or_indicator))
    if prov is None:
        raise SelectionError(
            "no provenance recorded for this frame; call provenance() on the frame load() returned"
        )
    return prov


def catalog():
    """The catalogue as a list of entries (id, title, unit, producer, live)."""
    return entries()


def info(indicator: str):
    """The metadata of one indicator as a dict (titles, definition, sources, vintages, caveats)."""
    from .bundle import datasets_dir, read_meta

    return dict(read_meta(datasets_dir() / check_indicator(indicator)).raw)
