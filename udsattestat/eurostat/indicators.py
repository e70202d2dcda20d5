"""Live indicators from Eurostat (``[eurostat] table = "TABLE"`` in a dataset.toml).

How a table becomes an indicator is data, not code: the dataset's ``[eurostat]`` table says
which ``filters`` go into the request, which code to keep (``select``) of a dimension the
response may or may not have, which Eurostat dimension is which of ours (``rename``), and
how Eurostat's unit codes read (``units``). Because ``select`` is applied to whatever
dimensions the *response* has, one entry serves both code sets a table has used (ilc_li02:
``rskpovth=B_60`` after its restructuring, ``indic_il=LI_R_MD60`` before); ``select_one_of``
says at least one of them must be there, so a third restructuring fails loudly instead of
mixing thresholds. An optional ``[eurostat.rate]`` divides by a population table.

Labels: the dataset's own (Danish and English) where it knows the code, Eurostat's English
label otherwise (Eurostat publishes no Danish).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .._version import __version__
from ..errors import ProviderError
from ..languages import LANGS
from ..net.http import HttpClient
from ..provenance import Provenance
from .client import LICENCE, LICENCE_TEXTS, PROVIDER, databrowser_url
from .cube import Cube
from .fetch import (
    Session,
    citation,
    extracted,
    flag_caveats,
    get_dataset,
    snapshot_record,
    vintage_entry,
    vintage_of,
)
from .flags import join_flags, status_for
from .tidy import tidy


def _refuse(meta, table: str, message: str) -> ProviderError:
    where = Path(meta.path) / "dataset.toml" if getattr(meta, "path", None) else f"datasets/{meta.id}/dataset.toml"
    return ProviderError(
        f"Eurostat {table} for {meta.id!r}: {message}; the table's structure may have changed — "
        f"check 'udsattestat eurostat info {table}' and [eurostat] in {where}"
    )


def select_cells(meta, table: str, cube: Cube, cfg: dict) -> tuple[Cube, list[str]]:
    """Keep the configured code of each selectable dimension; return the cube and the dimensions to drop."""
    import polars as pl

    # A filter code Eurostat does not have is answered with an empty or another series, not
    # an error: every code asked must be in the answer, and the answer must hold something.
    for dim, codes in cfg.get("filters", {}).items():
        if dim in cube.ids:
            absent = [c for c in codes if c not in cube.dimension(dim).codes]
            if absent:
                raise _refuse(meta, table, f"the filter {dim}={absent[0]} is not in the answer (it has "
                                           f"{', '.join(cube.dimension(dim).codes[:12])}); 'udsattestat dataset check "
                                           "--live' names the nearest code")
    if cube.observations.is_empty():
        raise _refuse(meta, table, f"the answer to the filters {cfg.get('filters', {})} holds no value; a filter code "
                                   "may be wrong ('udsattestat dataset check --live' checks them)")
    one_of = list(cfg.get("select_one_of", []))
    if one_of and not any(d in cube.ids for d in one_of):
        raise _refuse(meta, table, f"the response has none of the dimensions {', '.join(one_of)} "
                                   f"(it has {', '.join(cube.ids)})")
    obs = cube.observations
    for dim, code in cfg.get("select", {}).items():
        if dim not in cube.ids:
            continue  # the other code set's dimension
        codes = cube.dimension(dim).codes
        if code in codes:
            obs = obs.filter(pl.col(dim) == code)
        elif len(codes) > 1 or dim in one_of:
            raise _refuse(meta, table, f"dimension {dim} has no code {code} (it has {', '.join(codes)})")
    rename = cfg.get("rename", {})
    time_dim = cube.role("time", ("time", "TIME_PERIOD"))
    geo_dim = cube.role("geo", ("geo",))
    keep = {time_dim, geo_dim, "unit"} | {d for d in cube.ids if rename.get(d, d) in meta.dims}
    drop = [d for d in cube.ids if d not in keep]
    for dim in drop:
        found = obs[dim].unique().to_list()
        if dim != "freq" and len(found) > 1:
            raise _refuse(meta, table, f"dimension {dim} has several codes ({', '.join(sorted(found))}) "
                                       "that would be mixed in one series; add it to [eurostat] select")
    missing = [d for d in meta.dims if d not in {rename.get(i, i) for i in cube.ids}]
    if missing:
        raise _refuse(meta, table, f"the response lacks dimension(s) {', '.join(missing)}")
    return replace(cube, observations=obs), drop


def _relabel(frame, meta, lang: str):
    """Codes the dataset knows get its own label in ``lang``; others keep Eurostat's."""
    import polars as pl

    def mapping(dim: str) -> dict[str, str]:
        table = meta.doc.codes(dim)
        return {c: meta.code_label(dim, c, lang) for c in frame[dim].unique().drop_nulls().to_list() if c in table}

    exprs = []
    for dim in ["geo", *meta.dims]:
        m = mapping(dim)
        if m:
            exprs.append(pl.col(dim).replace_strict(m, default=pl.col(f"{dim}_label")).alias(f"{dim}_label"))
    return frame.with_columns(exprs) if exprs else frame


def shape(meta, table: str, cube: Cube, cfg: dict, *, vintage: str, vintage_date: str, lang: str):
    """The selected cube as the dataset's tidy frame (its dims, its unit codes, its labels)."""
    import polars as pl

    cube, drop = select_cells(meta, table, cube, cfg)
    frame = tidy(cube, indicator=meta.id, vintage=vintage, vintage_date=vintage_date,
                          source=f"eurostat-{table.lower()}", drop=tuple(drop), unit=meta.doc.unit)
    for src, dst in cfg.get("rename", {}).items():
        if src in frame.columns:
            frame = frame.rename({src: dst, f"{src}_label": f"{dst}_label"})
    units = cfg.get("units", {})
    unknown = sorted(set(frame["unit"].to_list()) - set(units) - set(meta.doc.units))
    if unknown:
        raise _refuse(meta, table, f"unit code(s) {', '.join(unknown)} are not in [eurostat] units")
    frame = frame.with_columns(pl.col("unit").replace(units))
    return _relabel(frame, meta, lang)


def _merge_flags(a: str | None, b: str | None) -> str | None:
    return join_flags(a, b)


def rates(meta, deaths, population, rate: dict, *, population_table: str, table: str):
    """Deaths ÷ population on 1 January × ``per``, matched on geo and year.

    A rate carries the flags of both its inputs (an estimated population makes an estimated
    rate); a withheld count gives a withheld rate. Countries or years without a population
    get no rate rather than a guess.
    """
    import polars as pl

    per = float(rate.get("per", 1_000_000))
    pop = population.select("geo", "period", pl.col("value").alias("_pop"), pl.col("flags").alias("_pop_flags"))
    joined = deaths.join(pop, on=["geo", "period"], how="inner", maintain_order="left")
    values = [
        (v / p * per) if v is not None and p not in (None, 0) else None
        for v, p in zip(joined["value"].to_list(), joined["_pop"].to_list(), strict=True)
    ]
    flags = [_merge_flags(a, b) for a, b in zip(joined["flags"].to_list(), joined["_pop_flags"].to_list(), strict=True)]
    statuses = [status_for(f, v is not None) for f, v in zip(flags, values, strict=True)]
    note = (f"own calculation: deaths ({table}) ÷ population on 1 January ({population_table}) "
            f"× {per:,.0f}")
    notes = [note + (f"; flags {f}" if f else "") for f in flags]
    return joined.with_columns(
        pl.Series("value", values, dtype=pl.Float64),
        pl.Series("flags", flags, dtype=pl.String),
        pl.Series("status", statuses, dtype=pl.String),
        pl.Series("note", notes, dtype=pl.String),
        pl.lit(rate["unit"]).alias("unit"),
        pl.lit("D").alias("confidence"),
        pl.lit("eurostat-rate").alias("source"),
    ).drop("_pop", "_pop_flags")


def asked_filters(meta, cfg: dict, where: dict | None, since: str | None) -> tuple[dict, str | None]:
    """The request's filters and ``sinceTimePeriod``: the mapping's, narrowed to what a view
    shows — ``geo`` and the dataset's own dimensions (renamed back to Eurostat's), when every
    code asked is one the dataset declares (an unknown one is then reported by the view, with
    the valid codes, rather than by Eurostat); a plain year for ``--since``. Units are left
    alone (a rate is computed from another unit)."""
    import re

    filters = {d: list(c) for d, c in (cfg.get("filters") or {}).items()}
    back = {ours: theirs for theirs, ours in cfg.get("rename", {}).items()}
    for dim, codes in (where or {}).items():
        if dim != "geo" and dim not in meta.dims:
            continue
        parts = [p for c in codes for p in c.split("+")]  # a sum asks for its parts
        if not set(parts) <= set(meta.doc.codes(dim)):
            continue
        theirs = back.get(dim, dim)
        filters[theirs] = [c for c in filters[theirs] if c in parts] if theirs in filters else parts
    return filters, since if since and re.fullmatch(r"\d{4}", since) else None


def _dataset(session, table: str, filters: dict, since: str | None, progress):
    """(cube, snapshot, reused); offline, any snapshot of ``table`` that holds the query."""
    from ..errors import OfflineError
    from . import jsonstat

    try:
        return get_dataset(session, table, filters, since=since, progress=progress)
    except OfflineError:
        for snap in session.store.newest_of_each(table.lower()):
            query = snap.record.get("query") or {}
            held, held_since = query.get("filters") or {}, query.get("since")
            if query.get("last") or (held_since and (since is None or str(held_since) > since)):
                continue
            if all(d in filters and set(filters[d]) <= set(codes) for d, codes in held.items()):
                return jsonstat.parse(snap.read_bytes()), snap, True
        raise


def fetch_indicator(meta, *, table: str, lang: str, data_dir: Path, offline: bool = False,
                    refresh: bool = False, quiet: bool = True, http: HttpClient | None = None,
                    base: str | None = None, where: dict | None = None, since: str | None = None):
    """(frame, provenance) of a dataset's live Eurostat table (see :mod:`udsattestat.live`);
    ``where``/``since`` narrow the request to what a view shows (:func:`asked_filters`)."""
    import polars as pl

    from ..schema import polars_schema

    cfg = meta.doc.eurostat or {}
    session = Session.open(data_dir, offline=offline, refresh=refresh, http=http, base=base)
    from ..net.progress import download_progress

    filters, since = asked_filters(meta, cfg, where, since)
    with download_progress(f"Eurostat {table}", quiet=quiet) as (on_bytes, _):
        cube, snap, reused = _dataset(session, table, filters, since, on_bytes)
    vintage, vdate = vintage_of(table, cube, snap)
    frame = shape(meta, table, cube, cfg, vintage=vintage, vintage_date=vdate, lang=lang)
    cite = citation(table, cube, snap)
    citations = {f"eurostat-{table.lower()}": cite}
    snapshots = [snapshot_record(session, snap, reused)]
    raw = {session.relative(snap.path): snap.sha256}
    tables = [table]
    caveats = flag_caveats(frame, cube.flag_labels())
    rate = cfg.get("rate")
    if rate:
        pop_table = rate["population_table"]
        with download_progress(f"Eurostat {pop_table}", quiet=quiet) as (on_bytes, _):
            pop_filters = dict(rate.get("population_filters") or {})
            if "geo" in filters:  # the same countries as the deaths asked for
                pop_filters["geo"] = filters["geo"]
            pop_cube, pop_snap, pop_reused = _dataset(session, pop_table, pop_filters, since, on_bytes)
        pop_cube, drop = select_cells(_PopulationMeta(meta), pop_table, pop_cube, {})
        population = tidy(pop_cube, indicator=pop_table, vintage="", vintage_date=None,
                                   source=pop_table, drop=tuple(drop), unit="")
        frame = pl.concat([frame, rates(meta, frame, population, rate, population_table=pop_table, table=table)
                           .select(frame.columns)])
        tables.append(pop_table)
        citations[f"eurostat-{pop_table.lower()}"] = citation(pop_table, pop_cube, pop_snap)
        date = extracted(snap)
        citations["eurostat-rate"] = {
            "publication": f"Own calculation: deaths ({table}) per {rate.get('per', 1_000_000):,} "
                           f"population on 1 January ({pop_table})",
            "author": "udsattestat",
            "citation": f"Source: Eurostat ({table}, {pop_table}), extracted {date}; own calculation",
            "short": {"da": f"egne beregninger, udtrukket {date}", "en": f"own calculation, extracted {date}"},
            "confidence": "D",
        }
        snapshots.append(snapshot_record(session, pop_snap, pop_reused))
        raw[session.relative(pop_snap.path)] = pop_snap.sha256
    schema = {**polars_schema(meta.dims), "flags": pl.String}
    frame = frame.select([pl.col(c).cast(t) for c, t in schema.items()]).sort(
        ["period_start", "geo", *meta.dims, "unit"], nulls_last=False)
    named = ", ".join(tables)
    prov = Provenance(
        indicator=meta.id,
        title=meta.title,
        unit=meta.doc.unit,
        producer="Eurostat",
        publication=", ".join(citations[f"eurostat-{t.lower()}"]["publication"] for t in tables),
        url=databrowser_url(table),
        licence=LICENCE,
        origin=PROVIDER,
        citations=citations,
        vintages={vintage: vintage_entry(table, vdate, cube.updated)},
        retrieved=snap.retrieved,
        raw_sha256=raw,
        tool_version=__version__,
        query={"provider": PROVIDER, "table": table, "filters": cfg.get("filters", {}),
               "select": cfg.get("select", {}), "population_table": rate.get("population_table") if rate else None,
               "snapshots": snapshots},
        caveats={k: list(meta.doc.caveats.get(k, [])) + caveats[k] for k in LANGS},
        definition=dict(meta.doc.definition),
        credit={"da": f"Eurostat ({named})", "en": f"Eurostat ({named})"},
        # codes the dataset does not name keep Eurostat's labels, which are English only
        extra={**meta.presentation(frame, "en"), "flag_meanings": cube.flag_labels(),
               "texts": {"licence": dict(LICENCE_TEXTS)}},
    )
    return frame, prov


class _PopulationMeta:
    """Stands in for a dataset's metadata when checking the population table: no own dimensions."""

    def __init__(self, meta):
        self.id = meta.id
        self.dims: list[str] = []
