"""``udsattestat eurostat``: any Eurostat dataset, by code, with flags and provenance kept."""

from __future__ import annotations

import click

from ..errors import OutputError, SelectionError
from ..jsondocs import dumps
from .options import (
    data_dir_option,
    json_option,
    offline_option,
    out_option,
    partition_option,
    quiet_option,
    refresh_option,
    since_option,
    timeout_option,
)

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.

filter_option = click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="DIM=CODE,…",
    help="Ask only for these codes of a dimension (e.g. geo=DK,SE); repeatable.",
)
SHOWN_CODES = 15


def _session(data_dir, offline, refresh):
    from ..eurostat.fetch import Session
    from ..store import data_dir as resolve

    # snapshots go to the cache (udsattestat cache list): nothing is created in the current directory
    return Session.open(resolve(data_dir, create=False), offline=offline, refresh=refresh)


@click.group("eurostat")
def eurostat_group():
    """Search, describe and fetch any Eurostat dataset (JSON-stat from the dissemination API).

    The base URL comes from $UDSATTESTAT_EUROSTAT_URL (default
    https://ec.europa.eu/eurostat/api/dissemination). Raw answers are kept as snapshots
    in the cache (udsattestat cache list); --offline replays them.

    Example:


    \b
        udsattestat eurostat search poverty rate
        udsattestat eurostat info ilc_li02 --filter geo=DK
        udsattestat eurostat fetch ilc_li02 --filter unit=PC --filter sex=T --filter age=TOTAL --since 2015 --out ilc_li02.parquet
    """


@eurostat_group.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1), default=30, show_default=True, help="Show at most this many.")
@json_option("the matches")
@data_dir_option
@offline_option
@refresh_option
@timeout_option
def search_cmd(words, limit, as_json, data_dir, offline, refresh):
    """Find datasets whose code or title contains every one of WORDS (any case).

    Searches Eurostat's table of contents (kept as a snapshot for a day).

    Example:


    \b
        udsattestat eurostat search "at-risk-of-poverty"
        udsattestat eurostat search causes death --json
    """
    from ..providers import provider
    from ..store import data_dir as resolve

    text = " ".join(words)
    hits = provider("eurostat").search(text, data_dir=resolve(data_dir, create=False), offline=offline, refresh=refresh)
    rows = [{k: h[k] for k in ("code", "title", "type", "updated", "data_start", "data_end")} for h in hits[:limit]]
    if as_json:
        click.echo(dumps("eurostat-search", {"datasets": rows}), nl=False)
        return
    if not rows:
        click.echo(f"No Eurostat dataset matches {text!r}; try fewer or other (English) words.")
        return
    for r in rows:
        click.echo(f"{r['code']:<16} {r['title']}  [{r['data_start']}–{r['data_end']}; updated {r['updated']}]")
    more = f" (of {len(hits)}; raise --limit to see more)" if len(hits) > limit else ""
    click.echo(f"{len(rows)} dataset(s){more}. Next: udsattestat eurostat info {rows[0]['code']}")


@eurostat_group.command("info")
@click.argument("dataset")
@filter_option
@click.option("--all-codes", is_flag=True, help=f"List every code (default: the first {SHOWN_CODES} of each dimension).")
@json_option("dimensions and codes")
@data_dir_option
@offline_option
@refresh_option
@timeout_option
def info_cmd(dataset, filters, all_codes, as_json, data_dir, offline, refresh):
    """Show a dataset's dimensions in order, with codes and labels, and its flags.

    Reads the latest period only (with any --filter), so even large datasets answer fast;
    if Eurostat says the extraction is too big, add a --filter.

    Example:


    \b
        udsattestat eurostat info hlth_cd_aro --filter geo=DK
    """
    import polars as pl

    from ..eurostat.client import parse_filters
    from ..eurostat.flags import flag_tokens
    from ..providers import provider
    from ..store import data_dir as resolve

    cube, snap = provider("eurostat").info(dataset, data_dir=resolve(data_dir, create=False),
                                           filters=parse_filters(filters), offline=offline, refresh=refresh)
    flags = sorted({t for f in cube.observations["flags"].cast(pl.String).drop_nulls().unique().to_list()
                    for t in flag_tokens(f)})
    meanings = cube.flag_labels()
    if as_json:
        click.echo(dumps("eurostat-info", {
            "dataset": dataset, "label": cube.label, "updated": cube.updated, "extracted": snap.retrieved,
            "dimensions": [{"id": d.id, "label": d.label, "codes": dict(zip(d.codes, d.labels, strict=True))}
                           for d in cube.dimensions],
            "flags": {f: meanings.get(f, "") for f in flags},
        }), nl=False)
        return
    out = [f"{dataset}: {cube.label}", f"Updated:   {cube.updated or 'not stated'}",
           f"Extracted: {snap.retrieved}", f"Values:    {cube.observations.height} in the latest period (with any --filter)", "",
           "Dimensions (in storage order; filter with --filter DIM=CODE,…):"]
    for d in cube.dimensions:
        out.append(f"  {d.id} ({d.label}), {len(d.codes)} code(s):")
        shown = d.codes if all_codes else d.codes[:SHOWN_CODES]
        out += [f"    {c:<14} {lab}" for c, lab in zip(shown, d.labels, strict=False)]
        if len(shown) < len(d.codes):
            out.append(f"    … {len(d.codes) - len(shown)} more (--all-codes)")
    if flags:
        out += ["", "Flags in the latest period:"] + [f"  {f}  {meanings.get(f, 'unknown flag')}" for f in flags]
    out += ["", f"Next: udsattestat eurostat fetch {dataset} --filter DIM=CODE --since YEAR --out {dataset}.parquet"]
    click.echo("\n".join(out))


@eurostat_group.command("fetch")
@click.argument("dataset")
@filter_option
@since_option
@out_option("Output .parquet file (a folder with --partition-by).", either=True)
@partition_option
@data_dir_option
@offline_option
@refresh_option
@quiet_option
@timeout_option
def fetch_cmd(dataset, filters, since, out, partition_by, data_dir, offline, refresh, quiet):
    """Fetch a dataset as a tidy Parquet file, every flag kept, provenance in the file.

    Eurostat's flags become the status column (c → suppressed with no value, u/n → low
    reliability, b → break, p → provisional, e → estimated); all letters stay in 'flags'.
    The file is replaced atomically; the raw answer is kept in the cache ('udsattestat cache list').

    Example:


    \b
        udsattestat eurostat fetch hlth_cd_aro --filter icd10=TOXICO --filter resid=TOT_RESID --filter unit=NR --filter sex=T --filter age=TOTAL --since 2011 --out toxico.parquet
        udsattestat eurostat fetch hlth_cd_aro --filter icd10=TOXICO --partition-by period --out toxico/
    """
    from ..eurostat.client import parse_filters
    from ..eurostat.fetch import fetch_table
    from ..partitioned import check_dataset_dir, staged
    from ..periods import PeriodError, parse_period
    from ..store import write_parquet

    if partition_by:
        check_dataset_dir(out)  # before the request, not after it
    elif not out.lower().endswith(".parquet"):
        raise OutputError(f"--out {out!r} must end in .parquet (or write a folder with --partition-by period)")
    if since is not None:
        try:
            parse_period(since)
        except PeriodError as exc:
            raise SelectionError(f"--since: {exc}") from None
    # encoded: codes and labels stay dictionary-encoded from the decode to the file's pages
    frame, prov = fetch_table(_session(data_dir, offline, refresh), dataset, parse_filters(filters), since=since,
                              quiet=quiet, encoded=True)
    if frame.is_empty():
        raise SelectionError(f"Eurostat returned no values for {dataset} with this selection; loosen --filter/--since")
    with staged(out, partition_by) as single:
        # Statistics only where readers filter (the dates), as for a StatBank table: min/max
        # of every code and label column cost a third of the write and serve no filter.
        path = write_parquet(frame, prov, single, plain_text=True, write_statistics=["period_start", "period_end"])
    path = out if partition_by else path
    if not quiet:
        flagged = frame["flags"].is_not_null().sum()
        how = "replayed snapshot" if prov.query.get("replayed") else "fetched"
        click.echo(f"{path}: {frame.height} rows, {flagged} flagged ({how}; {prov.source_line('en')})")
