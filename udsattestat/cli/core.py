"""Core commands: list, info, fetch, show, export."""

from __future__ import annotations

import click

from ..api import check_bundled, load_with_provenance
from ..catalog import listing
from ..errors import OutputError
from ..jsondocs import dumps
from .options import (
    data_dir_option,
    indicator_argument,
    json_option,
    lang_option,
    live_metadata_option,
    live_option,
    offline_option,
    out_option,
    quiet_option,
    refresh_option,
    since_option,
    timeout_option,
    until_option,
    vintage_option,
    where_option,
)

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.


@click.command("list")
@json_option("the catalogue")
@lang_option
def list_cmd(as_json: bool, lang: str):
    """List the indicators: id, title, unit, periods covered, sources, live fetch, where from.

    Example:


    \b
        udsattestat list
        udsattestat list --json
    """
    # Only the standard library here (no polars, no rich): `list` is the command people run first.
    # Its rows come from the catalogue cache while the dataset files are unchanged (see catalog.py).
    rows = listing(lang)
    if as_json:
        click.echo(dumps("list", {"indicators": rows}), nl=False)
        return
    from .plain import table

    # ids (what people copy) never broken; on a terminal the title wraps. The source column
    # names who publishes; --json and `info` list every publication.
    # "from": bundle, or the folder of yours it was found in (--datasets, ./datasets)
    click.echo(table("udsattestat indicators", ["id", "periods", "unit", "live", "from", "source", "title"],
                     [[r["id"], r["periods"], r["unit"], r["live"] or "–", r["from"], r["credit"], r["title"]]
                      for r in rows]))


@click.command("info")
@indicator_argument()
@lang_option
@live_metadata_option
@timeout_option
def info_cmd(indicator: str, lang: str, live: bool):
    """Show an indicator's definition, caveats, citations, vintages and licence.

    With --live, an indicator with a live source also lists each live table's last release
    and newest period, and says when a table has stopped being updated (marked inactive, or
    more than two periods overdue), naming its successor if the dataset gives one.

    Example:


    \b
        udsattestat info drug-deaths --lang en
        udsattestat info deaths-by-cause --live
    """
    from ..bundle import period_span, read_bundled
    from ..presentation import INFO_WORDS, citation_text, dataset_text, date_text, vintage_text

    meta, rows, prov = read_bundled(indicator)  # no polars: a few dozen rows
    w = INFO_WORDS[lang]

    width = 2 + max(len(w[k]) for k in ("unit", "producer", "publication", "url", "licence", "periods", "live"))

    def line(key: str, text: str) -> str:
        return f"{w[key] + ':':<{width}}{text}"

    out = [f"{indicator}: {prov.title[lang]}", "", prov.definition[lang], ""]
    out += [line("unit", meta.unit_label(prov.unit, lang)), line("producer", dataset_text(prov, "producer", lang))]
    out += [line("publication", dataset_text(prov, "publication", lang))]
    if prov.url:
        out.append(line("url", prov.url))
    out += [line("licence", dataset_text(prov, "licence", lang)),
            line("periods", period_span(r["_period"] for r in rows) or w["live_only"].format(id=indicator))]
    out.append(line("live", meta.live or w["no_live"]))
    if live and meta.provider:
        from ..providers import provider
        from ..stopped import status_line

        out += [f"  {status_line(entry, lang)}" for entry in provider(meta.provider).status(meta)]
    out += ["", w["dimensions"] + ":"]
    for dim in meta.dims:
        codes = ", ".join(meta.doc.codes(dim))
        out.append(f"  {dim} ({meta.dim_label(dim, lang)}): {codes}")
    out.append(f"  geo: {', '.join(meta.doc.geo)}")
    out += ["", w["caveats"] + ":"] + [f"  - {c}" for c in prov.caveats.get(lang, [])]
    out += ["", w["sources"] + ":"]
    for sid in sorted(prov.citations):
        out.append(f"  [{sid}] {citation_text(prov, sid, lang)}")  # who quoted it, too
    out += ["", w["vintages"] + ":"]
    for vid, v in sorted(prov.vintages.items(), key=lambda kv: (str(kv[1].get("published", "")), kv[0])):
        out.append(f"  [{vid}] {w['published']} {date_text(v.get('published'), lang) or w['no_date']}: "
                   f"{vintage_text(prov, vid, lang)}")
    click.echo("\n".join(out))


@click.command("fetch")
@indicator_argument(multiple=True)
@data_dir_option
@lang_option
@live_option
@offline_option
@refresh_option
@quiet_option
@timeout_option
def fetch_cmd(indicator, data_dir, lang, live, offline, refresh, quiet):
    """Write each indicator as DIR/<id>.parquet, every vintage kept, provenance in the file.

    Offline from the bundled data by default. The file is replaced atomically: a failed
    fetch leaves the previous file as it was.

    Example:


    \b
        udsattestat fetch homelessness poverty --data-dir out/
    """
    from ..store import data_dir as resolve
    from ..store import write_parquet

    target_dir = resolve(data_dir)
    for ind in indicator:
        frame, prov = load_with_provenance(
            ind, lang=lang, vintage="all", live=live, data_dir=target_dir,
            offline=offline, refresh=refresh, quiet=quiet,
        )
        path = write_parquet(frame, prov, target_dir / f"{ind}.parquet")
        if not quiet:
            click.echo(f"{path}: {frame.height} rows ({prov.origin}; {prov.source_line('en')})")


@click.command("show")
@indicator_argument()
@lang_option
@where_option
@vintage_option
@since_option
@until_option
@json_option("the rows shown, with the title and source line")
@live_option
@offline_option
@refresh_option
@quiet_option
@timeout_option
def show_cmd(indicator, lang, where, vintage, since, until, as_json, live, offline, refresh, quiet):
    """Print an indicator as a table, with its source line under it.

    With --live, indicators with a live source show the bundled vintages plus the
    producer's live table (as 'fetch --live' writes it); --offline replays its snapshot.

    Example:


    \b
        udsattestat show homelessness --where situation=TOT --where age=TOT
        udsattestat show child-poverty --live --since 2019
    """
    from ..formatting import format_cell
    from ..presentation import source_name, status_name
    from ..selection import check_not_empty, parse_where, period_bounds_rows, where_rows
    from ..vintages import select_rows

    if live:
        meta, rows, prov = _live_rows(indicator, lang, offline=offline, refresh=refresh, quiet=quiet,
                                      where=parse_where(where), since=since, until=until)
    else:
        from ..bundle import read_bundled, tidy_rows

        # A bundled table is a few dozen rows: plain dicts, no polars, so `show` starts fast.
        meta, raw_rows, prov = read_bundled(indicator)
        check_bundled(meta)
        rows = tidy_rows(meta, raw_rows, lang)
    columns = list(rows[0]) if rows else []
    rows = select_rows(rows, columns, vintage)
    rows = where_rows(rows, columns, parse_where(where), prov, lang)
    rows = check_not_empty(period_bounds_rows(rows, since, until))
    if as_json:
        shown = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items() if not k.startswith("_")}
                 for r in rows]
        click.echo(dumps("show", {"indicator": indicator, "title": prov.title[lang],
                                  "source_line": prov.source_line(lang, [r["source"] for r in rows]), "rows": shown}),
                   nl=False)
        return
    # A column with one value in the whole selection says nothing per row: it goes into
    # the caption instead, so the table fits a terminal.
    varying, fixed = [], []
    for dim in ["geo", *meta.dims]:
        labels = list(dict.fromkeys(r[f"{dim}_label"] for r in rows))
        (varying if len(labels) > 1 else fixed).append((dim, labels[0]))
    units = list(dict.fromkeys(r["unit"] for r in rows))
    head = {"da": ("Periode", "Værdi", "Enhed", "Status", "Kilde"),
            "en": ("Period", "Value", "Unit", "Status", "Source")}[lang]
    caption = " · ".join(f"{meta.dim_label(d, lang)}: {label}" for d, label in fixed)
    if len(units) == 1:
        caption += f" · {head[2]}: {meta.unit_label(units[0], lang)}"
    headers = [head[0], *(meta.dim_label(dim, lang) for dim, _ in varying), head[1],
               *([head[2]] if len(units) > 1 else []), head[3], head[4]]
    cells = []
    for row in rows:
        line = [row["period"], *(row[f"{d}_label"] for d, _ in varying)]
        line.append(format_cell(row["value"], row["value_low"], row["value_high"], row["unit"], lang))
        if len(units) > 1:
            line.append(meta.unit_label(row["unit"], lang))
        # the status and the source in words (the codes and ids are in --json and `export`)
        line += [status_name(row["status"], lang), source_name(prov, row["source"], lang, row["source_locator"])]
        cells.append(line)
    from .plain import boxed

    value_column = frozenset({1 + len(varying)})
    click.echo(boxed(prov.title[lang], headers, cells, right=value_column, caption=caption))
    click.echo(prov.source_line(lang, [r["source"] for r in rows]))


def _live_rows(indicator: str, lang: str, *, offline: bool, refresh: bool, quiet: bool, where=None, since=None,
               until=None):
    """(meta, tidy rows as dicts, provenance) of the bundled vintages plus the live table
    (only what ``where``/``since``/``until`` select is asked of it): the rows of
    ``load_with_provenance(..., live=True, vintage="all")``, without polars, so the view starts fast."""
    from ..bundle import read_bundled, tidy_rows
    from ..catalog import check_indicator
    from ..frames import remember
    from ..languages import check_lang
    from ..live import live_rows
    from ..store import data_dir

    check_lang(lang)
    meta, raw_rows, bprov = read_bundled(check_indicator(indicator))
    rows, prov = live_rows(meta, tidy_rows(meta, raw_rows, lang), bprov, lang=lang, data_dir=data_dir(None),
                           offline=offline, refresh=refresh, quiet=quiet, where=where, since=since, until=until)
    remember(prov)  # as load_with_provenance does
    # release dates as text, as the bundled path gives them
    rows = [{**r, "vintage_date": str(r["vintage_date"]) if r["vintage_date"] is not None else None} for r in rows]
    return meta, rows, prov


@click.command("export")
@indicator_argument()
@click.option("--format", "fmt", type=click.Choice(["csv", "csv-excel", "json", "xlsx", "md"]), default=None,
              help="Output format [default: from the --out suffix; given, it must agree with it]. csv holds "
                   "numbers as numbers; csv-excel opens right in a spreadsheet (in Danish: ';' and decimal commas).")
@out_option("Output file.")
@lang_option
@where_option
@vintage_option
@live_option
@offline_option
@refresh_option
@timeout_option
@data_dir_option
def export_cmd(indicator, fmt, out, lang, where, vintage, live, offline, refresh, data_dir):
    """Export an indicator's tidy table as CSV, JSON, XLSX or Markdown, with its sources.

    Example:


    \b
        udsattestat export poverty --format xlsx --out poverty.xlsx
    """
    from ..atomic import check_output_path, is_stdout
    from ..export import export, resolve_format
    from ..selection import apply_where, check_not_empty, parse_where

    # The output is checked before any data are read: a bad name fails at once.
    resolved = resolve_format(out, fmt)
    if not is_stdout(out):
        check_output_path(out)
    elif resolved in ("xlsx", "csv-excel"):
        raise OutputError(f"{resolved} is a binary format and cannot go to standard output; give --out FILE")
    selected = parse_where(where)
    frame, prov = load_with_provenance(indicator, lang=lang, vintage=vintage, live=live, offline=offline,
                                       refresh=refresh, data_dir=data_dir, where=selected)
    frame = check_not_empty(apply_where(frame, selected, prov, lang))
    path = export(frame, prov, out, resolved, lang)
    # The data may be on standard output: the summary goes to standard error then.
    click.echo(f"{path}: {frame.height} rows", err=is_stdout(out))
