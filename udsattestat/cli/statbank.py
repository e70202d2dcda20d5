"""``udsattestat statbank``: any table from Statistics Denmark's StatBank, by code, with provenance."""

from __future__ import annotations

import click

from ..jsondocs import dumps
from .options import (
    data_dir_option,
    json_option,
    lang_option,
    offline_option,
    out_option,
    partition_option,
    quiet_option,
    refresh_option,
    timeout_option,
)

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.


@click.group("statbank")
def statbank_group():
    """Search, describe and fetch any StatBank table (api.statbank.dk).

    The base URL comes from $UDSATTESTAT_STATBANK_URL (default https://api.statbank.dk/v1).

    Example:

    \b
        udsattestat statbank search fattigdom
        udsattestat statbank info IFOR51
        udsattestat statbank fetch IFOR51 --var ALDER=TOT --var Tid=* --out ifor51.parquet
    """


@statbank_group.command("search")
@click.argument("text")
@click.option("--subject", "subjects", multiple=True, metavar="N", help="Only tables under this subject id; repeatable.")
@click.option("--inactive", is_flag=True, help="Include tables no longer updated.")
@json_option("the matches")
@lang_option
def search_cmd(text, subjects, inactive, as_json, lang):
    """Find tables whose id or title contains TEXT (all words, any case).

    Shows id, title, unit, first and latest period and when each was updated.

    Example:

    \b
        udsattestat statbank search "relativ fattigdom"
        udsattestat statbank search poverty --lang en --subject 07
    """
    from ..providers import provider

    rows = provider("statbank").search(text, lang=lang, subjects=list(subjects), inactive=inactive)
    if as_json:
        click.echo(dumps("statbank-search", {"tables": rows}), nl=False)
        return
    if not rows:
        click.echo(f"No table matches {text!r}" + (f" under subject {', '.join(subjects)}" if subjects else "") + ".")
        return
    for r in rows:
        click.echo(
            f"{r['id']:<10} {r['text']}  [{r['unit']}; {r['firstPeriod']}–{r['latestPeriod']}; "
            f"updated {r['updated']}]"
        )
    click.echo(f"{len(rows)} table(s). Next: udsattestat statbank info {rows[0]['id']}")


@statbank_group.command("info", short_help="A table's variables, codes, labels (da/en), unit, updated.")
@click.argument("table")
@click.option("--all-values", is_flag=True, help="List every value (default: the first 15 of each variable).")
@json_option("the tableinfo (both languages)")
@data_dir_option
@offline_option
@timeout_option
def info_cmd(table, all_values, as_json, data_dir, offline):
    """Show a table's variables, codes and labels (da/en), unit and last update.

    Also which variables may be left out (eliminated, i.e. summed by the API), the time
    variable, what left-out BULK cells stand for, and the documentation link.

    Example:

    \b
        udsattestat statbank info FOLK1A
    """
    from ..providers import provider
    from ..store import data_dir as resolve

    # read-only: creates nothing (snapshots go to the cache)
    both = provider("statbank").info(table, data_dir=resolve(data_dir, create=False), offline=offline)
    da, en = both["da"], both["en"]
    if as_json:
        click.echo(dumps("statbank-info", {"da": da.raw, "en": en.raw}), nl=False)
        return
    out = [f"{da.id}: {da.text}", f"      {en.text}", ""]
    out += [f"Unit:          {da.unit} / {en.unit}", f"Updated:       {da.updated} (Danish time)"]
    out.append(f"Suppressed:    left-out BULK cells stand for {da.suppressed_value!r} (suppressedDataValue)")
    if da.documentation_url:
        out.append(f"Documentation: {da.documentation_url}")
    if da.footnote:
        # DST's own note on the table (a mandatory one must go with the figures): one line.
        label = "Footnote (mandatory)" if da.footnote_mandatory else "Footnote"
        out.append(f"{label}: {' '.join(da.footnote.split())}")
    time_var = da.time_variable
    out.append(f"Time variable: {time_var.id if time_var else '(none)'}")
    out += ["", "Variables (code: label da / label en):"]
    for var in da.variables:
        en_var = next((v for v in en.variables if v.id == var.id), var)
        en_labels = en_var.labels()
        flags = [f for f, on in (("time", var.time), ("may be eliminated", var.elimination), (f"map {var.map}", var.map)) if on]
        out.append(f"  {var.id} — {var.text} / {en_var.text}" + (f" ({', '.join(flags)})" if flags else "")
                   + f", {len(var.values)} values")
        shown = var.values if all_values else var.values[:15]
        for code, label in shown:
            out.append(f"      {code}: {label} / {en_labels.get(code, '')}")
        if len(shown) < len(var.values):
            out.append(f"      … {len(var.values) - len(shown)} more (--all-values)")
    names = " ".join(f"--var {v.id}=…" for v in da.variables if not v.elimination or v.time)
    out += ["", f"Fetch: udsattestat statbank fetch {da.id} {names} --out {da.id.lower()}.parquet"]
    click.echo("\n".join(out))


@statbank_group.command("fetch")
@click.argument("table")
@click.option("--var", "variables", multiple=True, metavar="CODE=V1,V2",
              help="Values of one variable, by code; the API's syntax works: *, 2020*, >=2015<=2022, (-n+3). Repeatable.")
@out_option("Output .parquet file (a folder with --partition-by).", either=True)
@click.option("--format", "fmt", type=click.Choice(["auto", "CSV", "BULK"], case_sensitive=False), default="auto",
              show_default=True, help="auto: CSV under the cell cap, BULK (streamed) over it.")
@click.option("--complete", is_flag=True, help="BULK: restore left-out combinations as rows with status 'omitted'.")
@click.option("--dry-run", is_flag=True, help="Print the plan (cells, format, requests) and fetch nothing.")
@partition_option
@offline_option
@refresh_option
@lang_option
@data_dir_option
@quiet_option
@timeout_option
def fetch_cmd(table, variables, out, fmt, complete, dry_run, partition_by, offline, refresh, lang, data_dir, quiet):
    """Fetch a selection of TABLE as tidy Parquet with provenance.

    Queried and stored by code (labels joined from tableinfo), numbers read by --lang,
    '..' kept as null with status 'suppressed'. The raw response is kept in the cache
    ('udsattestat cache list') and reused until the table is updated.

    Example:

    \b
        udsattestat statbank fetch FOLK1A --var OMRÅDE=000,101 --var Tid=2024* --out folk1a.parquet
        udsattestat statbank fetch FOLK1A --var Tid=* --dry-run --out folk1a.parquet
        udsattestat statbank fetch FOLK1A --var Tid=* --format BULK --partition-by period --out folk1a/
    """
    from ..statbank.fetch import Session, fetch_table, get_tableinfo, plan_for
    from ..statbank.plan import parse_var_options
    from ..store import data_dir as resolve

    selection = parse_var_options(variables)
    force = None if fmt.lower() == "auto" else fmt.upper()
    root = resolve(data_dir, create=False)  # snapshots go to the cache; --out says where the table goes
    if dry_run:
        session = Session.open(root, offline=offline)
        info, _ = get_tableinfo(session, table, lang)
        click.echo(plan_for(session, info, selection, lang=lang, force_format=force).describe())
        click.echo("dry run: nothing fetched")
        return
    result = fetch_table(table, selection, lang=lang, data_dir=root, out=out, offline=offline, refresh=refresh,
                         complete=complete, force_format=force, quiet=quiet, partition_by=partition_by)
    if not quiet:
        s = result.stats
        how = "snapshot reused" if result.reused else "fetched"
        extra = f", {s.suppressed} suppressed" + (f", {s.omitted} omitted restored" if complete else "")
        click.echo(f"{result.path}: {s.rows + s.omitted} rows ({result.plan.format}, {how}{extra}; "
                   f"{result.info.id} updated {result.info.updated})")
        for note in result.plan.notes:
            click.echo(f"note: {note}")
