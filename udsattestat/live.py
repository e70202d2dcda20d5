"""Live data for a dataset: its provider's table(s), plus the bundled vintages.

A dataset is live when its ``dataset.toml`` has a ``[statbank]`` or ``[eurostat]`` mapping;
the provider (:func:`udsattestat.providers.provider`) turns the live table into the same
tidy schema as the bundle. :func:`load_live` is *the* live view, used by ``fetch --live``,
``build --live`` and ``load(live=True)`` alike: every bundled vintage (each with its own
source) plus the live rows (vintage = the live table's release). "latest" is then the live
value, while "as of a date" still finds the releases that were public then — live data
never erase the published vintages a claim is checked against.
"""

from __future__ import annotations

from .errors import UdsatError
from .provenance import combine_provenance


def fetch_live(meta, *, lang: str, data_dir, offline: bool = False, refresh: bool = False, quiet: bool = True,
               where: dict | None = None, since: str | None = None, until: str | None = None):
    """(frame, provenance) of the live rows only: with ``where`` (dimension → codes), ``since``
    and ``until``, only what a view selects is asked of the provider (as codes)."""
    return _provider_of(meta).fetch(meta, lang=lang, data_dir=data_dir, offline=offline, refresh=refresh,
                                    quiet=quiet, where=where, since=since, until=until)


def _provider_of(meta):
    from .providers import provider

    name = meta.provider
    if not name:
        raise UdsatError(
            f"{meta.id!r} has no live source; its values are transcribed from publications "
            "(drop --live to use the bundled data)"
        )
    return provider(name)


def load_live(meta, bundled, *, lang: str, data_dir, offline: bool = False, refresh: bool = False,
              quiet: bool = True, where: dict | None = None, since: str | None = None, until: str | None = None):
    """(frame, provenance): ``bundled`` = (frame, provenance) of every bundled vintage, plus the
    live rows (only those ``where``/``since``/``until`` select, when given)."""
    import polars as pl

    from .vintages import observation_key

    live, lprov = fetch_live(meta, lang=lang, data_dir=data_dir, offline=offline, refresh=refresh, quiet=quiet,
                             where=where, since=since, until=until)
    bframe, bprov = bundled
    if bframe.is_empty():
        return live, lprov
    # diagonal: columns only the live table has (Eurostat's ``flags``) stay, null for bundled rows
    frame = pl.concat([bframe, live.cast({c: t for c, t in bframe.schema.items() if c in live.columns})],
                      how="diagonal_relaxed")
    # a stable order whatever the fetch order, so rebuilds stay byte-identical
    frame = frame.sort(["period_start", *observation_key(frame.columns), "vintage_date", "vintage"],
                       nulls_last=False, maintain_order=True)
    return frame, combine_provenance(bprov, lprov)


def live_rows(meta, bundled: list[dict], bprov, *, lang: str, data_dir, offline: bool = False,
              refresh: bool = False, quiet: bool = True, where: dict | None = None, since: str | None = None,
              until: str | None = None):
    """(rows, provenance): :func:`load_live` as plain dicts, for ``show --live``.

    ``bundled`` = the bundled tidy rows (:func:`udsattestat.bundle.tidy_rows`) and their
    provenance. The rows and their order are those of ``load_live(...)[0].to_dicts()``, built
    without polars (a third of a ``show --live`` run is importing it): the live table comes
    as pyarrow (:meth:`~udsattestat.providers.Provider.fetch_arrow`) and is merged here.
    """
    from .vintages import observation_key

    table, lprov = _provider_of(meta).fetch_arrow(meta, lang=lang, data_dir=data_dir, offline=offline,
                                                  refresh=refresh, quiet=quiet, where=where, since=since,
                                                  until=until)
    live = table.to_pylist()
    if not bundled:
        return live, lprov
    # as load_live's diagonal concat: the bundled columns, then those only the live table has
    columns = list(dict.fromkeys([*bundled[0], *table.column_names]))
    rows = [{c: r.get(c) for c in columns} for r in [*bundled, *live]]
    # as load_live's sort: stable, nulls first
    keys = ["period_start", *observation_key(columns), "vintage_date", "vintage"]
    rows.sort(key=lambda r: tuple((r[k] is not None, r[k]) for k in keys))
    return rows, combine_provenance(bprov, lprov)
