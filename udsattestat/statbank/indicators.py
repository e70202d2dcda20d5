"""Any dataset with a ``[statbank]`` mapping, fetched live into the dataset's tidy schema.

Nothing here knows an indicator: the mapping (:mod:`.mapping`) says which tables, which
variable is which dimension, which codes are kept and what each content code's unit is;
hooks (:mod:`.hooks`) handle what a description cannot. Per table: tableinfo → resolve the
mapping → narrow it to what the view asks (``--where``, period bounds, a recipe's
selections: :func:`~.mapping.narrow`) → plan → data (or the snapshot) → tidy → recode and
relabel → the dataset's schema. Several tables (e.g. a count table and a percent table) are
stacked into one frame; a table with nothing asked of it is not fetched.

Codes are fetched once, whatever the language shown: the data request is always made in the
mapping's ``language`` (default Danish), so its snapshot is keyed by the query alone and
``--lang en`` replays what ``--lang da`` fetched. Labels come from tableinfo, which is
fetched in both languages (it is small): the dataset's own labels for codes it declares,
tableinfo's for the others (e.g. all 98 municipalities), both languages travelling in the
provenance (``extra["dimensions"]``), so presentation never reads ``datasets/``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import OfflineError
from ..languages import LANGS
from .body import check_header
from .fetch import Session, context_for, get_data, get_tableinfo, plan_for, provenance_for
from .mapping import Mapping, TableShapeError, narrow, resolve
from .mapping_check import framed, remember
from .resolved import Resolved
from .tidy import read_tidy


def fetch_indicator(meta, *, lang: str, data_dir: Path, offline: bool = False, refresh: bool = False,
                    quiet: bool = True, http=None, base: str | None = None, where: dict | None = None,
                    since: str | None = None, until: str | None = None):
    """(polars frame, provenance) of a dataset's live StatBank tables, in the dataset's schema.

    ``where`` (dimension → codes), ``since`` and ``until`` narrow the request to what is shown.
    """
    import polars as pl

    from ..schema import polars_schema

    table, prov = fetch_indicator_arrow(meta, lang=lang, data_dir=data_dir, offline=offline, refresh=refresh,
                                        quiet=quiet, http=http, base=base, where=where, since=since, until=until)
    # text as categories first: polars then builds its strings from the few distinct values and
    # keeps no reference to the table's text buffers (a whole FOLK1A held both: 0.6 GB more)
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.Table.from_arrays([pc.dictionary_encode(c) if pa.types.is_string(c.type) else c for c in table.columns],
                                 names=table.column_names)
    return pl.from_arrow(table).select([pl.col(c).cast(t) for c, t in polars_schema(meta.dims).items()]), prov


def fetch_indicator_arrow(meta, *, lang: str, data_dir: Path, offline: bool = False, refresh: bool = False,
                          quiet: bool = True, http=None, base: str | None = None, where: dict | None = None,
                          since: str | None = None, until: str | None = None):
    """(pyarrow table, provenance): :func:`fetch_indicator` without polars, for ``show --live``
    (importing polars would be a third of its run)."""
    import pyarrow as pa

    from .columns import sorted_by

    mapping = Mapping.parse(meta.doc.statbank)
    data_lang = mapping.language or "da"
    session = Session.open(Path(data_dir), offline=offline, refresh=refresh, http=http, base=base)
    declared = {d: list(meta.doc.codes(d)) for d in meta.dims}
    declared["geo"] = list(meta.doc.geo)
    frames, provs, records, labels, matched = [], [], [], {}, []
    for table, table_unit in mapping.tables.items():
        info, info_snap = get_tableinfo(session, table, data_lang)
        try:
            res = resolve(mapping, info, indicator=meta.id, declared=declared, table_unit=table_unit)
        except TableShapeError as exc:  # the table's change, or the mapping's mistake: say which
            raise framed(exc, meta, info, session.store.root) from None
        matched.append(info)
        if not narrow(res, where or {}, since=since, until=until, indicator=meta.id):
            continue
        from concurrent.futures import ThreadPoolExecutor

        from ..net.progress import download_progress

        # The other language's tableinfo is asked while the data download, not after it: one
        # round trip less to wait for (the labels are needed only once the data are read).
        with ThreadPoolExecutor(1, thread_name_prefix="tableinfo") as pool:
            pending = pool.submit(_labels_by_language, session, table, info, data_lang, need=lang)
            try:
                plan = plan_for(session, info, res.selection, lang=data_lang)
                with download_progress(info.id, quiet=quiet) as (on_bytes, _):
                    snap, plan = _data(session, info, plan, on_bytes, info_snap)
            except BaseException:
                pending.result()  # its error first, as when it was asked before the data
                raise
            texts = pending.result()
        header = check_header(snap.path, plan.header)
        ctx = context_for(info, plan, indicator=meta.id, column_names=res.columns)
        frame = _shape(read_tidy(snap.path, ctx, header), res, meta, lang, texts)
        frames.append(frame)
        provs.append(provenance_for(session, info, plan, snap, info_snap, indicator=meta.id))
        for var_id, held in res.fixed.items():  # what a variable was held at, in both languages
            held["labels"] = {lg: texts[lg][var_id][held["code"]] for lg in LANGS
                              if held["code"] in texts.get(lg, {}).get(var_id, {})}
        records.append(res.record(mapping))
        _collect_labels(labels, frame, res, meta, texts)
    remember(session.store.root, meta, matched)
    if not frames:
        from ..errors import SelectionError

        raise SelectionError(f"{meta.id!r}: none of its StatBank tables ({', '.join(mapping.tables)}) has "
                             "what --where/--since/--until ask for")
    columns = _schema_columns(meta.dims)
    frame = pa.concat_tables([f.select(columns) for f in frames])
    frame = sorted_by(frame, ["period_start", "geo", *meta.dims, "unit", "vintage_date", "vintage"])
    return frame, _provenance(meta, provs, records, frame, lang, labels)


def _schema_columns(dims: list[str]) -> list[str]:
    """The tidy schema's columns for ``dims``, in order."""
    from ..schema import LEADING, TRAILING

    return [*LEADING, *(c for d in dims for c in (d, f"{d}_label")), *TRAILING]


def _data(session: Session, info, plan, progress, info_snap):
    """The data snapshot of ``plan``; offline, any snapshot that covers it (the view filters the
    rest), or an error naming what no snapshot has."""
    try:
        snap, plan, _reused = get_data(session, info, plan, progress=progress, info_snap=info_snap)
    except OfflineError:
        from .replay import covering, explain_miss

        snapshots = session.store.newest_of_each(info.id)
        found = covering(snapshots, info, plan)
        if found is None:
            raise explain_miss(snapshots, info, plan, str(session.store.root)) from None
        snap, plan = found
    return snap, plan


def _labels_by_language(session: Session, table: str, info, data_lang: str, *, need: str) -> dict:
    """``{lang: {variable id: {code: label}}}`` from tableinfo in both languages.

    The language shown (``need``) is required; the other is fetched too so both travel in the
    provenance, but offline a missing one is only left out (an older snapshot set).
    """
    out = {data_lang: {v.id: v.labels() for v in info.variables}}
    for other in LANGS:
        if other == data_lang:
            continue
        try:
            other_info, _ = get_tableinfo(session, table, other)
        except OfflineError:
            if other == need:
                raise
            continue
        out[other] = {v.id: v.labels() for v in other_info.variables}
    return out


def _shape(raw, res: Resolved, meta, lang: str, texts: dict):
    """The tidied table (pyarrow) with our codes, units and labels (in ``lang``); helper columns dropped."""
    from .columns import constant, replaced

    frame = raw
    if "_geo" in frame.column_names:  # a geo variable tableinfo does not mark with a map
        frame = frame.drop_columns(["geo", "geo_label"])
        frame = frame.rename_columns([{"_geo": "geo", "_geo_label": "geo_label"}.get(c, c) for c in frame.column_names])
    shown = texts.get(lang, {})
    cols = {}
    for var_id, column in res.columns.items():
        dim = "geo" if column == "_geo" else column
        if dim.startswith("_") or var_id not in shown:
            continue
        # the label in the language shown, by their code (before it is recoded to ours)
        cols[f"{dim}_label"] = replaced(frame[dim], shown[var_id], default=frame[f"{dim}_label"])
    frame = _with(frame, cols)
    cols = {dim: replaced(frame[dim], recode) for dim, recode in res.recodes.items()}
    if res.units:
        cols["unit"] = _units(frame["_unit"], res.units)
    else:
        cols["unit"] = constant(res.unit, frame.num_rows)
    frame = _with(frame, cols)
    import pyarrow.compute as pc

    for dim in ["geo", *meta.dims]:
        known = meta.doc.codes(dim)
        ours = {c: meta.code_label(dim, c, lang) for c in pc.unique(frame[dim]).to_pylist() if c in known}
        if ours:
            frame = _with(frame, {f"{dim}_label": replaced(frame[dim], ours, default=frame[f"{dim}_label"])})
    return frame.drop_columns([c for c in frame.column_names if c.startswith("_")])


def _with(frame, cols: dict):
    """``frame`` with ``cols`` set: replacing the column of that name, or added at the end."""
    for name, col in cols.items():
        if name in frame.column_names:
            frame = frame.set_column(frame.column_names.index(name), name, col)
        else:
            frame = frame.append_column(name, col)
    return frame


def _units(codes, units: dict[str, str]):
    """Our unit of each content code; every code kept has one (:func:`.mapping.resolve`)."""
    import pyarrow.compute as pc

    from .columns import replaced

    out = replaced(codes, units)
    unknown = set(pc.unique(codes).to_pylist()) - set(units)  # the mapping keeps only codes it gives a unit
    if unknown:
        raise ValueError(f"content codes without a unit in the mapping: {sorted(unknown)}")
    return out


def _collect_labels(labels: dict, frame, res: Resolved, meta, texts: dict) -> None:
    """Both languages of every code shown that the dataset does not declare (tableinfo's)."""
    import pyarrow.compute as pc

    for var_id, column in res.columns.items():
        dim = "geo" if column == "_geo" else column
        if dim.startswith("_"):
            continue
        known = meta.doc.codes(dim)
        back = {ours: theirs for theirs, ours in res.recodes.get(dim, {}).items()}
        for code in pc.unique(frame[dim]).to_pylist():
            if code in known:
                continue
            theirs = back.get(code, code)
            entry = {lg: texts[lg][var_id][theirs] for lg in LANGS if theirs in texts.get(lg, {}).get(var_id, {})}
            if entry:
                labels.setdefault(dim, {})[code] = entry


def _provenance(meta, provs, records, frame, lang: str, labels: dict):
    first = provs[0]
    for other in provs[1:]:
        first.citations.update(other.citations)
        first.vintages.update(other.vintages)
        first.raw_sha256.update(other.raw_sha256)
    tables = ", ".join(r["table"] for r in records)
    updated = ", ".join(f"{p.extra['statbank']['table']} {p.extra['statbank']['updated']}" for p in provs)

    def held(lg: str) -> str:
        text = "; ".join(f"{r['table']} {v}={f['code']} ({f.get('labels', {}).get(lg, f['label'])})"
                         for r in records for v, f in r["fixed"].items())
        return f"; {text}." if text else "."

    live = {
        "da": f"Hentet live fra statistikbanken {tables} (opdateret {updated})" + held("da"),
        "en": f"Fetched live from StatBank {tables} (updated {updated})" + held("en"),
    }
    r = meta.doc
    first.title = meta.title
    first.unit = r.unit
    if len(provs) > 1:
        first.publication = "; ".join(p.publication for p in provs)
    first.definition = dict(r.definition)
    first.caveats = {k: [*r.caveats.get(k, []), live[k]] for k in LANGS}
    first.query = {"tables": [p.query for p in provs]} if len(provs) > 1 else first.query
    presentation = meta.presentation(frame, lang)
    for dim, codes in labels.items():  # tableinfo's labels in both languages, not one
        entries = presentation["dimensions"][dim]["codes"]
        for code, both in codes.items():
            entries[code] = dict(both)
    first.extra.update({
        "statbank_mapping": records[0] if len(records) == 1 else records,
        "statbank_tables": [p.extra["statbank"] for p in provs],
        **presentation,
    })
    return first
