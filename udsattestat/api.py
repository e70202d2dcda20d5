"""The Python API for notebooks and scripts.

    >>> import udsattestat
    >>> df = udsattestat.load("homelessness")            # latest vintage, Danish labels
    >>> recent = df.filter(df["period"] >= "2019").to_pandas()
    >>> udsattestat.provenance(recent).source_line("en")     # rebuilt from the rows
    >>> udsattestat.write_parquet(recent, "recent.parquet")   # with its provenance
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .catalog import check_indicator, entries
from .errors import LiveOnlyError, SelectionError
from .languages import check_lang

if TYPE_CHECKING:  # names for the signatures only: `import udsattestat` starts every CLI run
    from datetime import date
    from pathlib import Path

# The functions import the data modules (and through them polars, pyarrow, tomllib) inside
# themselves: `import udsattestat` runs at every CLI start.


def check_bundled(meta) -> None:
    """Refuse a live-only dataset without ``live``: it has nothing citable bundled."""
    if meta.doc.live_only:
        raise LiveOnlyError(meta.id, meta.live)


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
    where: dict[str, list[str]] | None = None,
    since: str | None = None,
    until: str | None = None,
):
    """(frame, provenance) of one indicator: bundled by default; with ``live=True`` the
    bundled vintages plus the live table (:func:`udsattestat.live.load_live`).

    With ``live=True``, ``where`` (dimension → codes), ``since`` and ``until`` say what will be
    shown: only that is asked of the live source, as codes (the frame is not filtered here;
    apply the same selection to it, as the commands do)."""
    from . import vintages
    from .bundle import load_bundled
    from .store import data_dir as resolve_data_dir

    indicator = check_indicator(indicator)
    check_lang(lang)
    if isinstance(as_of, str):
        from datetime import date  # not at import: `import udsattestat` starts every CLI run

        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            raise SelectionError(f"as_of {as_of!r} is not a date; use YYYY-MM-DD") from None
    frame, prov, meta = load_bundled(indicator, lang)
    if live:
        from .frames import remember
        from .live import load_live

        frame, prov = load_live(meta, (frame, prov), lang=lang, data_dir=resolve_data_dir(data_dir),
                                offline=offline, refresh=refresh, quiet=quiet, where=where, since=since, until=until)
        remember(prov)  # so provenance() of a frame derived from these rows finds the fetch
    else:
        check_bundled(meta)
    known = {k: v["known_by"] for k, v in prov.vintages.items() if v.get("known_by")}
    return vintages.select(frame, vintage, as_of, known), prov


def load(
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
    """A tidy polars DataFrame of one indicator (``udsattestat.catalog()`` lists them).

    - ``lang``: ``"da"`` or ``"en"``, the language of the label columns.
    - ``vintage``: ``"latest"`` (each period's newest release), ``"all"`` (every release, one
      row each) or a release id (``"vive-2019"``).
    - ``as_of``: a date (``"2021-11-30"``): only the releases certainly public then.
    - ``live``: add the producer's live table (StatBank, Eurostat) to the bundled releases;
      ``data_dir`` keeps its raw snapshots, ``offline`` uses only those, ``refresh`` asks
      again, ``quiet=False`` shows progress on standard error.

    Its provenance is reachable with :func:`provenance`, also from any frame derived from it;
    ``.to_pandas()`` gives pandas. Raises :class:`~udsattestat.errors.UnknownIndicatorError`
    or :class:`~udsattestat.errors.SelectionError` naming what is valid.
    """
    return load_with_provenance(indicator, lang=lang, vintage=vintage, as_of=as_of, live=live, data_dir=data_dir,
                                offline=offline, refresh=refresh, quiet=quiet)[0].clone()


def provenance(frame_or_indicator):
    """The :class:`~udsattestat.provenance.Provenance` of an indicator id, or of a frame.

    A frame's provenance is rebuilt from its rows' ``indicator``, ``source`` and ``vintage``
    columns, so it works for any polars or pandas frame derived from :func:`load` (filtered,
    selected, joined, grouped by those columns, converted with ``to_pandas()``) and names only
    the publications and releases the rows use. A frame that dropped one of those columns
    raises :class:`~udsattestat.errors.ProvenanceColumnsError` naming it.
    """
    from .frames import rebuild

    if isinstance(frame_or_indicator, str):
        return load_with_provenance(frame_or_indicator)[1]
    return rebuild(frame_or_indicator)


def write_parquet(frame, path: str | Path) -> Path:
    """Write a polars or pandas frame derived from :func:`load` to Parquet, its provenance inside.

    Atomic (an existing file stays until the new one is complete); read it back with
    :func:`read_parquet` or any Parquet reader (the provenance is the file's ``udsattestat``
    metadata).
    """
    from . import store

    return store.write_parquet(frame, provenance(frame), path)


def read_parquet(path: str | Path):
    """A polars frame from a Parquet file udsattestat wrote; its provenance stays reachable."""
    from . import store
    from .frames import remember

    frame, prov = store.read_parquet(path)
    remember(prov)
    return frame


def catalog():
    """The catalogue as a list of entries (id, title, unit, producer, live)."""
    return entries()


def info(indicator: str):
    """The metadata of one indicator as a dict (titles, definition, sources, vintages, caveats)."""
    from .bundle import dataset_folder, read_meta
    from .toml_schema import given

    # the dataset.toml as written, as plain data (the typed form is read_meta(...).doc)
    return given(read_meta(dataset_folder(check_indicator(indicator))).doc)
