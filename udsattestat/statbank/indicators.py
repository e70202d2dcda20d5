"""Any dataset with a ``[statbank]`` mapping, fetched live into the dataset's tidy schema.

Nothing here knows an indicator: the mapping (:mod:`.mapping`) says which tables, which
variable is which dimension, which codes are kept and what each content code's unit is;
hooks (:mod:`.hooks`) handle what a description cannot. Per table: tableinfo → resolve the
mapping → plan → data (or the snapshot) → tidy → recode and relabel → the dataset's schema.
Several tables (e.g. a count table and a percent table) are stacked into one frame.

Labels: the dataset's own (both languages) for codes it declares; tableinfo's, in the
language the tables are read in, for the others (e.g. all 98 municipalities). Every label
used travels in the provenance (``extra["labels"]``), so presentation never reads
``datasets/``.
"""

from __future__ import annotations

from pathlib import Path

from ..languages import LANGS
from .body import check_header
from .fetch import Session, context_for, get_data, get_tableinfo, plan_for, provenance_for
from .mapping import Mapping, resolve
from .resolved import Resolved
from .tidy import read_tidy


def fetch_indicator(meta, *, lang: str, data_dir: Path, offline: bool = False, refresh: bool = False,
                    quiet: bool = True, http=None, base: str | None = None):
    """(frame, provenance) of a dataset's live StatBank tables, in the dataset's schema."""
    import polars as pl

    from ..schema import polars_schema

    mapping = Mapping.parse(meta.doc.statbank)
    read_lang = mapping.language or lang
    session = Session.open(Path(data_dir), offline=offline, refresh=refresh, http=http, base=base)
    declared = {d: list(meta.doc.codes(d)) for d in meta.dims}
    declared["geo"] = list(meta.doc.geo)
    frames, provs, records = [], [], []
    for table, table_unit in mapping.tables.items():
        info, info_snap = get_tableinfo(session, table, read_lang)
        res = resolve(mapping, info, indicator=meta.id, declared=declared, table_unit=table_unit)
        plan = plan_for(session, info, res.selection, lang=read_lang)
        from ..net.progress import download_progress

        with download_progress(info.id, quiet=quiet) as (on_bytes, _):
            snap, plan, _reused = get_data(session, info, plan, progress=on_bytes, info_snap=info_snap)
        header = check_header(snap.path, plan.header)
        ctx = context_for(info, plan, indicator=meta.id, column_names=res.columns)
        frames.append(_shape(read_tidy(snap.path, ctx, header), res, meta, lang))
        provs.append(provenance_for(session, info, plan, snap, info_snap, indicator=meta.id))
        records.append(res.record(mapping.hooks))
    schema = polars_schema(meta.dims)
    frame = pl.concat([f.select([pl.col(c).cast(t) for c, t in schema.items()]) for f in frames])
    frame = frame.sort(["period_start", "geo", *meta.dims, "unit", "vintage_date", "vintage"])
    return frame, _provenance(meta, provs, records, frame, lang)


def _shape(raw, res: Resolved, meta, lang: str):
    """The tidied table with our codes, units and labels; helper columns dropped."""
    import polars as pl

    frame = raw
    if "_geo" in frame.columns:  # a geo variable tableinfo does not mark with a map
        frame = frame.drop("geo", "geo_label").rename({"_geo": "geo", "_geo_label": "geo_label"})
    exprs = []
    for dim, recode in res.recodes.items():
        exprs.append(pl.col(dim).replace(recode))
    if res.units:
        exprs.append(pl.col("_unit").replace_strict(res.units, return_dtype=pl.String).alias("unit"))
    else:
        exprs.append(pl.lit(res.unit).alias("unit"))
    frame = frame.with_columns(exprs)
    for dim in ["geo", *meta.dims]:
        known = meta.doc.codes(dim)
        ours = {c: meta.code_label(dim, c, lang) for c in frame[dim].unique().to_list() if c in known}
        if ours:
            frame = frame.with_columns(pl.col(dim).replace_strict(ours, default=pl.col(f"{dim}_label"))
                                       .alias(f"{dim}_label"))
    helpers = [c for c in frame.columns if c.startswith("_")]
    return frame.drop(helpers)


def _provenance(meta, provs, records, frame, lang: str):
    first = provs[0]
    for other in provs[1:]:
        first.citations.update(other.citations)
        first.vintages.update(other.vintages)
        first.raw_sha256.update(other.raw_sha256)
    tables = ", ".join(r["table"] for r in records)
    fixed = "; ".join(f"{r['table']} {v}={f['code']} ({f['label']})" for r in records for v, f in r["fixed"].items())
    updated = ", ".join(f"{p.extra['statbank']['table']} {p.extra['statbank']['updated']}" for p in provs)
    live = {
        "da": f"Hentet live fra statistikbanken {tables} (opdateret {updated})" + (f"; {fixed}." if fixed else "."),
        "en": f"Fetched live from StatBank {tables} (updated {updated})" + (f"; {fixed}." if fixed else "."),
    }
    r = meta.doc
    first.title = meta.title
    first.unit = r.unit
    if len(provs) > 1:
        first.publication = "; ".join(p.publication for p in provs)
    first.definition = dict(r.definition)
    first.caveats = {k: [*r.caveats.get(k, []), live[k]] for k in LANGS}
    first.query = {"tables": [p.query for p in provs]} if len(provs) > 1 else first.query
    first.extra.update({
        "statbank_mapping": records[0] if len(records) == 1 else records,
        "statbank_tables": [p.extra["statbank"] for p in provs],
        **meta.presentation(frame, lang),
    })
    return first
