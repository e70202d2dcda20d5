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


def fetch_live(meta, *, lang: str, data_dir, offline: bool = False, refresh: bool = False, quiet: bool = True,
               where: dict | None = None, since: str | None = None, until: str | None = None):
    """(frame, provenance) of the live rows only: with ``where`` (dimension → codes), ``since``
    and ``until``, only what a view selects is asked of the provider (as codes)."""
    from .providers import provider

    name = meta.provider
    if not name:
        raise UdsatError(
            f"{meta.id!r} has no live source; its values are transcribed from publications "
            "(drop --live to use the bundled data)"
        )
    return provider(name).fetch(meta, lang=lang, data_dir=data_dir, offline=offline, refresh=refresh, quiet=quiet,
                                where=where, since=since, until=until)


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


def combine_provenance(bundled, live):
    """One provenance naming both the bundled publications and the live table.

    Citations, vintages and raw checksums are the union (ids do not collide: bundled
    vintages are release ids, the live vintage is the table's ``updated``); the live
    snapshot's request, checksum and retrieval time are kept under ``extra["live"]``.
    The live presentation metadata (labels of codes only the live table has) wins.
    """
    from dataclasses import replace

    snapshot = {
        "origin": live.origin,
        "publication": live.publication,
        "url": live.url,
        "retrieved": live.retrieved,
        "raw_sha256": dict(sorted(live.raw_sha256.items())),
        "query": live.query,
        "vintages": sorted(live.vintages),
    }
    if live.origin in live.extra:  # e.g. extra["statbank"]: table, updated, request ids, snapshot paths
        snapshot[live.origin] = live.extra[live.origin]
    extra = {**bundled.extra, **live.extra, "live": snapshot}
    if "texts" in bundled.extra:  # the producer and licence shown are the dataset's, so are their texts
        extra["texts"] = bundled.extra["texts"]
    extra.pop(live.origin, None)
    return replace(
        bundled,
        origin=f"{bundled.origin}+{live.origin}",
        citations={**bundled.citations, **live.citations},
        vintages={**bundled.vintages, **live.vintages},
        raw_sha256={**bundled.raw_sha256, **live.raw_sha256},
        # the live caveats are the dataset's own plus what the live fetch adds
        caveats=live.caveats or bundled.caveats,
        credit=bundled.credit or live.credit,
        query={"bundle": bundled.query, "live": live.query},
        extra=extra,
    )
